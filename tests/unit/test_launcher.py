"""build.compiler-launcher: which compiler cache is used, what CMake is told, when it starts over."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.version import Version

from ironwheel.cmake import configure
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.plan import Plan, Tools
from ironwheel.errors import ConfigError, ToolError, format_error
from ironwheel.settings import load_settings
from ironwheel.tools.launcher import Launcher, find_launcher
from ironwheel.tools.toolchain import Program
from tests.unit import probes

CMAKE = Program("cmake", Path("/usr/bin/cmake"), Version("3.25.1"), "on PATH")


def program(directory: Path, name: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text('#!/bin/sh\nexec "$@"\n')
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.mark.skipif(os.name == "nt", reason="executables on PATH are found by extension on Windows")
def test_auto_prefers_ccache_then_sccache(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    sccache = program(first, "sccache")
    ccache = program(second, "ccache")
    path = os.pathsep.join([str(first), str(second)])
    assert find_launcher("auto", {"PATH": path}) == Launcher(ccache)
    ccache.unlink()
    assert find_launcher("auto", {"PATH": path}) == Launcher(sccache)
    sccache.unlink()
    assert find_launcher("auto", {"PATH": path}) is None


@pytest.mark.skipif(os.name == "nt", reason="executables on PATH are found by extension on Windows")
@pytest.mark.parametrize(
    ("value", "chosen"), [("1", "sccache"), ("true", "sccache"), ("0", "ccache"), ("false", "ccache")]
)
def test_auto_skips_a_disabled_ccache(tmp_path: Path, value: str, chosen: str) -> None:
    program(tmp_path, "ccache")
    program(tmp_path, "sccache")
    launcher = find_launcher("auto", {"PATH": str(tmp_path), "CCACHE_DISABLE": value})
    assert launcher == Launcher(tmp_path / chosen)


def test_auto_leaves_a_launcher_from_the_environment_alone(tmp_path: Path) -> None:
    program(tmp_path, "ccache")
    environ = {"PATH": str(tmp_path), "CMAKE_CXX_COMPILER_LAUNCHER": "distcc"}
    assert find_launcher("auto", environ) is None


def test_none_and_explicit_programs(tmp_path: Path) -> None:
    ccache = program(tmp_path, "ccache")
    other = program(tmp_path / "elsewhere", "my-cache")
    assert find_launcher("none", {"PATH": str(tmp_path)}) is None
    assert find_launcher("ccache", {"PATH": str(tmp_path)}) == Launcher(ccache)
    assert find_launcher(str(other), {"PATH": str(tmp_path)}) == Launcher(other)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "sccachee",
            'error: build.compiler-launcher: "sccachee" was not found\n'
            'hint: install it or put it on PATH, give its full path, or set build.compiler-launcher = "none"',
        ),
        (
            "/nowhere/ccache",
            'error: build.compiler-launcher: "/nowhere/ccache" was not found\n'
            'hint: install it or put it on PATH, give its full path, or set build.compiler-launcher = "none"',
        ),
    ],
)
def test_a_missing_program_is_an_error(setting: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(ToolError) as caught:
        find_launcher(setting, {"PATH": str(tmp_path)})
    assert format_error(caught.value) == message


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"build.compiler-launcher": ""},
            'error: -C build.compiler-launcher: expected "auto", "none" or a program such as "ccache", got ""\n'
            "hint: python -m ironwheel config --schema lists every setting",
        ),
        (
            {"build.compiler-launcher": " ccache"},
            'error: -C build.compiler-launcher: expected "auto", "none" or a program such as "ccache", got " ccache"\n'
            "hint: python -m ironwheel config --schema lists every setting",
        ),
    ],
)
def test_bad_settings(config: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"project": {}}, config, environ={})
    assert format_error(caught.value) == message


def test_default_is_auto() -> None:
    assert load_settings({"project": {}}, environ={}).build.compiler_launcher == "auto"


@pytest.fixture
def build_dir(tmp_path: Path) -> Iterator[BuildDir]:
    with BuildDir.open(tmp_path / "build") as opened:
        yield opened


def plan(build_dir: BuildDir, launcher: Launcher | None, environ: dict[str, str] | None = None) -> Plan:
    probe = probes.environment(build_dir.path.parent, "env", environ=environ)
    return probes.plan(build_dir, probe, stable_abi=None, tools=Tools(CMAKE, None, launcher))


def test_the_launcher_goes_into_the_initial_cache(build_dir: BuildDir) -> None:
    lines = plan(build_dir, Launcher(Path("/usr/bin/ccache"))).init_cache.splitlines()
    launchers = [line for line in lines if "COMPILER_LAUNCHER" in line]
    assert launchers == [
        f'set(CMAKE_{language}_COMPILER_LAUNCHER "/usr/bin/ccache" CACHE STRING "Set by ironwheel" FORCE)'
        for language in ("C", "CXX", "OBJC", "OBJCXX", "CUDA")
    ]
    assert not [line for line in plan(build_dir, None).init_cache.splitlines() if "LAUNCHER" in line]


@pytest.mark.parametrize(
    ("before", "after", "environ", "reason"),
    [
        (None, Launcher(Path("/usr/bin/ccache")), {}, "changed: launcher"),
        (Launcher(Path("/usr/bin/ccache")), None, {}, "changed: launcher"),
        (Launcher(Path("/usr/bin/ccache")), Launcher(Path("/usr/bin/sccache")), {}, "changed: launcher"),
        (None, None, {"CMAKE_C_COMPILER_LAUNCHER": "distcc"}, "changed: CMAKE_C_COMPILER_LAUNCHER"),
    ],
)
def test_a_changed_launcher_starts_over(
    build_dir: BuildDir,
    before: Launcher | None,
    after: Launcher | None,
    environ: dict[str, str],
    reason: str,
) -> None:
    # A launcher removed from the initial cache would stay in an existing cache.
    first = plan(build_dir, before)
    (build_dir.path / "CMakeCache.txt").write_text("")
    build_dir.write_state({"fresh_key": dict(first.fresh_key), "configure_key": first.configure_key})
    second = plan(build_dir, after, environ)
    assert configure._why_fresh(build_dir, second, build_dir.read_state()) == reason
