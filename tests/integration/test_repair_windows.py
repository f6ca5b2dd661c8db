"""Repair of Windows wheels on Linux: DLLs cross-built with mingw-w64 (or zig), delvewheel, a load under wine."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest

from ironwheel.repair.binaries import read_binary
from tests.conftest import require_tool
from tests.integration.frontends import Result, tail
from tests.integration.repairing import build_in_place, contents, ironwheel, llvm, member, members, windows_cc

pytestmark = pytest.mark.slow

PY = f"cp{sysconfig.get_config_var('py_version_nodot')}"
PYD = f"repair_win/_ext.{PY}-win_amd64.pyd"
DIST = "repair_win-1.0.dist-info"
MINGW_LIB = "/usr/x86_64-w64-mingw32/lib"
PTHREAD = re.compile(r"^repair_win\.libs/libwinpthread-1-[0-9a-f]{32}\.dll$")


def load_order(libs: str, name: str) -> list[str]:
    """delvewheel's list of DLLs to preload, which it writes for wheels that Pythons before 3.10 install."""
    return [f"{libs}/.load-order-{name}-1.0"] if PY == "cp39" else []


# A stand-in for CPython's import of an extension module on Windows (3.8+): the
# directories os.add_dll_directory() would add, then LoadLibraryExW with the default
# search directories and the module's own; then it calls PyInit__ext.
LOADER = r"""
#include <windows.h>
#include <stdio.h>
int wmain(int argc, wchar_t **argv) {
    for (int i = 2; i < argc; i++) {
        if (!AddDllDirectory(argv[i])) { printf("AddDllDirectory failed: %lu\n", GetLastError()); return 2; }
    }
    HMODULE module = LoadLibraryExW(argv[1], NULL,
        LOAD_LIBRARY_SEARCH_DEFAULT_DIRS | LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR);
    if (!module) { printf("LoadLibraryEx failed: %lu\n", GetLastError()); return 3; }
    FARPROC init = GetProcAddress(module, "PyInit__ext");
    if (!init) { printf("no PyInit__ext\n"); return 4; }
    printf("PyInit__ext() -> %d\n", ((int (*)(void))init)());
    return 0;
}
"""


@pytest.fixture
def root(project: Callable[[str], Path]) -> Path:
    # The project's toolchain file and the DLL it grafts are mingw-w64's.
    require_tool("x86_64-w64-mingw32-gcc")
    return project("repair_win")


def _build(root: Path, outdir: Path, *options: str) -> Result:
    env = {"_PYTHON_HOST_PLATFORM": "win-amd64", "CMAKE_TOOLCHAIN_FILE": str(root / "mingw-w64.cmake")}
    suffix = f"cmake.define.EXT_SUFFIX=.{PY}-win_amd64.pyd"
    return build_in_place(root, outdir, "-C", suffix, *options, env=env)


def _wheel(result: Result) -> Path:
    assert result.returncode == 0, tail(result.output)
    return result.wheel


def _imports(path: Path) -> list[str]:
    """The DLLs a PE file imports, as LLVM's readobj shows them."""
    output = subprocess.run(
        [llvm("llvm-readobj"), "--coff-imports", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return re.findall(r"^\s*Name: (\S+\.dll)$", output, flags=re.MULTILINE | re.IGNORECASE)


@pytest.fixture(scope="module")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., str]:
    """Run the loader under wine64 with a prefix of its own; return what it printed."""
    program = require_tool("wine64", paths=("/usr/lib/wine/wine64",))
    gcc = require_tool("x86_64-w64-mingw32-gcc")
    base = tmp_path_factory.mktemp("wine")
    loader = base / "loader.exe"
    (base / "loader.c").write_text(LOADER)
    subprocess.run([gcc, "-municode", "-o", str(loader), str(base / "loader.c")], check=True)
    environ = {"WINEPREFIX": str(base / "prefix"), "WINEDEBUG": "-all", "PATH": "/usr/bin:/bin"}

    def run(*arguments: Path) -> str:
        windows = ["Z:" + str(item).replace("/", "\\") for item in arguments]
        completed = subprocess.run(
            [program, str(loader), *windows],
            env=environ,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,  # a failed load is an answer too
        )
        return completed.stdout.strip()

    return run


def test_a_windows_wheel_is_repaired_with_delvewheel_and_loads(
    root: Path, tmp_path: Path, wine: Callable[..., str]
) -> None:
    result = _build(root, tmp_path / "dist")
    wheel = _wheel(result)
    assert wheel.name == f"repair_win-1.0-{PY}-{PY}-win_amd64.whl"
    names = members(wheel)
    grafted = [name for name in names if PTHREAD.match(name)]
    assert len(grafted) == 1, names
    pthread = grafted[0].split("/")[1]
    # The internal DLLs moved from bin/ to the module that loads them; only the external one is grafted.
    assert names == [
        *load_order("repair_win.libs", "repair_win"),
        grafted[0],
        "repair_win/__init__.py",
        PYD,
        "repair_win/liba.dll",
        "repair_win/libb.dll",
        f"{DIST}/DELVEWHEEL",
        f"{DIST}/METADATA",
        f"{DIST}/WHEEL",
        f"{DIST}/sboms/ironwheel.cdx.json",
        f"{DIST}/RECORD",
    ]
    assert "internal library a: bin/liba.dll -> repair_win/liba.dll (next to what loads it)" in result.output
    assert member(wheel, f"{DIST}/DELVEWHEEL").decode().startswith("Version: ")
    assert "os.add_dll_directory(libs_dir)" in member(wheel, "repair_win/__init__.py").decode()

    unpacked = tmp_path / "unpacked"
    shutil.unpack_archive(wheel, unpacked, format="zip")
    assert _imports(unpacked / PYD) == ["KERNEL32.dll", "msvcrt.dll", pthread, "liba.dll"]
    assert _imports(unpacked / "repair_win" / "liba.dll") == ["KERNEL32.dll", "msvcrt.dll", "libb.dll"]

    sbom = json.loads(member(wheel, f"{DIST}/sboms/ironwheel.cdx.json"))
    origins = {
        component["name"]: {item["name"]: item["value"] for item in component["properties"]}
        for component in sbom["components"]
    }
    assert origins["liba.dll"]["ironwheel:cmake-target"] == "a"
    assert origins["libb.dll"]["ironwheel:cmake-target"] == "b"
    assert origins[pthread]["ironwheel:grafted-by"] == "delvewheel"

    # Loaded as CPython loads it: with the directory delvewheel's patch adds, it works;
    # without it the grafted DLL is not found (error 126).
    assert wine(unpacked / PYD, unpacked / "repair_win.libs") == "PyInit__ext() -> 42"
    assert wine(unpacked / PYD) == "LoadLibraryEx failed: 126"


def test_repairing_a_repaired_windows_wheel_writes_it_again(root: Path, tmp_path: Path) -> None:
    wheel = _wheel(_build(root, tmp_path / "dist"))
    # delvewheel itself writes nothing for a wheel it repaired; cibuildwheel needs one wheel.
    again = ironwheel("repair", "-w", tmp_path / "again", wheel, cwd=tmp_path)
    assert again.returncode == 0, tail(again.output)
    assert "delvewheel had repaired this wheel before; it is unchanged" in again.output
    assert [item.read_bytes() for item in again.wheels] == [wheel.read_bytes()]


def test_the_fast_path_matches_delvewheel_on_the_whole_wheel(root: Path, tmp_path: Path) -> None:
    plain = _wheel(_build(root, tmp_path / "plain", "-C", "repair.mode=off"))
    fast = _wheel(_build(root, tmp_path / "fast"))
    command = [sys.executable, "-m", "delvewheel", "repair", "--ignore-existing", "--no-diagnostic"]
    command += ["--add-path", MINGW_LIB, "-w", str(tmp_path / "slow"), str(plain)]
    subprocess.run(command, check=True, capture_output=True)
    (slow,) = (tmp_path / "slow").glob("*.whl")
    assert fast.name == slow.name
    sbom = f"{DIST}/sboms/ironwheel.cdx.json"
    assert contents(fast, skip=[sbom]) == contents(slow, skip=[sbom])


def test_a_check_reports_the_dlls_delvewheel_would_graft(root: Path, tmp_path: Path) -> None:
    result = _build(root, tmp_path / "dist", "-C", "repair.mode=check")
    wheel = _wheel(result)
    assert wheel.name == f"repair_win-1.0-{PY}-{PY}-win_amd64.whl"
    assert not [name for name in members(wheel) if name.startswith("repair_win.libs/")]
    assert re.search(
        r"repair check: delvewheel would graft libwinpthread-1-[0-9a-f]{32}\.dll "
        r"\(repair_win\.libs/libwinpthread-1-[0-9a-f]{32}\.dll\)",
        result.output,
    )
    assert (
        "repair check: the repaired wheel would be tagged win_amd64 (this one stays win_amd64)"
        in result.output
    )


ZIG_PYD = f"repair_win_zig/_ext.{PY}-win_amd64.pyd"
ZIG_DIST = "repair_win_zig-1.0.dist-info"
DEP = re.compile(r"^repair_win_zig\.libs/libdep-[0-9a-f]{32}\.dll$")


@pytest.fixture(scope="module")
def zig_windows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """zig cc for 64-bit Windows (from PyPI: no mingw-w64 needed), and libdep.dll built outside the project."""
    base = tmp_path_factory.mktemp("zig-windows")
    shim = base / "zig-cc"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ziglang cc -target x86_64-windows-gnu "$@"\n')
    shim.chmod(0o755)
    dep = base / "dep"
    dep.mkdir()
    (dep / "dep.c").write_text("int dep_value(void) { return 1000; }\n")
    subprocess.run([*windows_cc(), "-shared", "-o", dep / "libdep.dll", dep / "dep.c"], check=True)
    return {"ZIG_CC": str(shim), "DEP_DIR": str(dep)}


def test_a_windows_wheel_built_by_zig_is_repaired_with_delvewheel(
    project: Callable[[str], Path], tmp_path: Path, zig_windows: dict[str, str]
) -> None:
    root = project("repair_win_zig")
    env = {
        "_PYTHON_HOST_PLATFORM": "win-amd64",
        "CMAKE_TOOLCHAIN_FILE": str(root / "zig-windows.cmake"),
        "ZIG_CC": zig_windows["ZIG_CC"],
    }
    dep_dir = zig_windows["DEP_DIR"]
    options = ["-C", f"cmake.define.EXT_SUFFIX=.{PY}-win_amd64.pyd", "-C", f"cmake.define.DEP_DIR={dep_dir}"]
    result = build_in_place(
        root,
        tmp_path / "dist",
        *options,
        "-C",
        f"repair.dll-dirs={dep_dir}",
        env=env,
    )
    wheel = _wheel(result)
    assert wheel.name == f"repair_win_zig-1.0-{PY}-{PY}-win_amd64.whl"
    names = members(wheel)
    grafted = [name for name in names if DEP.match(name)]
    assert len(grafted) == 1, names
    assert names == [
        *load_order("repair_win_zig.libs", "repair_win_zig"),
        grafted[0],
        "repair_win_zig/__init__.py",
        ZIG_PYD,
        "repair_win_zig/liba.dll",
        "repair_win_zig/libb.dll",
        f"{ZIG_DIST}/DELVEWHEEL",
        f"{ZIG_DIST}/METADATA",
        f"{ZIG_DIST}/WHEEL",
        f"{ZIG_DIST}/sboms/ironwheel.cdx.json",
        f"{ZIG_DIST}/RECORD",
    ]
    assert (
        "internal library a: bin/liba.dll -> repair_win_zig/liba.dll (next to what loads it)" in result.output
    )
    assert "os.add_dll_directory(libs_dir)" in member(wheel, "repair_win_zig/__init__.py").decode()
    # The module now loads the grafted copy under its new name, and the internal DLL beside it.
    unpacked = tmp_path / "unpacked"
    shutil.unpack_archive(wheel, unpacked, format="zip")
    module = read_binary(unpacked / ZIG_PYD)
    assert module is not None
    assert module.format == "pe"
    assert [name for name in module.needed if name.startswith("lib")] == [
        grafted[0].split("/")[1],
        "liba.dll",
    ]
    internal = read_binary(unpacked / "repair_win_zig" / "liba.dll")
    assert internal is not None
    assert [name for name in internal.needed if name.startswith("lib")] == ["libb.dll"]
    sbom = json.loads(member(wheel, f"{ZIG_DIST}/sboms/ironwheel.cdx.json"))
    origins = {
        component["name"]: {item["name"]: item["value"] for item in component["properties"]}
        for component in sbom["components"]
    }
    assert origins["liba.dll"]["ironwheel:cmake-target"] == "a"
    assert origins[grafted[0].split("/")[1]]["ironwheel:grafted-by"] == "delvewheel"
