"""The configure plan: what CMake is told, and which changes force a fresh cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from ironwheel import _layout
from ironwheel._records import file_stat
from ironwheel.cmake import configure
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.entrypoints import CMakeEntryPoints
from ironwheel.cmake.environment import BuildEnvironment
from ironwheel.cmake.helpers import HELPERS_DIR
from ironwheel.cmake.plan import Plan, Target, Tools, make_plan
from ironwheel.request import BuildRequest
from ironwheel.settings import load_settings
from ironwheel.target import PythonFacts, WheelTarget
from tests.unit import probes


@pytest.fixture
def build_dir(tmp_path: Path) -> Iterator[BuildDir]:
    with BuildDir.open(tmp_path / "build") as opened:
        yield opened


@pytest.fixture
def environment(tmp_path: Path) -> BuildEnvironment:
    """A fake isolated environment: its own python path and site-packages."""
    probe = probes.environment(tmp_path)
    (probe.site_dirs[0] / "some_pkg").mkdir()
    return probe


def plan(
    build_dir: BuildDir, probe: BuildEnvironment, *, environ: dict[str, str] | None = None, **kwargs: Any
) -> Plan:
    if environ is not None:
        probe = probes.changed(probe, environ=environ)
    return probes.plan(build_dir, probe, **kwargs)


def test_initial_cache_carries_the_contract(build_dir: BuildDir, environment: BuildEnvironment) -> None:
    result = plan(build_dir, environment, table={"cmake": {"define": {"CMAKE_PREFIX_PATH": "/opt/x;/opt/y"}}})
    lines = result.init_cache.splitlines()
    staging = build_dir.staging.as_posix()

    def value(name: str) -> str:
        (line,) = [line for line in lines if line.startswith(f"set({name} ")]
        return line.split('"')[1]

    assert value("IRONWHEEL") == "ON"
    assert value("SKBUILD") == "2"
    assert value("IRONWHEEL_PROJECT_NAME") == value("SKBUILD_PROJECT_NAME") == "my_pkg"
    assert value("IRONWHEEL_PROJECT_VERSION") == value("SKBUILD_PROJECT_VERSION") == "1.2.3.4"
    assert value("SKBUILD_PROJECT_VERSION_FULL") == "1.2.3.4.5rc1"
    assert value("IRONWHEEL_STATE") == value("SKBUILD_STATE") == "wheel"
    assert value("IRONWHEEL_SOABI") == "abi3"
    assert value("SKBUILD_SABI_VERSION") == "3.9"
    assert value("SKBUILD_SABI_COMPONENT") == "Development.SABIModule"
    for tree in ("PLATLIB", "DATA", "SCRIPTS", "HEADERS", "METADATA", "NULL"):
        assert value(f"IRONWHEEL_{tree}_DIR") == value(f"SKBUILD_{tree}_DIR") == f"{staging}/{tree.lower()}"
    launcher = (build_dir.state_dir / "env" / "python").as_posix()
    assert value("Python_EXECUTABLE") == value("Python3_EXECUTABLE") == value("PYTHON_EXECUTABLE") == launcher
    assert value("Python_FIND_REGISTRY") == "NEVER"
    assert value("CMAKE_PREFIX_PATH") == (
        f"/opt/x;/opt/y;{HELPERS_DIR.as_posix()};{build_dir.state_dir.as_posix()}/env/site-0"
    )
    site = environment.site_dirs[0]
    assert (build_dir.state_dir / "env" / "site-0" / "some_pkg").resolve() == site / "some_pkg"
    launcher_text = (build_dir.state_dir / "env" / "python").read_text()
    assert (
        f'PYTHONPATH="{build_dir.state_dir.as_posix()}/env/site-0${{PYTHONPATH:+:$PYTHONPATH}}"'
        in launcher_text
    )


def test_command_line(build_dir: BuildDir, environment: BuildEnvironment) -> None:
    result = plan(
        build_dir,
        environment,
        table={"cmake": {"define": {"B": True, "A": "x"}, "args": ["--log-level=VERBOSE"]}},
        environ={"CMAKE_ARGS": "-DCMAKE_INSTALL_PREFIX=/conda -DFROM_ENV='a b'"},
    )
    assert result.command == (
        "/usr/bin/cmake",
        "-S",
        "/src/my-pkg",
        "-B",
        str(build_dir.path),
        "-G",
        "Ninja",
        "-C",
        str(build_dir.state_dir / "init-cache.cmake"),
        f"-DCMAKE_INSTALL_PREFIX={build_dir.staging.as_posix()}/platlib",
        "-DCMAKE_BUILD_TYPE=Release",
        f"-DCMAKE_MAKE_PROGRAM={build_dir.state_dir / 'env' / 'ninja'}",
        "-DA=x",
        "-DB=ON",
        "--log-level=VERBOSE",
        "-DFROM_ENV=a b",
    )
    assert result.environment == {"SOURCE_DATE_EPOCH": "315532800"}


def test_new_isolated_environment_keeps_both_keys(
    build_dir: BuildDir, environment: BuildEnvironment, tmp_path: Path
) -> None:
    first = plan(build_dir, environment)
    other = probes.environment(tmp_path, "env-2")
    (other.site_dirs[0] / "some_pkg").mkdir()
    second = plan(build_dir, other)
    assert second.configure_key == first.configure_key
    assert second.fresh_key == first.fresh_key
    assert (build_dir.state_dir / "env" / "site-0" / "some_pkg").resolve() == other.site_dirs[0] / "some_pkg"
    assert str(other.executable) in (build_dir.state_dir / "env" / "python").read_text()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"environ": {"CC": "clang"}}, "changed: CC"),
        ({"environ": {"CFLAGS": "-O3"}}, "changed: CFLAGS"),
        ({"environ": {"CMAKE_GENERATOR": "Unix Makefiles"}}, "changed: generator"),
        ({"table": {"cmake": {"define": {"NEW": "1"}}}}, "changed: defined"),
    ],
)
def test_changes_that_need_a_fresh_cache(
    build_dir: BuildDir, environment: BuildEnvironment, change: dict[str, Any], reason: str
) -> None:
    first = plan(build_dir, environment)
    (build_dir.path / "CMakeCache.txt").write_text("")
    build_dir.write_state({"fresh_key": dict(first.fresh_key), "configure_key": first.configure_key})
    assert configure._why_fresh(build_dir, first, build_dir.read_state()) == ""
    changed = plan(build_dir, environment, **change)
    assert configure._why_fresh(build_dir, changed, build_dir.read_state()) == reason


def test_changed_define_value_reconfigures_without_a_fresh_cache(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    first = plan(build_dir, environment, table={"cmake": {"define": {"X": "1"}}})
    second = plan(build_dir, environment, table={"cmake": {"define": {"X": "2"}}})
    assert first.fresh_key == second.fresh_key
    assert first.configure_key != second.configure_key


def test_other_python_needs_a_fresh_cache(build_dir: BuildDir, environment: BuildEnvironment) -> None:
    first = plan(build_dir, environment)
    patched = probes.changed(environment, version=environment.version + " (patched)")
    assert plan(build_dir, patched).fresh_key["python"] != first.fresh_key["python"]
    assert plan(build_dir, environment).fresh_key == first.fresh_key


def test_replaced_compiler_needs_a_fresh_cache(
    build_dir: BuildDir, environment: BuildEnvironment, tmp_path: Path
) -> None:
    compiler = tmp_path / "cc"
    compiler.write_text("one")
    first = plan(build_dir, environment)
    (build_dir.path / "CMakeCache.txt").write_text("")
    recorded = [["C", str(compiler), file_stat(compiler)]]
    build_dir.write_state({"fresh_key": dict(first.fresh_key), "compilers": recorded})
    assert configure._why_fresh(build_dir, first, build_dir.read_state()) == ""
    compiler.write_text("a new version")
    assert (
        configure._why_fresh(build_dir, first, build_dir.read_state()) == f"the compiler {compiler} changed"
    )


def test_build_dir_is_marked_and_ignored(build_dir: BuildDir) -> None:
    with build_dir.lock():
        pass
    assert (build_dir.path / ".gitignore").read_text() == "# Created by ironwheel.\n*\n"
    assert (
        (build_dir.path / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )


def test_a_users_gitignore_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".gitignore").write_text("mine\n")
    with BuildDir.open(tmp_path / "out") as build_dir, build_dir.lock():
        pass
    assert (tmp_path / "out" / ".gitignore").read_text() == "mine\n"


def test_packages_register_cmake_directories_through_entry_points(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    site = environment.site_dirs[0]
    (site / "helper_pkg" / "cmake").mkdir(parents=True)
    (site / "helper_pkg" / "prefix").mkdir()
    registered = CMakeEntryPoints(
        module=(site / "helper_pkg" / "cmake",),
        prefix=(site / "helper_pkg" / "prefix",),
        root=(("Helper", site / "helper_pkg"),),
    )
    lines = plan(build_dir, probes.changed(environment, entry_points=registered)).init_cache.splitlines()
    view = (build_dir.state_dir / "env" / "site-0").as_posix()

    def value(name: str) -> str:
        (line,) = [line for line in lines if line.startswith(f"set({name} ")]
        return line.split('"')[1]

    assert value("CMAKE_MODULE_PATH") == f"{view}/helper_pkg/cmake"
    assert value("CMAKE_PREFIX_PATH") == f"{view}/helper_pkg/prefix;{HELPERS_DIR.as_posix()};{view}"
    assert value("Helper_ROOT") == f"{view}/helper_pkg"


def test_macos_builds_get_the_architectures_and_target_of_the_tag(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    result = plan(
        build_dir,
        environment,
        platform="macosx_10_13_universal2",
        environ={"ARCHFLAGS": "-arch x86_64 -arch arm64", "MACOSX_DEPLOYMENT_TARGET": "10.13"},
    )
    assert (
        'set(CMAKE_OSX_ARCHITECTURES "arm64;x86_64" CACHE STRING "Set by ironwheel" FORCE)'
        in result.init_cache
    )
    assert (
        'set(CMAKE_OSX_DEPLOYMENT_TARGET "10.13" CACHE STRING "Set by ironwheel" FORCE)' in result.init_cache
    )
    assert "CMAKE_OSX" not in plan(build_dir, environment).init_cache


@pytest.mark.parametrize(
    ("platform", "expected"), [("win32", "Win32"), ("win_amd64", "x64"), ("win_arm64", "ARM64")]
)
def test_visual_studio_generator_gets_the_platform_of_the_tag(
    build_dir: BuildDir, environment: BuildEnvironment, platform: str, expected: str
) -> None:
    environ = {"CMAKE_GENERATOR": "Visual Studio 17 2022"}
    command = plan(build_dir, environment, platform=platform, environ=environ).command
    assert command[command.index("-A") + 1] == expected
    assert "-DCMAKE_BUILD_TYPE=Release" not in command  # a multi-config generator
    explicit = plan(
        build_dir,
        environment,
        platform=platform,
        environ={"CMAKE_GENERATOR": "Visual Studio 17 2022", "CMAKE_ARGS": "-A x64"},
    )
    assert explicit.command.count("-A") == 1


def test_planning_reads_and_writes_nothing(build_dir: BuildDir, environment: BuildEnvironment) -> None:
    view = build_dir.prepare_view(environment, probes.NINJA.path)
    before = sorted((path, path.stat().st_mtime_ns) for path in build_dir.path.rglob("*"))
    wheel = probes.wheel_target()
    target = Target("my-pkg", Version("1.0"), Path("/src/my-pkg"), wheel, None, BuildRequest())
    settings = load_settings({"project": {}}, environ={})
    first = make_plan(target, settings, Tools(probes.CMAKE, probes.NINJA), environment, view, build_dir)
    assert sorted((path, path.stat().st_mtime_ns) for path in build_dir.path.rglob("*")) == before
    # The same facts make the same plan.
    assert (
        make_plan(target, settings, Tools(probes.CMAKE, probes.NINJA), environment, view, build_dir) == first
    )
    assert first.files[_layout.INIT_CACHE] == first.init_cache


def test_a_macos_build_without_archflags_takes_the_interpreters_machine(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    def macos(platform: str, target: str) -> WheelTarget:
        running = PythonFacts(
            "cpython", (3, 11), "", ".cpython-311-darwin.so", ".abi3.so", platform, macos_target=target
        )
        return probes.wheel_target(running=running)

    lines = plan(build_dir, environment, wheel=macos("macosx-10.9-arm64", "10.9")).init_cache.splitlines()
    assert 'set(CMAKE_OSX_ARCHITECTURES "arm64" CACHE STRING "Set by ironwheel" FORCE)' in lines
    # Apple silicon starts at macOS 11, whatever older target the interpreter was built for.
    assert 'set(CMAKE_OSX_DEPLOYMENT_TARGET "11.0" CACHE STRING "Set by ironwheel" FORCE)' in lines
    intel = macos("macosx-10.13-x86_64", "10.13")
    lines = plan(build_dir, environment, wheel=intel).init_cache.splitlines()
    assert 'set(CMAKE_OSX_ARCHITECTURES "x86_64" CACHE STRING "Set by ironwheel" FORCE)' in lines
    assert 'set(CMAKE_OSX_DEPLOYMENT_TARGET "10.13" CACHE STRING "Set by ironwheel" FORCE)' in lines
