"""cibuildwheel's build and repair steps on ironwheel projects, as far as this Linux machine allows.

Each test runs what cibuildwheel runs for one build identifier (tests/integration/cibw.py):
its environment, its frontend (isolated ``python -m build``, or ``build[uv]``), then the
project's repair-wheel-command, cibuildwheel's default unless the project sets one, and on
Linux its test step (a new environment, the repaired wheel, the project's test-command). The
Linux builds run on this machine instead of a manylinux container: the image's AUDITWHEEL_PLAT
is the policy of this machine's glibc. The macOS and Windows builds cross-compile with
zig or mingw-w64 (the target named by cibuildwheel's variables, or by target.platform
where a Windows runner's interpreter would say it), delocate runs through LLVM's tools,
and their wheels are not imported (that needs a Mac and a Windows machine).
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

from ironwheel.tools.zig import find_zig
from tests.conftest import ROOT
from tests.integration.cibw import Built, build, repair, run_tests
from tests.integration.repairing import build_in_place, contents, llvm, members

pytestmark = pytest.mark.slow

PY = f"cp{sysconfig.get_config_var('py_version_nodot')}"
ARCH = sysconfig.get_platform().split("-")[-1]
LINUX = f"{PY}-manylinux_{ARCH}"
# The policy a manylinux image of this machine's glibc would set.
GLIBC = (os.confstr("CS_GNU_LIBC_VERSION") or "glibc 2.17").split()[-1].split(".")
HOST_POLICY = f"manylinux_{GLIBC[0]}_{GLIBC[1]}"
DEFERRED = 'repair: not repairing (repair.mode = "auto" and CIBUILDWHEEL=1'
ADVICE = "cibuildwheel's default repair-wheel-command cannot repair this wheel"


def _documented(name: str, pyproject: Path) -> None:
    """Append the configuration docs/cibuildwheel.md gives under ``<!-- config: name -->``."""
    text = (ROOT / "docs" / "cibuildwheel.md").read_text()
    block = re.search(rf"<!-- config: {name} -->\n```toml\n(.*?)```", text, re.DOTALL)
    assert block is not None, name
    pyproject.write_text(pyproject.read_text() + "\n" + block.group(1))


def _advised(built: Built) -> str:
    """The repair-wheel-command the build log names."""
    found = re.search(r'set \[tool\.cibuildwheel\.\w+\] repair-wheel-command = "([^"]*)"', built.output)
    assert found is not None, built.output[-3000:]
    return found.group(1)


def _with_command(project: Path, table: str, command: str, tmp_path: Path) -> Path:
    """A copy of the project's pyproject.toml whose [tool.cibuildwheel.<table>] sets ``command``."""
    config = tmp_path / f"config-{len(list(tmp_path.glob('config-*')))}"
    config.mkdir()
    text = (project / "pyproject.toml").read_text()
    (config / "pyproject.toml").write_text(
        f'{text}\n[tool.cibuildwheel.{table}]\nrepair-wheel-command = "{command}"\n'
    )
    return config


@pytest.fixture
def uv_offline(offline_pip: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """build[uv] installs with uv: from the wheelhouse only, too."""
    monkeypatch.setenv("UV_FIND_LINKS", str(offline_pip))
    monkeypatch.setenv("UV_OFFLINE", "1")
    return offline_pip


# What each project's installed modules must do, as a test its cibuildwheel test step runs.
_INSTALLED_TESTS = {
    "internal_lib": "import internal_lib as m\n\nassert (m.value(), m.doubled(), m.one()) == (21, 42, 1)\n",
    "repair_elf": "import repair_elf as m\n\nassert (m.answer(), m.threads()) == (42, True)\n",
}


def _with_tests(root: Path, name: str) -> None:
    """[tool.cibuildwheel] test-sources and test-command: a unittest of the installed package."""
    (root / "tests").mkdir()
    body = _INSTALLED_TESTS[name].replace("\n", "\n        ").rstrip()
    (root / "tests" / "test_installed.py").write_text(
        "import unittest\n\n\nclass Installed(unittest.TestCase):\n    def test_modules(self):\n"
        f"        {body}\n"
        f"        self.assertNotIn({str(root)!r}, m.__file__)\n"
    )
    with (root / "pyproject.toml").open("a") as pyproject:
        pyproject.write(
            '\n[tool.cibuildwheel]\ntest-sources = ["tests"]\n'
            'test-command = "python -m unittest discover -v -s tests"\n'
        )


@pytest.mark.parametrize(("name", "frontend"), [("internal_lib", "build"), ("repair_elf", "build[uv]")])
def test_linux_default_repair(
    name: str, frontend: str, project: Callable[[str], Path], tmp_path: Path, uv_offline: Path
) -> None:
    del uv_offline
    root = project(name)
    _with_tests(root, name)
    built = build(root, LINUX, tmp_path / "cibw", frontend=frontend, linux_policy=HOST_POLICY)
    assert built.wheel.name == f"{name}-1.0-{PY}-{PY}-linux_{ARCH}.whl"
    assert f"Creating isolated environment: venv+{'uv' if frontend == 'build[uv]' else 'pip'}" in built.output
    assert DEFERRED in built.output
    assert ADVICE not in built.output
    repaired = repair(built)
    assert repaired.command == "auditwheel repair -w {dest_dir} {wheel}"
    wheel = repaired.wheel
    assert f"manylinux_{GLIBC[0]}_{GLIBC[1]}_{ARCH}" in wheel.name.split("-")[-1], wheel.name
    # The same wheel as ironwheel's own repair: the project's library unmangled next to its
    # modules, the same grafted libraries.
    own = build_in_place(
        root,
        tmp_path / "own",
        env={"AUDITWHEEL_PLAT": f"{HOST_POLICY}_{ARCH}"},
    )
    assert own.returncode == 0, own.output[-3000:]
    sbom = f"{name}-1.0.dist-info/sboms/ironwheel.cdx.json"
    assert own.wheel.name == wheel.name
    assert contents(wheel, skip=[sbom]).keys() == contents(own.wheel, skip=[sbom]).keys()
    # cibuildwheel's test step: a new environment with the repaired wheel, the tests run from elsewhere.
    output = run_tests(built, repaired).check()
    assert f"install {wheel}" in output
    assert "test_modules (test_installed.Installed" in output
    assert "Ran 1 test" in output
    assert output.rstrip().endswith("OK")


def _zig_on_path(directory: Path) -> dict[str, str]:
    """This machine's zig on PATH, which ironwheel uses instead of requesting ziglang.

    For the macOS builds it must: pip honours _PYTHON_HOST_PLATFORM too, so a build
    environment would get ziglang's macOS binary. It also spares each build installing
    the package (tests/integration/test_zig.py has a frontend request it).
    """
    directory.mkdir(exist_ok=True)
    zig = find_zig()
    assert zig is not None
    (directory / "zig").symlink_to(zig)
    return {"PATH": os.pathsep.join([str(directory), os.environ["PATH"]])}


def _shims(directory: Path) -> dict[str, str]:
    """LLVM's tools under Apple's names for delocate (codesign signs nothing: real signing needs
    macOS), and zig on PATH."""
    _zig_on_path(directory)
    scripts = {
        "otool": f'for a in "$@"; do shift; [ "$a" = -m ] || set -- "$@" "$a"; done\nexec {llvm("llvm-otool")} "$@"',
        "install_name_tool": f'exec {llvm("llvm-install-name-tool")} "$@"',
        "lipo": f'exec {llvm("llvm-lipo")} "$@"',
        "codesign": "exit 0",
    }
    for name, body in scripts.items():
        (directory / name).write_text(f"#!/bin/sh\n{body}\n")
        (directory / name).chmod(0o755)
    return {"PATH": os.pathsep.join([str(directory), os.environ["PATH"]])}


def test_macos_default_repair(project: Callable[[str], Path], tmp_path: Path, offline_pip: Path) -> None:
    del offline_pip
    shims = _shims(tmp_path / "shims")
    # The project's own dylib: the default delocate-wheel finds it.
    built = build(
        project("internal_lib"),
        f"{PY}-macosx_arm64",
        tmp_path / "arm64",
        extra_env=shims,
        config_settings="build.toolchain=zig",
    )
    assert built.wheel.name == f"internal_lib-1.0-{PY}-{PY}-macosx_11_0_arm64.whl"
    assert ADVICE not in built.output
    repaired = repair(built)
    assert repaired.command == "delocate-wheel --require-archs {delocate_archs} -w {dest_dir} -v {wheel}"
    assert repaired.wheel.name == built.wheel.name
    assert "internal_lib/libcore.dylib" in members(repaired.wheel)

    # A library from a directory of the build machine: the default cannot find it; the log says
    # what to set, and that finds it, as ironwheel's own repair does.
    dep = tmp_path / "dep"
    dep.mkdir()
    (dep / "dep.c").write_text("int dep_value(void) { return 2; }\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ziglang",
            "cc",
            "-target",
            "x86_64-macos.10.9",
            "-shared",
            "-o",
            dep / "libdep.dylib",
            "-Wl,-install_name,@rpath/libdep.dylib",
            dep / "dep.c",
        ],
        check=True,
    )
    settings = (
        f"build.toolchain=zig cmake.define.DEP_DIR={dep} cmake.define.EXT_SUFFIX=.cpython-{PY[2:]}-darwin.so"
    )
    root = project("repair_mac")
    built = build(root, f"{PY}-macosx_x86_64", tmp_path / "x86_64", extra_env=shims, config_settings=settings)
    assert built.wheel.name == f"repair_mac-1.0-{PY}-{PY}-macosx_10_9_x86_64.whl"
    command = _advised(built)
    assert command == (
        f"DYLD_FALLBACK_LIBRARY_PATH={dep.as_posix()} delocate-wheel --require-archs {{delocate_archs}} "
        "-w {dest_dir} -v {wheel}"
    )
    assert f"delocate does not look where the build found libdep.dylib ({dep.as_posix()})" in built.output
    failed = repair(built, name="default")
    assert failed.returncode != 0
    assert failed.wheels == []
    fixed = repair(built, config_from=_with_command(root, "macos", command, tmp_path), name="advised")
    assert "repair_mac/.dylibs/libdep.dylib" in members(fixed.wheel)
    assert "repair_mac/libfoo.1.dylib" in members(fixed.wheel)


def test_windows_default_repair_and_the_documented_configurations(
    project: Callable[[str], Path], tmp_path: Path, offline_pip: Path
) -> None:
    del offline_pip
    root = project("repair_win")
    identifier = f"{PY}-win_amd64"
    # A Windows runner's interpreter is a Windows Python; here the target is named instead.
    settings = f"target.platform=win_amd64 cmake.define.EXT_SUFFIX=.{PY}-win_amd64.pyd"
    # zig links its threads library statically: only the project's DLLs are needed.
    zig = _zig_on_path(tmp_path / "bin")
    built = build(
        root, identifier, tmp_path / "zig", extra_env=zig, config_settings=f"build.toolchain=zig {settings}"
    )
    assert built.wheel.name == f"repair_win-1.0-{PY}-{PY}-win_amd64.whl"
    assert (
        f"{ADVICE}: delvewheel looks for DLLs on PATH, not in the wheel (repair_win/liba.dll, repair_win/libb.dll)"
        in built.output
    )
    assert _advised(built) == "delvewheel repair --ignore-existing -w {dest_dir} -v {wheel}"
    failed = repair(built, name="default")
    assert failed.command == "delvewheel repair -w {dest_dir} -v {wheel}"
    assert failed.returncode != 0
    assert (
        "Unable to find library: liba.dll" in failed.output
        or "Unable to find library: libb.dll" in failed.output
    )
    assert failed.wheels == []
    # docs/cibuildwheel.md, "cibuildwheel repairs": the command the log gave.
    documented = tmp_path / "documented"
    documented.mkdir()
    shutil.copy2(root / "pyproject.toml", documented / "pyproject.toml")
    _documented("cibuildwheel-repairs", documented / "pyproject.toml")
    fixed = repair(built, config_from=documented, name="documented")
    assert fixed.command == _advised(built)
    assert sorted(name for name in members(fixed.wheel) if name.endswith(".dll")) == [
        "repair_win/liba.dll",
        "repair_win/libb.dll",
    ]

    # mingw-w64 links libwinpthread-1.dll, from the directory repair.dll-dirs names.
    mingw = {"CMAKE_TOOLCHAIN_FILE": str(root / "mingw-w64.cmake")}
    built = build(root, identifier, tmp_path / "mingw", extra_env=mingw, config_settings=settings)
    command = _advised(built)
    assert command == (
        "delvewheel repair --ignore-existing --add-path /usr/x86_64-w64-mingw32/lib -w {dest_dir} -v {wheel}"
    )
    fixed = repair(built, config_from=_with_command(root, "windows", command, tmp_path), name="advised")
    names = members(fixed.wheel)
    assert [name for name in names if name.startswith("repair_win.libs/libwinpthread-1-")], names

    # docs/cibuildwheel.md, "ironwheel repairs": one repair, in the build; the step is off.
    _documented("ironwheel-repairs", root / "pyproject.toml")
    built = build(root, identifier, tmp_path / "ironwheel", extra_env=mingw, config_settings=settings)
    assert 'repair: repairing the wheel (repair.mode = "on")' in built.output
    kept = repair(built)
    assert kept.command == ""
    assert kept.wheel.name == built.wheel.name
    # The same DLLs, under the same names, as cibuildwheel's step with the advised command.
    assert sorted(name for name in members(kept.wheel) if name.endswith(".dll")) == sorted(
        name for name in names if name.endswith(".dll")
    )
