"""Repair of macOS wheels on Linux: Mach-O built by zig, delocate run through LLVM's tools.

delocate calls Apple's otool, install_name_tool, lipo and codesign. Here LLVM's
llvm-otool, llvm-install-name-tool and llvm-lipo stand in for the first three
(through small shims on PATH, for this test only), and codesign records its
calls instead of signing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.frontends import Result, tail
from tests.integration.repairing import build_in_place, contents, llvm, members

pytestmark = pytest.mark.slow

PY = f"cp{sysconfig.get_config_var('py_version_nodot')}"
EXT = f"repair_mac/_ext.cpython-{PY[2:]}-darwin.so"
DIST = "repair_mac-1.0.dist-info"


def _shims() -> dict[str, str]:
    return {
        # Apple's otool takes -m (no archive member names); LLVM's does not know it.
        "otool": f'for a in "$@"; do shift; [ "$a" = -m ] || set -- "$@" "$a"; done\nexec {llvm("llvm-otool")} "$@"',
        "install_name_tool": f'exec {llvm("llvm-install-name-tool")} "$@"',
        "lipo": f'exec {llvm("llvm-lipo")} "$@"',
        "codesign": 'echo "$@" >> "$CODESIGN_LOG"',
    }


@pytest.fixture(scope="module")
def toolchain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Shims and a zig cc for arm64 macOS 11; libdep.dylib built outside the project."""
    base = tmp_path_factory.mktemp("macos")
    shims = base / "shims"
    shims.mkdir()
    scripts = {**_shims(), "zig-cc": f'exec "{sys.executable}" -m ziglang cc -target aarch64-macos.11.0 "$@"'}
    for name, body in scripts.items():
        (shims / name).write_text(f"#!/bin/sh\n{body}\n")
        (shims / name).chmod(0o755)
    dep = base / "dep"
    dep.mkdir()
    (dep / "dep.c").write_text("int dep_value(void) { return 2; }\n")
    subprocess.run(
        [
            shims / "zig-cc",
            "-shared",
            "-o",
            dep / "libdep.dylib",
            "-Wl,-install_name,@rpath/libdep.dylib",
            dep / "dep.c",
        ],
        check=True,
    )
    return {
        "PATH": os.pathsep.join([str(shims), os.environ["PATH"]]),
        "ZIG_CC": str(shims / "zig-cc"),
        "CODESIGN_LOG": str(base / "codesign.log"),
        "DEP_DIR": str(dep),
    }


@pytest.fixture
def root(project: Callable[[str], Path]) -> Path:
    return project("repair_mac")


def _build(root: Path, outdir: Path, toolchain: dict[str, str], *options: str) -> Result:
    env = {
        "PATH": toolchain["PATH"],
        "ZIG_CC": toolchain["ZIG_CC"],
        "CODESIGN_LOG": toolchain["CODESIGN_LOG"],
        "_PYTHON_HOST_PLATFORM": "macosx-11.0-arm64",
        "CMAKE_TOOLCHAIN_FILE": str(root / "zig-macos.cmake"),
    }
    defines = [
        "-C",
        f"cmake.define.DEP_DIR={toolchain['DEP_DIR']}",
        "-C",
        f"cmake.define.EXT_SUFFIX=.cpython-{PY[2:]}-darwin.so",
    ]
    return build_in_place(root, outdir, *defines, *options, env=env)


def _wheel(result: Result) -> Path:
    assert result.returncode == 0, tail(result.output)
    return result.wheel


def _otool(*arguments: str | Path) -> str:
    return subprocess.run(
        [llvm("llvm-otool"), *map(str, arguments)], capture_output=True, text=True, check=True
    ).stdout


def _loads(path: Path) -> list[str]:
    """The install name (for a dylib) and the libraries a Mach-O file loads."""
    return [line.split(" (compatibility")[0].strip() for line in _otool("-L", path).splitlines()[1:]]


def _rpaths(path: Path) -> list[str]:
    return re.findall(r"cmd LC_RPATH\n\s+cmdsize \d+\n\s+path (\S+)", _otool("-l", path))


def test_a_macos_wheel_is_repaired_with_delocate(
    root: Path, tmp_path: Path, toolchain: dict[str, str]
) -> None:
    log = Path(toolchain["CODESIGN_LOG"])
    log.unlink(missing_ok=True)
    result = _build(root, tmp_path / "dist", toolchain)
    wheel = _wheel(result)
    assert wheel.name == f"repair_mac-1.0-{PY}-{PY}-macosx_11_0_arm64.whl"
    assert members(wheel) == [
        "repair_mac/.dylibs/libdep.dylib",
        "repair_mac/__init__.py",
        EXT,
        "repair_mac/libfoo.1.dylib",
        f"{DIST}/METADATA",
        f"{DIST}/WHEEL",
        f"{DIST}/sboms/ironwheel.cdx.json",
        f"{DIST}/RECORD",
    ]
    assert "repair: using delocate 0." in result.output
    unpacked = tmp_path / "unpacked"
    shutil.unpack_archive(wheel, unpacked, format="zip")
    extension = unpacked / EXT
    # Every library the extension loads is found relative to it.
    assert _loads(extension) == [
        f"@rpath/_ext.cpython-{PY[2:]}-darwin.so",
        "/usr/lib/libSystem.B.dylib",
        "@loader_path/.dylibs/libdep.dylib",
        "@loader_path/libfoo.1.dylib",
    ]
    assert _rpaths(extension) == ["@loader_path"]
    assert _loads(unpacked / "repair_mac" / "libfoo.1.dylib")[0] == "@rpath/libfoo.1.dylib"
    assert (
        _loads(unpacked / "repair_mac" / ".dylibs" / "libdep.dylib")[0]
        == "/DLC/repair_mac/.dylibs/libdep.dylib"
    )
    # No load command or rpath points into the build, the project or the library's directory.
    for path in [extension, *unpacked.rglob("*.dylib")]:
        for entry in _loads(path) + _rpaths(path):
            assert entry.startswith(("@", "/usr/lib/", "/DLC/")), (path, entry)
    # Each binary changed was handed to codesign (a no-op here; real signing needs macOS).
    signed = {Path(line.split()[-1]).name for line in log.read_text().splitlines()}
    assert {f"_ext.cpython-{PY[2:]}-darwin.so", "libfoo.1.dylib", "libdep.dylib"} <= signed


def test_required_architectures_are_checked(root: Path, tmp_path: Path, toolchain: dict[str, str]) -> None:
    result = _build(root, tmp_path / "dist", toolchain, "-C", "repair.macos-archs=arm64;x86_64")
    assert result.returncode == 5, tail(result.output)
    assert result.wheels == []
    lines = result.output.splitlines()
    assert "error: cannot repair the wheel: Some missing architectures in wheel" in lines
    assert f"  Required arch x86_64 missing from {EXT}" in lines
    assert lines[-1].startswith("hint: build every binary for the required architectures")


def test_the_fast_path_matches_delocate_on_the_whole_wheel(
    root: Path, tmp_path: Path, toolchain: dict[str, str]
) -> None:
    plain = _wheel(_build(root, tmp_path / "plain", toolchain, "-C", "repair.mode=off"))
    fast = _wheel(_build(root, tmp_path / "fast", toolchain))
    env = {**os.environ, "PATH": toolchain["PATH"], "CODESIGN_LOG": toolchain["CODESIGN_LOG"]}
    env["DYLD_FALLBACK_LIBRARY_PATH"] = toolchain["DEP_DIR"]
    script = "import sys; from delocate import delocate_wheel; delocate_wheel(sys.argv[1], sys.argv[2], require_archs=['arm64'])"
    subprocess.run([sys.executable, "-c", script, plain, tmp_path / plain.name], check=True, env=env)
    (slow,) = tmp_path.glob("*.whl")
    assert fast.name == slow.name
    sbom = f"{DIST}/sboms/ironwheel.cdx.json"
    assert contents(fast, skip=[sbom]) == contents(slow, skip=[sbom])


def test_a_check_reports_what_delocate_would_graft(
    root: Path, tmp_path: Path, toolchain: dict[str, str]
) -> None:
    result = _build(root, tmp_path / "dist", toolchain, "-C", "repair.mode=check")
    wheel = _wheel(result)
    assert wheel.name == f"repair_mac-1.0-{PY}-{PY}-macosx_11_0_arm64.whl"
    assert "repair_mac/.dylibs/libdep.dylib" not in members(wheel)
    assert (
        "repair check: delocate would graft libdep.dylib (repair_mac/.dylibs/libdep.dylib)" in result.output
    )
    assert (
        "repair check: the repaired wheel would be tagged macosx_11_0_arm64 (this one stays macosx_11_0_arm64)"
        in result.output
    )
