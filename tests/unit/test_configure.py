"""The configure plan: what CMake is told, and which changes force a fresh cache."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.version import Version

from ironwheel.cmake import builddir, configure
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.helpers import HELPERS_DIR
from ironwheel.settings import load_settings
from ironwheel.tags import StableABI
from ironwheel.toolchain import Program

CMAKE = Program("cmake", Path("/usr/bin/cmake"), Version("3.25.1"), "on PATH")
NINJA = Program("ninja", Path("/usr/bin/ninja"), Version("1.11.1"), "on PATH")


@pytest.fixture
def build_dir(tmp_path: Path) -> Iterator[BuildDir]:
    with BuildDir.open(tmp_path / "build") as opened:
        yield opened


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake isolated environment: its own python path and site-packages."""
    site = tmp_path / "env-1" / "lib" / "site-packages"
    (site / "some_pkg").mkdir(parents=True)
    monkeypatch.setattr(builddir, "site_directories", lambda: [site])
    monkeypatch.setattr(configure, "site_directories", lambda: [site])
    monkeypatch.setattr(sys, "executable", str(tmp_path / "env-1" / "bin" / "python"))
    return tmp_path


def plan(
    build_dir: BuildDir,
    *,
    table: dict[str, object] | None = None,
    environ: dict[str, str] | None = None,
    platform: str = "linux_x86_64",
) -> configure.Plan:
    settings = load_settings({"project": {}, "tool": {"ironwheel": table or {}}}, environ={})
    return configure.make_plan(
        name="my-pkg",
        version=Version("1.2.3.4.5rc1"),
        source_dir=Path("/src/my-pkg"),
        build_dir=build_dir,
        settings=settings,
        cmake=CMAKE,
        ninja=NINJA,
        stable_abi=StableABI(3, 9),
        state="wheel",
        platform=platform,
        environ=environ or {},
    )


def test_initial_cache_carries_the_contract(build_dir: BuildDir, environment: Path) -> None:
    result = plan(build_dir, table={"cmake": {"define": {"CMAKE_PREFIX_PATH": "/opt/x;/opt/y"}}})
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
    site = environment / "env-1" / "lib" / "site-packages"
    assert (build_dir.state_dir / "env" / "site-0" / "some_pkg").resolve() == site / "some_pkg"
    launcher_text = (build_dir.state_dir / "env" / "python").read_text()
    assert (
        f'PYTHONPATH="{build_dir.state_dir.as_posix()}/env/site-0${{PYTHONPATH:+:$PYTHONPATH}}"'
        in launcher_text
    )


def test_command_line(build_dir: BuildDir, environment: Path) -> None:
    del environment
    result = plan(
        build_dir,
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
    build_dir: BuildDir, environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = plan(build_dir)
    other_site = environment / "env-2" / "lib" / "site-packages"
    (other_site / "some_pkg").mkdir(parents=True)
    monkeypatch.setattr(configure, "site_directories", lambda: [other_site])
    monkeypatch.setattr(sys, "executable", str(environment / "env-2" / "bin" / "python"))
    second = plan(build_dir)
    assert second.configure_key == first.configure_key
    assert second.fresh_key == first.fresh_key
    assert (build_dir.state_dir / "env" / "site-0" / "some_pkg").resolve() == other_site / "some_pkg"
    assert (
        str(environment / "env-2" / "bin" / "python") in (build_dir.state_dir / "env" / "python").read_text()
    )


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
    build_dir: BuildDir, environment: Path, change: dict[str, dict[str, object]], reason: str
) -> None:
    del environment
    first = plan(build_dir)
    (build_dir.path / "CMakeCache.txt").write_text("")
    build_dir.write_state({"fresh_key": dict(first.fresh_key), "configure_key": first.configure_key})
    assert configure._why_fresh(build_dir, first, build_dir.read_state()) == ""
    changed = plan(build_dir, **change)  # type: ignore[arg-type]
    assert configure._why_fresh(build_dir, changed, build_dir.read_state()) == reason


def test_changed_define_value_reconfigures_without_a_fresh_cache(
    build_dir: BuildDir, environment: Path
) -> None:
    del environment
    first = plan(build_dir, table={"cmake": {"define": {"X": "1"}}})
    second = plan(build_dir, table={"cmake": {"define": {"X": "2"}}})
    assert first.fresh_key == second.fresh_key
    assert first.configure_key != second.configure_key


def test_other_python_needs_a_fresh_cache(
    build_dir: BuildDir, environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    del environment
    first = plan(build_dir)
    monkeypatch.setattr(sys, "version", sys.version + " (patched)")
    assert plan(build_dir).fresh_key["python"] != first.fresh_key["python"]


def test_replaced_compiler_needs_a_fresh_cache(
    build_dir: BuildDir, environment: Path, tmp_path: Path
) -> None:
    del environment
    compiler = tmp_path / "cc"
    compiler.write_text("one")
    first = plan(build_dir)
    (build_dir.path / "CMakeCache.txt").write_text("")
    recorded = [["C", str(compiler), configure._stat(compiler)]]
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
    build_dir: BuildDir, environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = environment / "env-1" / "lib" / "site-packages"
    (site / "helper_pkg" / "cmake").mkdir(parents=True)
    (site / "helper_pkg" / "__init__.py").write_text("")
    (site / "helper_pkg" / "cmake" / "__init__.py").write_text("")
    (site / "helper_pkg" / "prefix").mkdir()
    (site / "helper_pkg" / "prefix" / "__init__.py").write_text("")
    dist_info = site / "helper_pkg-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: helper-pkg\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text(
        "[cmake.module]\nhelper = helper_pkg.cmake\n\n[cmake.prefix]\nhelper = helper_pkg.prefix\n\n"
        "[cmake.root]\nHelper = helper_pkg\n"
    )
    monkeypatch.syspath_prepend(str(site))
    lines = plan(build_dir).init_cache.splitlines()
    view = (build_dir.state_dir / "env" / "site-0").as_posix()

    def value(name: str) -> str:
        (line,) = [line for line in lines if line.startswith(f"set({name} ")]
        return line.split('"')[1]

    assert value("CMAKE_MODULE_PATH") == f"{view}/helper_pkg/cmake"
    assert value("CMAKE_PREFIX_PATH") == f"{view}/helper_pkg/prefix;{HELPERS_DIR.as_posix()};{view}"
    assert value("Helper_ROOT") == f"{view}/helper_pkg"


def test_macos_builds_get_the_architectures_and_target_of_the_tag(
    build_dir: BuildDir, environment: Path
) -> None:
    del environment
    result = plan(
        build_dir,
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
    assert "CMAKE_OSX" not in plan(build_dir).init_cache


@pytest.mark.parametrize(
    ("platform", "expected"), [("win32", "Win32"), ("win_amd64", "x64"), ("win_arm64", "ARM64")]
)
def test_visual_studio_generator_gets_the_platform_of_the_tag(
    build_dir: BuildDir, environment: Path, platform: str, expected: str
) -> None:
    del environment
    command = plan(build_dir, platform=platform, environ={"CMAKE_GENERATOR": "Visual Studio 17 2022"}).command
    assert command[command.index("-A") + 1] == expected
    assert "-DCMAKE_BUILD_TYPE=Release" not in command  # a multi-config generator
    explicit = plan(
        build_dir,
        platform=platform,
        environ={"CMAKE_GENERATOR": "Visual Studio 17 2022", "CMAKE_ARGS": "-A x64"},
    )
    assert explicit.command.count("-A") == 1


def _cache(result: configure.Plan) -> dict[str, str]:
    return {
        line.split(" ", 1)[0][4:]: line.split('"')[1]
        for line in result.init_cache.splitlines()
        if line.startswith("set(")
    }


def test_a_native_build_gets_the_interpreters_suffix_and_no_cross_settings(
    build_dir: BuildDir, environment: Path
) -> None:
    del environment
    import sysconfig

    settings = load_settings({"project": {}, "tool": {"ironwheel": {}}}, environ={})
    result = configure.make_plan(
        name="my-pkg",
        version=Version("1.0"),
        source_dir=Path("/src/my-pkg"),
        build_dir=build_dir,
        settings=settings,
        cmake=CMAKE,
        ninja=NINJA,
        stable_abi=None,
        state="wheel",
        platform=sysconfig.get_platform().replace("-", "_").replace(".", "_"),
        environ={},
    )
    cache = _cache(result)
    assert cache["IRONWHEEL_EXT_SUFFIX"] == sysconfig.get_config_var("EXT_SUFFIX")
    assert cache["SKBUILD_SOABI"] == sysconfig.get_config_var("SOABI")
    assert "CMAKE_SYSTEM_NAME" not in cache
    assert "PYTHON_MODULE_EXTENSION" not in cache
    assert not any(name.startswith("findpython/") for name in result.files)


@pytest.mark.skipif(sys.platform != "linux", reason="a cross build from Linux")
def test_a_cross_build_tells_cmake_the_target(build_dir: BuildDir, environment: Path) -> None:
    del environment
    from ironwheel.target import TargetInputs, resolve_target, running_python
    from ironwheel.toolchains.msvc import MsvcEnvironment
    from ironwheel.toolchains.setup import Toolchain
    from ironwheel.toolchains.zig import plan_zig

    settings = load_settings({"project": {}, "tool": {"ironwheel": {}}}, environ={})
    running = running_python()
    version = f"{sys.version_info[0]}{sys.version_info[1]}"
    target = resolve_target(TargetInputs(running=running, platform="win_arm64", emulator=("wine",)))
    zig = plan_zig(target, "auto", {})
    toolchain = Toolchain(
        zig=zig,
        zig_program=Path("/opt/zig/zig"),
        msvc=MsvcEnvironment(Path("C:/VS"), "x64_arm64", {"INCLUDE": "C:/VS/include"}),
    )
    result = configure.make_plan(
        name="my-pkg",
        version=Version("1.0"),
        source_dir=Path("/src/my-pkg"),
        build_dir=build_dir,
        settings=settings,
        cmake=CMAKE,
        ninja=NINJA,
        stable_abi=None,
        state="wheel",
        platform=target.platform,
        environ={},
        target=target,
        toolchain=toolchain,
    )
    cache = _cache(result)
    state = build_dir.state_dir.as_posix()
    assert (cache["CMAKE_SYSTEM_NAME"], cache["CMAKE_SYSTEM_PROCESSOR"]) == ("Windows", "ARM64")
    assert cache["CMAKE_CROSSCOMPILING_EMULATOR"] == "wine"
    assert cache["IRONWHEEL_EXT_SUFFIX"] == cache["PYTHON_MODULE_EXTENSION"] == f".cp{version}-win_arm64.pyd"
    assert cache["IRONWHEEL_SOABI"] == cache["SKBUILD_SOABI"] == f"cp{version}-win_arm64"
    assert cache["CMAKE_MODULE_PATH"].split(";")[0] == f"{state}/findpython"
    assert result.files["findpython/FindPython.cmake"] == (
        "# Written by ironwheel for a cross build: CMake's FindPython, then the target's\n"
        "# extension suffix, which it cannot get from an interpreter of another platform.\n"
        'include("${CMAKE_ROOT}/Modules/FindPython.cmake")\n'
        "if(Python_FOUND)\n"
        f'  set(Python_SOABI "cp{version}-win_arm64")\n'
        '  set(Python_SOSABI "")\n'
        "endif()\n"
    )
    assert cache["CMAKE_C_COMPILER"] == f"{state}/zig/cc"
    assert result.programs["zig/cc"].endswith('exec "/opt/zig/zig" cc -target aarch64-windows-gnu "$@"\n')
    assert result.environment["INCLUDE"] == "C:/VS/include"
    assert result.fresh_key["zig"] == "aarch64-windows-gnu /opt/zig/zig"
    assert result.fresh_key["target"] == f"win_arm64  .cp{version}-win_arm64.pyd"
