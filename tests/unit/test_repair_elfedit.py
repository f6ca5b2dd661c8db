"""The in-place search path editor, checked with binutils' readelf and LLVM's llvm-readobj.

The files are small ELF images made here in all four classes (32/64-bit, little/big
endian), with the parts the loader reads: a loaded segment, the dynamic section, its
string table and symbols, and the section headers readelf uses.
"""

from __future__ import annotations

import hashlib
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from ironwheel.repair.elf import parse_elf
from ironwheel.repair.elfedit import NoRoomError, rewrite_search_path, set_search_path
from tests.conftest import require_tool
from tests.integration.repairing import llvm

_DT = {
    "NEEDED": 1,
    "STRTAB": 5,
    "SYMTAB": 6,
    "STRSZ": 10,
    "SYMENT": 11,
    "SONAME": 14,
    "RPATH": 15,
    "RUNPATH": 29,
}
CLASSES = [(True, "<"), (False, "<"), (True, ">"), (False, ">")]
CLASS_IDS = ["64-le", "32-le", "64-be", "32-be"]


def make_elf(
    *,
    wide: bool = True,
    order: str = "<",
    search: dict[str, str] | None = None,
    symbols: tuple[str, ...] = ("answer",),
    share: str | None = None,
    sections: bool = True,
) -> bytes:
    """A shared object that needs libc.so.6 and has the given DT_RUNPATH/DT_RPATH strings.

    ``share`` is a symbol name placed at the tail of the first search path string, as a
    linker merging string tails would.
    """
    search = {"RUNPATH": "$ORIGIN:/dev/null/room"} if search is None else search
    strings = bytearray(b"\0")
    offsets: dict[str, int] = {}

    def add(text: str) -> int:
        offsets[text] = len(strings)
        strings.extend(text.encode() + b"\0")
        return offsets[text]

    dynamic: list[tuple[int, int]] = [(_DT["NEEDED"], add("libc.so.6")), (_DT["SONAME"], add("libdemo.so"))]
    first: int | None = None
    for kind, text in search.items():
        offset = offsets[text] if text in offsets else add(text)
        first = offset if first is None else first
        dynamic.append((_DT[kind], offset))
    names = []
    for symbol in symbols:
        names.append(offsets[symbol] if symbol in offsets else add(symbol))
    if share is not None:
        assert first is not None
        text = next(iter(search.values()))
        assert text.endswith(share)
        names.append(first + len(text) - len(share))
    word = "Q" if wide else "I"
    sym_size = 24 if wide else 16
    symtab = b"\0" * sym_size + b"".join(
        struct.pack(
            order + ("IBBHQQ" if wide else "IIIBBH"),
            name,
            *((0x12, 0, 1, 0, 0) if wide else (0, 0, 0x12, 0, 1)),
        )
        for name in names
    )
    header_size, ph_size, sh_size = (64, 56, 64) if wide else (52, 32, 40)
    layout = {"phdr": header_size}
    layout["strtab"] = header_size + 2 * ph_size
    layout["symtab"] = layout["strtab"] + len(strings) + (-len(strings)) % 8
    layout["dynamic"] = layout["symtab"] + len(symtab)
    dynamic += [
        (_DT["STRTAB"], layout["strtab"]),
        (_DT["STRSZ"], len(strings)),
        (_DT["SYMTAB"], layout["symtab"]),
        (_DT["SYMENT"], sym_size),
    ]
    entry = order + ("qQ" if wide else "iI")
    dynamic_bytes = b"".join(struct.pack(entry, tag, value) for tag, value in dynamic)
    dynamic_bytes += struct.pack(entry, 0, 0) * 3  # DT_NULL, and two spare slots as linkers leave
    shstrtab = b"\0.dynstr\0.dynsym\0.dynamic\0.shstrtab\0"
    layout["shstrtab"] = layout["dynamic"] + len(dynamic_bytes)
    end = layout["shstrtab"] + len(shstrtab)
    layout["shdr"] = end + (-end) % 8
    section_count = 5 if sections else 0
    size = layout["shdr"] + section_count * sh_size

    image = bytearray(size)
    ident = b"\x7fELF" + bytes([2 if wide else 1, 1 if order == "<" else 2, 1]) + b"\0" * 9
    image[0:16] = ident
    image[16:header_size] = struct.pack(
        order + ("HHI" + word * 3 + "IHHHHHH"),
        3,  # ET_DYN
        62 if wide else 3,
        1,
        0,
        layout["phdr"],
        layout["shdr"] if sections else 0,
        0,
        header_size,
        ph_size,
        2,
        sh_size,
        section_count,
        4 if sections else 0,
    )
    if wide:
        load = struct.pack(order + "IIQQQQQQ", 1, 5, 0, 0, 0, size, size, 0x1000)
        dyn = struct.pack(
            order + "IIQQQQQQ",
            2,
            6,
            layout["dynamic"],
            layout["dynamic"],
            layout["dynamic"],
            len(dynamic_bytes),
            len(dynamic_bytes),
            8,
        )
    else:
        load = struct.pack(order + "IIIIIIII", 1, 0, 0, 0, size, size, 5, 0x1000)
        dyn = struct.pack(
            order + "IIIIIIII",
            2,
            layout["dynamic"],
            layout["dynamic"],
            layout["dynamic"],
            len(dynamic_bytes),
            len(dynamic_bytes),
            6,
            4,
        )
    image[layout["phdr"] : layout["phdr"] + 2 * ph_size] = load + dyn
    image[layout["strtab"] : layout["strtab"] + len(strings)] = strings
    image[layout["symtab"] : layout["symtab"] + len(symtab)] = symtab
    image[layout["dynamic"] : layout["dynamic"] + len(dynamic_bytes)] = dynamic_bytes
    image[layout["shstrtab"] : layout["shstrtab"] + len(shstrtab)] = shstrtab
    if sections:
        shdr = order + ("IIQQQQIIQQ" if wide else "IIIIIIIIII")
        table = [
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            (1, 3, 2, layout["strtab"], layout["strtab"], len(strings), 0, 0, 1, 0),
            (9, 11, 2, layout["symtab"], layout["symtab"], len(symtab), 1, 1, 8, sym_size),
            (17, 6, 3, layout["dynamic"], layout["dynamic"], len(dynamic_bytes), 1, 0, 8, 16 if wide else 8),
            (26, 3, 0, 0, layout["shstrtab"], len(shstrtab), 0, 0, 1, 0),
        ]
        for index, fields in enumerate(table):
            start = layout["shdr"] + index * sh_size
            image[start : start + sh_size] = struct.pack(shdr, *fields)
    return bytes(image)


def readelf(path: Path) -> dict[str, list[str]]:
    output = subprocess.run(["readelf", "-dW", str(path)], capture_output=True, text=True, check=True).stdout
    found: dict[str, list[str]] = {}
    for kind, value in re.findall(r"\((NEEDED|SONAME|RPATH|RUNPATH)\)\s+[^\[]*\[([^\]]*)\]", output):
        found.setdefault(kind, []).append(value)
    return found


def readobj(path: Path) -> dict[str, list[str]]:
    output = subprocess.run(
        [llvm("llvm-readobj"), "--dynamic-table", str(path)], capture_output=True, text=True, check=True
    ).stdout
    found: dict[str, list[str]] = {}
    for kind, value in re.findall(r"\b(NEEDED|SONAME|RPATH|RUNPATH)\s+[^\[\n]*\[([^\]]*)\]", output):
        found.setdefault(kind, []).append(value)
    return found


def _edited(tmp_path: Path, data: bytes, entries: list[str]) -> Path:
    path = tmp_path / "libdemo.so"
    path.write_bytes(data)
    set_search_path(path, entries)
    return path


@pytest.mark.parametrize(("wide", "order"), CLASSES, ids=CLASS_IDS)
def test_the_made_files_read_as_the_tools_read_them(tmp_path: Path, wide: bool, order: str) -> None:
    path = tmp_path / "libdemo.so"
    path.write_bytes(make_elf(wide=wide, order=order))
    expected = {"NEEDED": ["libc.so.6"], "SONAME": ["libdemo.so"], "RUNPATH": ["$ORIGIN:/dev/null/room"]}
    assert readelf(path) == expected
    assert readobj(path) == expected


@pytest.mark.parametrize(("wide", "order"), CLASSES, ids=CLASS_IDS)
def test_a_shorter_search_path_is_written_over_the_old_one(tmp_path: Path, wide: bool, order: str) -> None:
    before = make_elf(wide=wide, order=order)
    path = _edited(tmp_path, before, ["$ORIGIN/../x"])
    after = path.read_bytes()
    expected = {"NEEDED": ["libc.so.6"], "SONAME": ["libdemo.so"], "RUNPATH": ["$ORIGIN/../x"]}
    assert readelf(path) == expected
    assert readobj(path) == expected
    assert parse_elf(after).rpath == ("$ORIGIN/../x",)
    # Same size, and the rest of the old string is NUL bytes: nothing of it is left.
    assert len(after) == len(before)
    assert b"/dev/null/room" not in after
    assert after.replace(b"$ORIGIN/../x\0\0\0\0\0\0\0\0\0\0", b"$ORIGIN:/dev/null/room") == before


@pytest.mark.parametrize(("wide", "order"), CLASSES, ids=CLASS_IDS)
def test_an_empty_search_path_removes_the_entry(tmp_path: Path, wide: bool, order: str) -> None:
    path = _edited(tmp_path, make_elf(wide=wide, order=order), [])
    # Not an empty string, which the loader would read as the current directory.
    assert readelf(path) == {"NEEDED": ["libc.so.6"], "SONAME": ["libdemo.so"]}
    assert readobj(path) == {"NEEDED": ["libc.so.6"], "SONAME": ["libdemo.so"]}
    assert b"$ORIGIN" not in path.read_bytes()
    assert parse_elf(path.read_bytes()).needed == ("libc.so.6",)


def test_both_kinds_of_entry_are_rewritten(tmp_path: Path) -> None:
    data = make_elf(search={"RPATH": "/build/one:$ORIGIN", "RUNPATH": "/build/two:$ORIGIN/lib"})
    path = _edited(tmp_path, data, ["$ORIGIN"])
    assert readelf(path)["RPATH"] == ["$ORIGIN"]
    assert readelf(path)["RUNPATH"] == ["$ORIGIN"]
    emptied = _edited(tmp_path, data, [])
    assert readelf(emptied) == {"NEEDED": ["libc.so.6"], "SONAME": ["libdemo.so"]}


@pytest.mark.parametrize(
    ("kwargs", "entries", "reason"),
    [
        ({}, ["$ORIGIN/../much/longer/than/before"], "its search path has room for 22 bytes, 34 are needed"),
        ({"search": {}}, ["$ORIGIN"], "it has no DT_RUNPATH or DT_RPATH entry to rewrite"),
        ({"share": "room"}, ["$ORIGIN"], "its search path string is shared with another name"),
        (
            {"sections": False},
            ["$ORIGIN"],
            "its symbol names cannot be found (no section headers and no DT_HASH)",
        ),
    ],
    ids=["too long", "no entry", "shared tail", "no symbols"],
)
def test_what_cannot_be_written_in_place_is_left_alone(
    tmp_path: Path, kwargs: dict[str, object], entries: list[str], reason: str
) -> None:
    data = make_elf(**kwargs)  # type: ignore[arg-type]
    image = bytearray(data)
    with pytest.raises(NoRoomError) as caught:
        rewrite_search_path(image, entries)
    assert str(caught.value) == reason
    assert image == data


def test_no_entry_and_nothing_wanted_is_no_change() -> None:
    data = make_elf(search={})
    image = bytearray(data)
    rewrite_search_path(image, [])
    assert image == data


def test_a_malformed_file_is_a_value_error() -> None:
    data = bytearray(make_elf())
    data[64 + 56 + 8 : 64 + 56 + 16] = struct.pack("<Q", 1 << 40)  # PT_DYNAMIC's offset: far away
    with pytest.raises(ValueError, match="malformed ELF file"):
        rewrite_search_path(data, ["$ORIGIN"])


def test_a_shared_string_loses_its_entry_but_keeps_its_bytes(tmp_path: Path) -> None:
    data = make_elf(share="room")
    path = _edited(tmp_path, data, [])
    assert readelf(path) == {"NEEDED": ["libc.so.6"], "SONAME": ["libdemo.so"]}
    assert b"$ORIGIN:/dev/null/room\0" in path.read_bytes()  # the symbol "room" still reads


def test_a_static_file_has_no_search_path_to_write() -> None:
    data = bytearray(make_elf())
    data[64 + 56 : 64 + 60] = struct.pack("<I", 6)  # PT_DYNAMIC becomes PT_PHDR: no dynamic section
    with pytest.raises(NoRoomError, match=r"^it is linked statically$"):
        rewrite_search_path(data, ["$ORIGIN"])
    rewrite_search_path(data, [])  # nothing to remove either


# Linkers of all four classes: binutils' ld for x86-64 and i386, zig's lld for big-endian machines.
LINKERS = {
    "64-le": ["gcc"],
    "32-le": ["gcc", "-m32", "-nostdlib"],
    "64-be": [sys.executable, "-m", "ziglang", "cc", "-target", "powerpc64-linux-musl", "-nostdlib"],
    "32-be": [sys.executable, "-m", "ziglang", "cc", "-target", "powerpc-linux-musl", "-nostdlib"],
}


def _link(directory: Path, linker: list[str], rpath: str, build_id: str = "sha1") -> Path:
    """A shared object as a linker writes it in a build tree: its search path names the tree.

    Compiled from ``directory``'s parent, so that only the search path tells two apart.
    """
    if linker[0] == "gcc":
        require_tool("gcc")
    directory.mkdir(parents=True)
    source = directory.parent / "demo.c"
    source.write_text("int demo(void) { return 42; }\n")
    output = directory / "libdemo.so"
    link = [*linker, "-shared", "-fPIC", f"-Wl,--build-id={build_id}", f"-Wl,-rpath,{rpath}"]
    subprocess.run([*link, "-o", output, source.name], check=True, cwd=directory.parent)
    return output


def _build_id(path: Path) -> bytes | None:
    output = subprocess.run(
        [require_tool("readelf"), "-nW", str(path)], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(r"Build ID: ([0-9a-f]+)", output)
    return bytes.fromhex(found.group(1)) if found else None


@pytest.mark.parametrize("linker", LINKERS.values(), ids=LINKERS.keys())
def test_an_edited_file_gets_the_build_id_of_its_new_content(tmp_path: Path, linker: list[str]) -> None:
    # Two build trees, paths of the same length: the linkers' build-ids differ, nothing else.
    one = _link(tmp_path / "one", linker, "/home/alice/project/build/lib:$ORIGIN")
    two = _link(tmp_path / "two", linker, "/home/bobby/project/build/lib:$ORIGIN")
    assert one.read_bytes() != two.read_bytes()
    for path in (one, two):
        set_search_path(path, ["$ORIGIN"])
    assert one.read_bytes() == two.read_bytes()
    assert b"/home/" not in one.read_bytes()
    assert readelf(one)["RUNPATH"] == ["$ORIGIN"]
    # The new id is a hash of the file as it ships, its own bytes zeroed.
    build_id = _build_id(one)
    assert build_id is not None
    assert len(build_id) == 20
    data = one.read_bytes()
    assert data.count(build_id) == 1
    zeroed = data.replace(build_id, bytes(20))
    assert hashlib.shake_256(zeroed).digest(20) == build_id


@pytest.mark.parametrize(("style", "size"), [("md5", 16), ("0x0123456789abcdef", 8), ("uuid", 16)])
def test_a_build_id_keeps_its_size(tmp_path: Path, style: str, size: int) -> None:
    path = _link(tmp_path / "lib", LINKERS["64-le"], "/build/tree/lib", build_id=style)
    set_search_path(path, ["$ORIGIN"])
    build_id = _build_id(path)
    assert build_id is not None
    assert len(build_id) == size
    assert hashlib.shake_256(path.read_bytes().replace(build_id, bytes(size))).digest(size) == build_id


def test_a_file_without_a_build_id_or_change_keeps_its_bytes(tmp_path: Path) -> None:
    plain = _link(tmp_path / "plain", LINKERS["64-le"], "/build/tree/lib", build_id="none")
    set_search_path(plain, ["$ORIGIN"])
    assert _build_id(plain) is None
    assert readelf(plain)["RUNPATH"] == ["$ORIGIN"]
    linked = _link(tmp_path / "linked", LINKERS["64-le"], "$ORIGIN")
    before = linked.read_bytes()
    set_search_path(linked, ["$ORIGIN"])  # nothing to change: the linker's id stays
    assert linked.read_bytes() == before
