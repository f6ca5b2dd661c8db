"""The configure plan of a build for another platform or Python: what CMake is told about the target.

The target comes from the target model (``ironwheel.target``) and the
compilers from ``tools/compilerset.py``; the plan turns them into cache
entries, files and programs without touching anything.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.version import Version

from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.environment import BuildEnvironment
from ironwheel.cmake.plan import Plan, Tools
from ironwheel.target import WheelTarget
from ironwheel.tools.compilerset import Compilers
from ironwheel.tools.msvc import MsvcEnvironment
from ironwheel.tools.toolchain import Program
from ironwheel.tools.zig import plan_zig
from tests.unit import probes

ZIG = Path("/opt/zig/zig")
NATIVE = Compilers()


@pytest.fixture
def build_dir(tmp_path: Path) -> Iterator[BuildDir]:
    with BuildDir.open(tmp_path / "build") as opened:
        yield opened


@pytest.fixture
def environment(tmp_path: Path) -> BuildEnvironment:
    return probes.environment(tmp_path)


def _cache(result: Plan) -> dict[str, str]:
    return {
        line.split(" ", 1)[0][4:]: line.split('"')[1]
        for line in result.init_cache.splitlines()
        if line.startswith("set(")
    }


def _plan(
    build_dir: BuildDir,
    environment: BuildEnvironment,
    wheel: WheelTarget,
    *,
    compilers: Compilers = NATIVE,
    abi3: bool = False,
    cmake: Program = probes.CMAKE,
) -> Plan:
    tools = Tools(cmake, probes.NINJA, compilers=compilers)
    return probes.plan(
        build_dir, environment, wheel=wheel, tools=tools, stable_abi=probes.ABI3 if abi3 else None
    )


def _zig(wheel: WheelTarget, policy: str = "auto") -> Compilers:
    return Compilers(zig=plan_zig(wheel, policy, {}), zig_program=ZIG, zig_version="0.14.0")


def test_a_native_build_gets_the_interpreters_suffix_and_no_cross_settings(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    result = _plan(build_dir, environment, probes.wheel_target())
    cache = _cache(result)
    assert cache["IRONWHEEL_EXT_SUFFIX"] == ".cpython-311-x86_64-linux-gnu.so"
    assert cache["SKBUILD_SOABI"] == cache["IRONWHEEL_SOABI"] == "cpython-311-x86_64-linux-gnu"
    assert cache["Python_INCLUDE_DIR"] == cache["Python3_INCLUDE_DIR"] == "/usr/include/python3.11"
    for name in (
        "CMAKE_SYSTEM_NAME",
        "CMAKE_SYSTEM_PROCESSOR",
        "PYTHON_MODULE_EXTENSION",
        "CMAKE_C_COMPILER",
    ):
        assert name not in cache
    assert not any(name.startswith("findpython/") for name in result.files)
    assert result.programs == {}
    assert set(result.environment) == {"SOURCE_DATE_EPOCH"}
    # The same platform named explicitly is no cross build either.
    assert _plan(build_dir, environment, probes.wheel_target("linux_x86_64")).init_cache == result.init_cache


def test_an_abi3_build_gets_the_stable_suffix(build_dir: BuildDir, environment: BuildEnvironment) -> None:
    cache = _cache(_plan(build_dir, environment, probes.wheel_target(), abi3=True))
    assert (cache["IRONWHEEL_EXT_SUFFIX"], cache["SKBUILD_SOABI"]) == (".abi3.so", "abi3")
    assert cache["SKBUILD_SABI_VERSION"] == "3.9"


def test_a_linux_build_for_another_machine_names_the_system_processor_and_suffix(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    wheel = probes.wheel_target("linux_aarch64", emulator=("qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"))
    result = _plan(build_dir, environment, wheel)
    cache = _cache(result)
    assert (cache["CMAKE_SYSTEM_NAME"], cache["CMAKE_SYSTEM_PROCESSOR"]) == ("Linux", "aarch64")
    assert cache["CMAKE_CROSSCOMPILING_EMULATOR"] == "qemu-aarch64;-L;/usr/aarch64-linux-gnu"
    suffix = ".cpython-311-aarch64-linux-gnu.so"
    assert cache["IRONWHEEL_EXT_SUFFIX"] == cache["PYTHON_MODULE_EXTENSION"] == cache["NB_SUFFIX"] == suffix
    assert cache["NB_SUFFIX_S"] == ".abi3.so"
    assert cache["SKBUILD_SOABI"] == "cpython-311-aarch64-linux-gnu"
    # FindPython cannot run the target's interpreter: a shim in front of CMake's sets the suffix.
    shims = build_dir.cmake_file("findpython").as_posix()
    assert cache["CMAKE_MODULE_PATH"].split(";")[0] == shims
    assert result.files["findpython/FindPython3.cmake"] == (
        "# Written by ironwheel for a cross build: CMake's FindPython, then the target's\n"
        "# extension suffix, which it cannot get from an interpreter of another platform.\n"
        'include("${CMAKE_ROOT}/Modules/FindPython3.cmake")\n'
        "if(Python3_FOUND)\n"
        '  set(Python3_SOABI "cpython-311-aarch64-linux-gnu")\n'
        '  set(Python3_SOSABI "abi3")\n'
        "endif()\n"
    )
    assert "findpython/FindPython.cmake" in result.files


def test_a_users_module_path_comes_after_the_shims(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    wheel = probes.wheel_target("linux_aarch64")
    result = probes.plan(
        build_dir, environment, wheel=wheel, table={"cmake": {"define": {"CMAKE_MODULE_PATH": "/mine"}}}
    )
    assert _cache(result)["CMAKE_MODULE_PATH"].split(";")[:2] == [
        build_dir.cmake_file("findpython").as_posix(),
        "/mine",
    ]


def test_a_windows_build_with_zig_and_msvc(build_dir: BuildDir, environment: BuildEnvironment) -> None:
    wheel = probes.wheel_target("win_arm64", emulator=("wine",))
    msvc = MsvcEnvironment(Path("C:/VS"), "x64_arm64", {"INCLUDE": "C:/VS/include"})
    compilers = dataclasses.replace(_zig(wheel), msvc=msvc)
    result = _plan(build_dir, environment, wheel, compilers=compilers)
    cache = _cache(result)
    assert (cache["CMAKE_SYSTEM_NAME"], cache["CMAKE_SYSTEM_PROCESSOR"]) == ("Windows", "ARM64")
    assert cache["CMAKE_CROSSCOMPILING_EMULATOR"] == "wine"
    assert cache["IRONWHEEL_EXT_SUFFIX"] == cache["PYTHON_MODULE_EXTENSION"] == ".cp311-win_arm64.pyd"
    assert cache["IRONWHEEL_SOABI"] == cache["SKBUILD_SOABI"] == "cp311-win_arm64"
    assert result.files["findpython/FindPython.cmake"].splitlines()[3:5] == [
        "if(Python_FOUND)",
        '  set(Python_SOABI "cp311-win_arm64")',
    ]
    scripts = build_dir.cmake_file("zig").as_posix()
    assert (cache["CMAKE_C_COMPILER"], cache["CMAKE_CXX_COMPILER"]) == (f"{scripts}/cc", f"{scripts}/c++")
    assert (cache["CMAKE_AR"], cache["CMAKE_RANLIB"]) == (f"{scripts}/ar", f"{scripts}/ranlib")
    assert sorted(result.programs) == ["zig/ar", "zig/c++", "zig/cc", "zig/ranlib"]
    assert result.programs["zig/cc"].endswith(f'exec "{ZIG}" cc -target aarch64-windows-gnu "$@"\n')
    assert result.environment["INCLUDE"] == "C:/VS/include"
    assert result.fresh_key["zig"] == f"aarch64-windows-gnu {ZIG}"
    assert result.fresh_key["msvc"] == "C:/VS x64_arm64"
    assert result.fresh_key["target"] == "win_arm64  .cp311-win_arm64.pyd"


def test_a_windows_target_pythons_import_libraries(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    wheel = probes.wheel_target("win_amd64")
    libs = Path("C:/Python311/libs")
    python = dataclasses.replace(
        wheel.python, library=libs / "python311.lib", sabi_library=libs / "python3.lib"
    )
    cache = _cache(_plan(build_dir, environment, dataclasses.replace(wheel, python=python)))
    assert cache["Python_LIBRARY"] == cache["Python3_LIBRARY"] == "C:/Python311/libs/python311.lib"
    assert cache["Python_SABI_LIBRARY"] == cache["Python3_SABI_LIBRARY"] == "C:/Python311/libs/python3.lib"
    # None found: FindPython looks for them itself.
    assert "Python_LIBRARY" not in _cache(_plan(build_dir, environment, wheel))


def test_a_macos_build_with_zig_makes_modules_as_dylibs(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    wheel = probes.wheel_target("macosx_11_0_arm64")
    result = _plan(build_dir, environment, wheel, compilers=_zig(wheel))
    cache = _cache(result)
    assert (cache["CMAKE_SYSTEM_NAME"], cache["CMAKE_SYSTEM_PROCESSOR"]) == ("Darwin", "arm64")
    assert (cache["CMAKE_OSX_ARCHITECTURES"], cache["CMAKE_OSX_DEPLOYMENT_TARGET"]) == ("arm64", "11.0")
    assert cache["IRONWHEEL_EXT_SUFFIX"] == ".cpython-311-darwin.so"
    assert cache["CMAKE_USER_MAKE_RULES_OVERRIDE"] == build_dir.cmake_file("zig/rules.cmake").as_posix()
    assert "CMAKE_SHARED_MODULE_CREATE_${_ironwheel_lang}_FLAGS" in result.programs["zig/rules.cmake"]
    assert result.programs["zig/c++"].endswith(f'exec "{ZIG}" c++ -target aarch64-macos.11.0 "$@"\n')


def test_a_zig_build_for_an_old_glibc_on_the_same_machine_is_no_cross_build(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    wheel = probes.wheel_target()
    result = _plan(build_dir, environment, wheel, compilers=_zig(wheel))
    cache = _cache(result)
    assert "CMAKE_SYSTEM_NAME" not in cache
    assert cache["IRONWHEEL_EXT_SUFFIX"] == ".cpython-311-x86_64-linux-gnu.so"
    assert result.programs["zig/cc"].endswith(f'exec "{ZIG}" cc -target x86_64-linux-gnu.2.17 "$@"\n')
    older = _plan(build_dir, environment, wheel, compilers=_zig(wheel, "manylinux_2_28"))
    assert older.programs["zig/cc"].endswith(f'exec "{ZIG}" cc -target x86_64-linux-gnu.2.28 "$@"\n')
    # Other compilers for the same target: the old cache is of no use.
    assert older.fresh_key != result.fresh_key
    assert older.fresh_key["zig"] == f"x86_64-linux-gnu.2.28 {ZIG}"


def test_a_musl_target_changes_the_suffix_and_the_fresh_key(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    glibc = probes.wheel_target(toolchain="zig")
    musl = probes.wheel_target(toolchain="zig", policy="musllinux_1_2")
    assert musl.libc == "musl"
    result = _plan(build_dir, environment, musl, compilers=_zig(musl, "musllinux_1_2"))
    cache = _cache(result)
    assert cache["IRONWHEEL_EXT_SUFFIX"] == ".cpython-311-x86_64-linux-musl.so"
    assert "CMAKE_SYSTEM_NAME" not in cache  # the same system and machine
    assert result.programs["zig/cc"].endswith(f'exec "{ZIG}" cc -target x86_64-linux-musl "$@"\n')
    native = _plan(build_dir, environment, glibc, compilers=_zig(glibc))
    assert result.fresh_key["target"] != native.fresh_key["target"]


def test_a_free_threaded_target_python_lets_findpython_take_its_abi(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    running = dataclasses.replace(
        probes.LINUX_311, version=(3, 13), abiflags="t", extension_suffix=".cpython-313t-x86_64-linux-gnu.so"
    )
    wheel = probes.wheel_target(running=running)
    new = Program("cmake", Path("/usr/bin/cmake"), Version("3.30.0"), "on PATH")
    assert _cache(_plan(build_dir, environment, wheel, cmake=new))["Python_FIND_ABI"] == "ANY;ANY;ANY;ON"
    assert "Python_FIND_ABI" not in _cache(_plan(build_dir, environment, probes.wheel_target(), cmake=new))


def test_a_cross_plan_reads_and_writes_nothing(build_dir: BuildDir, environment: BuildEnvironment) -> None:
    wheel = probes.wheel_target("win_arm64")
    first = _plan(build_dir, environment, wheel, compilers=_zig(wheel))
    before = sorted((path, path.stat().st_mtime_ns) for path in build_dir.path.rglob("*"))
    assert _plan(build_dir, environment, wheel, compilers=_zig(wheel)) == first
    assert sorted((path, path.stat().st_mtime_ns) for path in build_dir.path.rglob("*")) == before
    assert not build_dir.cmake_file("zig").exists()


def test_configure_writes_the_wrappers_as_programs(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    from ironwheel.cmake.configure import configure
    from ironwheel.errors import BuildError

    wheel = probes.wheel_target()
    result = _plan(build_dir, environment, wheel, compilers=_zig(wheel))
    # The project does not exist: configure fails after writing the files CMake would need.
    with pytest.raises(BuildError, match="CMake configuration failed"):
        configure(build_dir, result)
    wrapper = build_dir.cmake_file("zig/cc")
    assert wrapper.read_text() == result.programs["zig/cc"]
    assert wrapper.stat().st_mode & 0o777 == 0o755
