"""The ELF, Mach-O and PE readers: checked against binutils on real files, and on bad input."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from ironwheel.repair.binaries import Binary, binary_format, imported_symbols, read_binary
from ironwheel.repair.elf import parse_elf, read_elf
from ironwheel.repair.macho import is_macho, parse_macho
from ironwheel.repair.pe import parse_pe
from tests.conftest import require_tool
from tests.integration.repairing import llvm, windows_cc

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads the ELF files of this Linux system")


def _loaded_elf_files() -> list[Path]:
    """The interpreter and the shared libraries this process has mapped (libc among them)."""
    maps = Path("/proc/self/maps").read_text().splitlines()
    found = {Path(line.split()[-1]) for line in maps if "/" in line and ".so" in line.split()[-1]}
    return [Path(sys.executable).resolve(), *sorted(path for path in found if path.is_file())]


def _readelf(path: Path) -> dict[str, list[str]]:
    output = subprocess.run(
        [require_tool("readelf"), "-dW", str(path)], capture_output=True, text=True, check=True
    ).stdout
    found: dict[str, list[str]] = {}
    for kind, value in re.findall(r"\((NEEDED|SONAME|RPATH|RUNPATH)\)\s+[^\[]*\[([^\]]*)\]", output):
        found.setdefault(kind, []).append(value)
    return found


def _readelf_versions(path: Path) -> set[tuple[str, str]]:
    output = subprocess.run(
        [require_tool("readelf"), "-VW", str(path)], capture_output=True, text=True, check=True
    ).stdout
    needs: set[tuple[str, str]] = set()
    library = ""
    section = output.split(".gnu.version_r", 1)[-1] if ".gnu.version_r" in output else ""
    for line in section.splitlines():
        file_match = re.search(r"File: (\S+)", line)
        if file_match:
            library = file_match.group(1)
        name_match = re.search(r"Name: (\S+)\s+Flags", line)
        if name_match:
            needs.add((library, name_match.group(1)))
    return needs


@pytest.mark.parametrize("path", _loaded_elf_files(), ids=lambda path: path.name)
def test_elf_reader_agrees_with_readelf(path: Path) -> None:
    elf = read_elf(path)
    expected = _readelf(path)
    assert list(elf.needed) == expected.get("NEEDED", [])
    assert ([elf.soname] if elf.soname else []) == expected.get("SONAME", [])
    rpath = expected.get("RUNPATH") or expected.get("RPATH") or []
    assert ":".join(elf.rpath) == ":".join(rpath)
    assert set(elf.version_needs) == _readelf_versions(path)


def test_binaries_are_recognised_by_their_first_bytes(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a binary")
    libc = next(path for path in _loaded_elf_files() if path.name.startswith("libc."))
    assert binary_format(libc) == "elf"
    assert binary_format(text) is None
    assert read_binary(text) is None
    found = read_binary(libc)
    assert isinstance(found, Binary)
    assert found.format == "elf"
    assert found.name == read_elf(libc).soname


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x7fELF" + b"\x02\x01\x01" + b"\0" * 20, "not an ELF file"),
        (
            b"\x7fELF\x02\x01\x01" + b"\0" * 9 + struct.pack("<HH", 3, 62) + b"\0" * 12 + b"\xff" * 40,
            "malformed ELF file",
        ),
        (b"no magic at all" * 10, "not an ELF file"),
    ],
)
def test_bad_elf_files(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_elf(data)


def test_truncated_elf_is_no_binary(tmp_path: Path) -> None:
    libc = next(path for path in _loaded_elf_files() if path.name.startswith("libc."))
    cut = tmp_path / "cut.so"
    cut.write_bytes(libc.read_bytes()[:200])
    assert binary_format(cut) == "elf"
    assert read_binary(cut) is None


def _macho(commands: list[tuple[int, bytes]], cputype: int = 0x0100000C) -> bytes:
    """A 64-bit little-endian Mach-O header with the given load commands."""
    body = b""
    for command, payload in commands:
        size = (8 + len(payload) + 7) // 8 * 8
        body += struct.pack("<II", command, size) + payload.ljust(size - 8, b"\0")
    return struct.pack("<IiiIIII", 0xFEEDFACF, cputype, 0, 6, len(commands), len(body), 0) + b"\0" * 4 + body


def _dylib(command: int, name: str) -> tuple[int, bytes]:
    return command, struct.pack("<IIII", 24, 0, 0x10000, 0x10000) + name.encode() + b"\0"


def _rpath(path: str) -> tuple[int, bytes]:
    return 0x8000001C, struct.pack("<I", 12) + path.encode() + b"\0"


def test_macho_load_commands() -> None:
    data = _macho(
        [
            _dylib(0xD, "@rpath/libfoo.1.dylib"),
            _dylib(0xC, "/usr/lib/libSystem.B.dylib"),
            _dylib(0x80000018, "@rpath/libweak.dylib"),
            _rpath("@loader_path/../lib"),
        ]
    )
    macho = parse_macho(data)
    assert macho.install_name == "@rpath/libfoo.1.dylib"
    assert macho.needed == ("/usr/lib/libSystem.B.dylib", "@rpath/libweak.dylib")
    assert macho.rpath == ("@loader_path/../lib",)
    assert macho.archs == (0x0100000C,)


def test_fat_macho_is_the_union_of_its_architectures() -> None:
    arm = _macho([_dylib(0xC, "@rpath/liba.dylib"), _rpath("@loader_path")])
    intel = _macho([_dylib(0xC, "@rpath/libb.dylib"), _rpath("@loader_path")], cputype=0x01000007)
    header = struct.pack(">II", 0xCAFEBABE, 2)
    first = 8 + 2 * 20
    entries = struct.pack(">iiIII", 0x0100000C, 0, first, len(arm), 3)
    entries += struct.pack(">iiIII", 0x01000007, 3, first + len(arm), len(intel), 3)
    macho = parse_macho(header + entries + arm + intel)
    assert macho.needed == ("@rpath/liba.dylib", "@rpath/libb.dylib")
    assert macho.rpath == ("@loader_path",)
    assert macho.archs == (0x0100000C, 0x01000007)


def test_a_java_class_file_is_not_a_fat_macho() -> None:
    # Same magic; the second word is the class file version (e.g. 65 for Java 21).
    assert not is_macho(struct.pack(">IHH", 0xCAFEBABE, 0, 65))
    assert is_macho(struct.pack(">II", 0xCAFEBABE, 2))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ" + b"\0" * 58 + struct.pack("<I", 64) + b"NOPE", "not a PE file"),
        (b"MZ" + b"\0" * 10, "malformed PE file"),
    ],
)
def test_bad_pe_files(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_pe(data)


@pytest.mark.slow  # cross-compiles for Windows
def test_pe_imports_agree_with_llvm_readobj(tmp_path: Path) -> None:
    readobj = llvm("llvm-readobj")
    (tmp_path / "b.c").write_text("int b(void) { return 1; }\n")
    (tmp_path / "a.c").write_text("int b(void);\nint a(void) { return b(); }\n")
    cc = windows_cc()
    subprocess.run([*cc, "-shared", "-o", tmp_path / "b.dll", tmp_path / "b.c"], check=True)
    subprocess.run(
        [*cc, "-shared", "-o", tmp_path / "a.dll", tmp_path / "a.c", tmp_path / "b.dll"], check=True
    )
    output = subprocess.run(
        [readobj, "--coff-imports", str(tmp_path / "a.dll")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    expected = re.findall(r"^\s*Name: (\S+\.dll)$", output, flags=re.MULTILINE | re.IGNORECASE)
    found = read_binary(tmp_path / "a.dll")
    assert found is not None
    assert found.format == "pe"
    assert list(found.needed) == expected
    assert "b.dll" in found.needed


def _llvm_nm_undefined(path: Path, *options: str) -> list[str]:
    output = subprocess.run(
        [llvm("llvm-nm"), "--undefined-only", *options, str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [line.split()[-1].split("@")[0] for line in output.splitlines() if line.strip()]


@pytest.mark.parametrize("path", _loaded_elf_files(), ids=lambda path: path.name)
def test_elf_imports_agree_with_llvm_nm(path: Path) -> None:
    found = imported_symbols(path.read_bytes())
    assert found is not None
    assert sorted(name for _library, name in found) == sorted(_llvm_nm_undefined(path, "-D"))


def test_imported_symbols_of_no_binary() -> None:
    assert imported_symbols(b"not a binary at all") is None
    assert imported_symbols(b"\x7fELF\x02\x01\x01" + b"\0" * 9 + b"\xff" * 60) is None


_IMPORTER = '#include <stdio.h>\n#include <string.h>\nint b(void);\nint a(const char *s) { printf("%s", s); return b() + (int)strlen(s); }\n'


@pytest.mark.slow  # cross-compiles for Windows
def test_pe_imported_symbols_agree_with_llvm_readobj(tmp_path: Path) -> None:
    (tmp_path / "b.c").write_text("int b(void) { return 1; }\n")
    (tmp_path / "a.c").write_text(_IMPORTER)
    cc = windows_cc()
    subprocess.run([*cc, "-shared", "-o", tmp_path / "b.dll", tmp_path / "b.c"], check=True)
    subprocess.run(
        [*cc, "-shared", "-o", tmp_path / "a.dll", tmp_path / "a.c", tmp_path / "b.dll"], check=True
    )
    output = subprocess.run(
        [llvm("llvm-readobj"), "--coff-imports", str(tmp_path / "a.dll")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    expected: list[tuple[str, str]] = []
    library = ""
    for line in output.splitlines():
        named = re.match(r"\s*Name: (\S+)$", line)
        if named:
            library = named.group(1)
        symbol = re.match(r"\s*Symbol: (\S+) \(\d+\)$", line)
        if symbol:
            expected.append((library, symbol.group(1)))
    found = imported_symbols((tmp_path / "a.dll").read_bytes())
    assert found is not None
    assert list(found) == expected
    assert ("b.dll", "b") in found
    assert parse_pe((tmp_path / "a.dll").read_bytes()).imports == ()  # only read when asked for


@pytest.mark.slow  # compiles with zig cc
def test_macho_imported_symbols_agree_with_llvm_nm(tmp_path: Path) -> None:
    (tmp_path / "a.c").write_text(_IMPORTER)
    target = tmp_path / "a.dylib"
    subprocess.run(
        [
            *(sys.executable, "-m", "ziglang", "cc", "-target", "aarch64-macos.11.0", "-shared"),
            *("-Wl,-undefined,dynamic_lookup", "-o", str(target), str(tmp_path / "a.c")),
        ],
        check=True,
    )
    found = imported_symbols(target.read_bytes())
    assert found is not None
    expected = [name[1:] if name.startswith("_") else name for name in _llvm_nm_undefined(target)]
    assert sorted(name for _library, name in found) == sorted(expected)
    assert {"b", "printf"} <= {name for _library, name in found}


def test_macho_symbol_table_of_a_handmade_file() -> None:
    strings = b"\0_PyLong_FromLong\0_local\0"
    symbols = struct.pack("<IBBHQ", 1, 0x01, 0, 0, 0) + struct.pack("<IBBHQ", 18, 0x0F, 1, 0, 16)
    symtab_offset = 32 + 24
    payload = struct.pack("<IIII", symtab_offset, 2, symtab_offset + len(symbols), len(strings))
    data = _macho([(0x2, payload)]) + symbols + strings
    assert imported_symbols(data) == (("", "PyLong_FromLong"),)
