"""The target model: one pure function decides platform, libc and Python ABI from explicit inputs."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from ironwheel.archive.tags import StableABI, target_tag
from ironwheel.errors import ConfigError
from ironwheel.target import PythonFacts, TargetInputs, WheelTarget, read_build_details, resolve_target
from ironwheel.target.python import dist_extra_library_dirs, find_import_libraries
from tests.unit.probes import LINUX_311, MACOS_312, WINDOWS_312

PYPY_310 = dataclasses.replace(
    LINUX_311,
    implementation="pypy",
    version=(3, 10),
    extension_suffix=".pypy310-pp73-x86_64-linux-gnu.so",
    stable_abi_suffix="",
)


def _resolve(running: PythonFacts = LINUX_311, **fields: Any) -> WheelTarget:
    return resolve_target(TargetInputs(running=running, **fields))


def _tag(target: WheelTarget, py_api: str = "") -> str:
    return str(target_tag(target, native=True, py_api=py_api)[0])


def test_the_running_interpreter_is_the_default() -> None:
    target = _resolve()
    assert (target.platform, target.libc, target.extension_suffix) == (
        "linux_x86_64",
        "glibc",
        ".cpython-311-x86_64-linux-gnu.so",
    )
    assert not target.cross
    assert target.describe() == "linux_x86_64 (glibc), cpython 3.11 (the running interpreter)"
    assert _tag(target) == "cp311-cp311-linux_x86_64"
    assert target_tag(target, native=True, py_api="cp39")[1] == StableABI(3, 9)
    assert _tag(target, "cp39") == "cp39-abi3-linux_x86_64"


def test_a_32_bit_interpreter_on_a_64_bit_kernel_is_the_host() -> None:
    target = _resolve(pointer_bits=32)
    assert (target.platform, target.host_arch, target.cross) == ("linux_i686", "i686", False)


@pytest.mark.parametrize(
    ("environ", "platform", "suffix"),
    [
        # cibuildwheel on macOS, CPython 3.12 x86_64: the host platform says 10.9, the variable 10.13.
        (
            {
                "_PYTHON_HOST_PLATFORM": "macosx-10.9-x86_64",
                "MACOSX_DEPLOYMENT_TARGET": "10.13",
                "ARCHFLAGS": "-arch x86_64",
            },
            "macosx_10_13_x86_64",
            ".cpython-311-darwin.so",
        ),
        # ... and 3.14 raises the floor to 10.15.
        (
            {"_PYTHON_HOST_PLATFORM": "macosx-10.9-x86_64", "MACOSX_DEPLOYMENT_TARGET": "10.15"},
            "macosx_10_15_x86_64",
            ".cpython-311-darwin.so",
        ),
        (
            {"_PYTHON_HOST_PLATFORM": "macosx-11.0-arm64", "ARCHFLAGS": "-arch arm64"},
            "macosx_11_0_arm64",
            ".cpython-311-darwin.so",
        ),
        (
            {"_PYTHON_HOST_PLATFORM": "macosx-10.9-universal2", "ARCHFLAGS": "-arch arm64 -arch x86_64"},
            "macosx_10_9_universal2",
            ".cpython-311-darwin.so",
        ),
        ({"_PYTHON_HOST_PLATFORM": "linux-aarch64"}, "linux_aarch64", ".cpython-311-aarch64-linux-gnu.so"),
        ({"_PYTHON_HOST_PLATFORM": "win-arm64"}, "win_arm64", ".cp311-win_arm64.pyd"),
        # A manylinux image says its architecture; a zig build follows it.
        (
            {"AUDITWHEEL_PLAT": "manylinux_2_28_aarch64"},
            "linux_aarch64",
            ".cpython-311-aarch64-linux-gnu.so",
        ),
    ],
)
def test_platform_variables(environ: dict[str, str], platform: str, suffix: str) -> None:
    target = _resolve(environ=environ)
    assert (target.platform, target.extension_suffix) == (platform, suffix)
    assert target.cross
    assert _tag(target) == f"cp311-cp311-{platform}"


def test_macos_archflags_choose_among_what_the_python_supports() -> None:
    target = _resolve(MACOS_312, environ={"ARCHFLAGS": "-arch x86_64"})
    assert (target.platform, target.archs, target.macos_version) == (
        "macosx_10_13_x86_64",
        ("x86_64",),
        (10, 13),
    )
    both = _resolve(MACOS_312, machine="x86_64", environ={"ARCHFLAGS": "-arch arm64 -arch x86_64"})
    assert (both.platform, both.archs, both.host_arch) == (
        "macosx_10_13_universal2",
        ("aarch64", "x86_64"),
        "x86_64",
    )
    assert _resolve(MACOS_312, environ={"ARCHFLAGS": "-arch arm64"}).platform == "macosx_11_0_arm64"


@pytest.mark.parametrize(
    ("machine", "platform"), [("arm64", "macosx_11_0_arm64"), ("x86_64", "macosx_10_13_x86_64")]
)
def test_a_universal2_interpreter_builds_for_the_machine_it_runs_as(machine: str, platform: str) -> None:
    # Dependencies found on the machine (Homebrew's) have its architecture only; ARCHFLAGS asks for both.
    target = _resolve(MACOS_312, machine=machine)
    assert (target.platform, target.cross) == (platform, False)
    # Apple silicon starts at macOS 11, whatever older target the interpreter was built for.
    assert _resolve(MACOS_312, machine=machine, environ={"MACOSX_DEPLOYMENT_TARGET": "14.2"}).platform == (
        platform.replace("11_0", "14_0").replace("10_13", "14_0")
    )


def test_a_32_bit_interpreter_on_a_64_bit_arm_kernel_is_tagged_as_packaging_does() -> None:
    running = dataclasses.replace(LINUX_311, platform="linux-aarch64")
    target = _resolve(running, pointer_bits=32)
    assert (target.platform, target.cross) == ("linux_armv8l", False)
    assert _tag(target) == "cp311-cp311-linux_armv8l"


def test_a_bad_deployment_target_is_an_error() -> None:
    with pytest.raises(ConfigError) as caught:
        _resolve(environ={"MACOSX_DEPLOYMENT_TARGET": "latest", "_PYTHON_HOST_PLATFORM": "macosx-11.0-arm64"})
    assert (
        caught.value.message
        == 'MACOSX_DEPLOYMENT_TARGET must be a macOS version such as "11.0", got "latest"'
    )
    assert caught.value.hint == "set it to the oldest macOS the wheel supports, or unset it"


def test_the_host_platforms_version_is_the_default_deployment_target() -> None:
    target = _resolve(environ={"_PYTHON_HOST_PLATFORM": "macosx-12.3-x86_64"})
    assert (target.archs, target.macos_version, target.platform) == (
        ("x86_64",),
        (12, 0),
        "macosx_12_0_x86_64",
    )


def test_explicit_platform_beats_everything_else() -> None:
    target = _resolve(
        platform="macosx_11_0_arm64",
        environ={"_PYTHON_HOST_PLATFORM": "linux-aarch64", "MACOSX_DEPLOYMENT_TARGET": "14.0"},
    )
    assert (target.platform, target.origin) == ("macosx_11_0_arm64", "target.platform")
    windows = _resolve(platform="win_amd64")
    assert (windows.system, windows.platform, windows.cross) == ("windows", "win_amd64", True)
    assert (windows.extension_suffix, windows.stable_abi_suffix) == (".cp311-win_amd64.pyd", ".pyd")
    assert _tag(windows, "cp39") == "cp39-abi3-win_amd64"
    assert _resolve(platform="win-amd64").platform == "win_amd64"


def test_cibuildwheel_windows_arm64_cross_build(tmp_path: Path) -> None:
    # cibuildwheel runs an x64 CPython, sets VSCMD_ARG_TGT_ARCH and writes the ARM64
    # Python's library directory into DIST_EXTRA_CONFIG.
    config = tmp_path / "extra-setup.cfg"
    config.write_text(
        "[build]\nplat_name=win-arm64\n[build_ext]\nlibrary_dirs=C:\\cibw\\python-arm64\\libs\n"
        "plat_name=win-arm64\n[bdist_wheel]\nplat_name=win-arm64\n"
    )
    environ = {
        "VSCMD_ARG_TGT_ARCH": "arm64",
        "DIST_EXTRA_CONFIG": str(config),
        "SETUPTOOLS_EXT_SUFFIX": ".cp312-win_arm64.pyd",
    }
    target = _resolve(WINDOWS_312, environ=environ, dist_libraries=dist_extra_library_dirs(environ))
    assert (target.platform, target.arch, target.extension_suffix) == (
        "win_arm64",
        "aarch64",
        ".cp312-win_arm64.pyd",
    )
    assert target.python.libraries == (Path("C:\\cibw\\python-arm64\\libs"),)
    assert target.origin == "VSCMD_ARG_TGT_ARCH=arm64"
    assert _tag(target) == "cp312-cp312-win_arm64"
    # The same variable for the interpreter's own architecture changes nothing.
    native = _resolve(WINDOWS_312, environ={"VSCMD_ARG_TGT_ARCH": "x64"})
    assert (native.platform, native.extension_suffix, native.python.libraries) == (
        "win_amd64",
        ".cp312-win_amd64.pyd",
        (Path("C:/Python312/libs"),),
    )
    assert _resolve(WINDOWS_312, environ={"VSCMD_ARG_TGT_ARCH": "x86"}).platform == "win32"


def test_an_msvc_environment_for_another_architecture_is_an_error() -> None:
    with pytest.raises(ConfigError) as caught:
        _resolve(WINDOWS_312, platform="win_arm64", environ={"VSCMD_ARG_TGT_ARCH": "x64"})
    assert caught.value.message == (
        "VSCMD_ARG_TGT_ARCH=x64 does not match the target win_arm64 (target.platform)"
    )
    assert caught.value.hint == (
        "an MSVC environment for another architecture is active: open one for the target's "
        "(vcvarsall.bat with the target architecture), or start without one and let ironwheel load it"
    )


def test_an_open_developer_prompt_for_another_machine_is_an_error() -> None:
    environ = {"VSCMD_ARG_TGT_ARCH": "x86", "VCINSTALLDIR": "C:\\VS\\VC\\", "VSCMD_VER": "17.11.5"}
    with pytest.raises(ConfigError) as caught:
        _resolve(WINDOWS_312, environ=environ)
    assert caught.value.message == (
        "the active MSVC environment targets x86 (VSCMD_ARG_TGT_ARCH), "
        "but the Python is win_amd64 (the running interpreter)"
    )
    assert caught.value.hint == (
        "open a Developer Command Prompt for the Python's architecture, or start without one and let "
        "ironwheel load it; to cross-compile, name the target Python with target.build-details"
    )
    # The same prompt for the Python's own machine is fine.
    same = _resolve(WINDOWS_312, environ={**environ, "VSCMD_ARG_TGT_ARCH": "x64"})
    assert same.platform == "win_amd64"


def test_auditwheel_plat_of_another_architecture_than_the_target_is_an_error() -> None:
    with pytest.raises(ConfigError) as caught:
        _resolve(platform="linux_aarch64", environ={"AUDITWHEEL_PLAT": "manylinux_2_28_x86_64"})
    assert caught.value.message == (
        "AUDITWHEEL_PLAT=manylinux_2_28_x86_64 is for x86_64, but the target is linux_aarch64 (target.platform)"
    )


@pytest.mark.parametrize(
    ("fields", "libc", "suffix"),
    [
        ({"toolchain": "zig", "policy": "musllinux_1_2"}, "musl", ".cpython-311-x86_64-linux-musl.so"),
        (
            {"toolchain": "zig", "environ": {"AUDITWHEEL_PLAT": "musllinux_1_2_x86_64"}},
            "musl",
            ".cpython-311-x86_64-linux-musl.so",
        ),
        ({"toolchain": "zig", "policy": "manylinux_2_28"}, "glibc", ".cpython-311-x86_64-linux-gnu.so"),
        # The native compilers build for the running interpreter's C library, whatever is asked of repair.
        ({"policy": "musllinux_1_2"}, "glibc", ".cpython-311-x86_64-linux-gnu.so"),
        (
            {"toolchain": "zig", "policy": "musllinux_1_2", "platform": "linux_armv7l"},
            "musl",
            ".cpython-311-arm-linux-musleabihf.so",
        ),
    ],
)
def test_the_c_library_of_a_linux_target(fields: dict[str, Any], libc: str, suffix: str) -> None:
    target = _resolve(**fields)
    assert (target.libc, target.extension_suffix) == (libc, suffix)
    assert target.platform.startswith("linux_")


def test_another_implementation_keeps_its_own_suffix_form() -> None:
    target = _resolve(PYPY_310, platform="linux_aarch64")
    assert target.extension_suffix == ".pypy310-pp73-aarch64-linux-gnu.so"
    assert _tag(target, "cp39") == "pp310-pypy310_pp73-linux_aarch64"


def _details(tmp_path: Path, **changes: Any) -> Path:
    """A build-details.json as CPython 3.14 writes it (relative paths, as its installers ship it)."""
    data: dict[str, Any] = {
        "schema_version": "1.0",
        "base_prefix": "../..",
        "base_interpreter": "./bin/python3.14",
        "platform": "linux-aarch64",
        "language": {
            "version": "3.14",
            "version_info": {"major": 3, "minor": 14, "micro": 0, "releaselevel": "final", "serial": 0},
        },
        "implementation": {
            "name": "cpython",
            "cache_tag": "cpython-314",
            "version": {"major": 3, "minor": 14, "micro": 0, "releaselevel": "final", "serial": 0},
            "hexversion": 51249392,
            "_multiarch": "aarch64-linux-gnu",
            "supports_isolated_interpreters": True,
        },
        "abi": {
            "flags": ["t"],
            "extension_suffix": ".cpython-314t-aarch64-linux-gnu.so",
        },
        "suffixes": {
            "source": [".py"],
            "bytecode": [".pyc"],
            "extensions": [".cpython-314t-aarch64-linux-gnu.so", ".so"],
        },
        "libpython": {
            "dynamic": "./lib/libpython3.14t.so.1.0",
            "link_extensions": False,
            "static": "./lib/python3.14t/config-3.14t-aarch64-linux-gnu/libpython3.14t.a",
        },
        "c_api": {"headers": "./include/python3.14t", "pkgconfig_path": "./lib/pkgconfig"},
    }
    data.update(changes)
    path = tmp_path / "prefix" / "lib" / "python3.14t" / "build-details.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(data, indent=2))
    return path


def test_build_details_describe_the_target_python(tmp_path: Path) -> None:
    path = _details(tmp_path)
    facts = read_build_details(path)
    assert facts.headers == (tmp_path / "prefix" / "include" / "python3.14t").resolve()
    target = _resolve(details=facts, environ={"_PYTHON_HOST_PLATFORM": "linux-x86_64"})
    assert (target.platform, target.extension_suffix, target.stable_abi_suffix) == (
        "linux_aarch64",
        ".cpython-314t-aarch64-linux-gnu.so",
        "",
    )
    assert target.origin == f"build-details.json at {path}"
    assert target.cross
    # Free-threaded: no stable ABI, whatever wheel.py-api asks.
    assert _tag(target, "cp39") == "cp314-cp314t-linux_aarch64"


def test_build_details_of_a_windows_python(tmp_path: Path) -> None:
    path = _details(
        tmp_path,
        platform="win-amd64",
        abi={"flags": [], "extension_suffix": ".cp314-win_amd64.pyd", "stable_abi_suffix": ".pyd"},
        c_api={"headers": "./include"},
    )
    target = _resolve(details=read_build_details(path))
    assert (target.platform, target.extension_suffix) == ("win_amd64", ".cp314-win_amd64.pyd")
    libs = (tmp_path / "prefix").resolve() / "libs"
    assert target.python.libraries == (libs,)
    assert _tag(target, "cp39") == "cp39-abi3-win_amd64"
    # The import libraries are looked for once, when the target is loaded.
    assert find_import_libraries(target.python) == target.python
    libs.mkdir(parents=True)
    (libs / "python314.lib").write_bytes(b"")
    found = find_import_libraries(target.python)
    assert (found.library, found.sabi_library) == (libs / "python314.lib", None)
    (libs / "python3.lib").write_bytes(b"")
    found = find_import_libraries(target.python)
    assert (found.library, found.sabi_library) == (libs / "python314.lib", libs / "python3.lib")


def test_a_zig_policy_of_another_libc_than_the_target_python_is_an_error(tmp_path: Path) -> None:
    facts = read_build_details(_details(tmp_path))
    with pytest.raises(ConfigError) as caught:
        _resolve(details=facts, toolchain="zig", policy="musllinux_1_2")
    assert caught.value.message == (
        f'repair.manylinux = "musllinux_1_2" asks for musl, but the target Python '
        f"(build-details.json at {tmp_path / 'prefix/lib/python3.14t/build-details.json'}) uses glibc"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "{",
            "target.build-details: cannot read {path}: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
        ("[]", "{path}: not a JSON object"),
        ('{"schema_version": "2.0"}', '{path}: schema_version "2.0" is not supported (only 1.x)'),
        ('{"schema_version": "1.0"}', "{path}: no language.version (PEP 739 requires it)"),
        (
            '{"schema_version": "1.0", "language": {"version": "3"}}',
            '{path}: language.version must be "major.minor", got "3"',
        ),
        (
            '{"schema_version": "1.0", "language": {"version": "3.14"}, "abi": {"flags": "t"}}',
            '{path}: abi.flags must be a list of strings, got "t"',
        ),
        (
            '{"schema_version": "1.0", "language": {"version": "3.14"}, "abi": {"flags": []}}',
            "{path}: no abi.extension_suffix: this Python cannot load extension modules",
        ),
    ],
)
def test_bad_build_details(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "build-details.json"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        read_build_details(path)
    assert caught.value.message == message.format(path=path)


def test_missing_build_details(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        read_build_details(tmp_path / "nope.json")
    assert caught.value.message == f"target.build-details: {tmp_path / 'nope.json'} does not exist"
    assert caught.value.hint == (
        "give the path of the target Python's build-details.json (CPython 3.14 installs it "
        "next to its sysconfig data, e.g. lib/python3.14/build-details.json)"
    )


@pytest.mark.parametrize(
    ("platform", "message", "hint"),
    [
        (
            "manylinux_2_28_aarch64",
            'target.platform: "manylinux_2_28_aarch64" is a repair policy, not a platform',
            'set target.platform = "linux_aarch64" and repair.manylinux = "manylinux_2_28"',
        ),
        (
            "ios_13_0_arm64_iphoneos",
            'target.platform: "ios_13_0_arm64_iphoneos" is not a platform ironwheel can build for',
            'use a wheel platform tag such as "linux_aarch64", "macosx_11_0_arm64" or "win_amd64"',
        ),
    ],
)
def test_bad_explicit_platform(platform: str, message: str, hint: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _resolve(platform=platform)
    assert (caught.value.message, caught.value.hint) == (message, hint)


def test_the_running_interpreter_is_not_what_pythons_host_platform_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sysconfig

    from ironwheel.target import running_python

    own = running_python().platform
    monkeypatch.setenv("_PYTHON_HOST_PLATFORM", "macosx-11.0-arm64")
    assert sysconfig.get_platform() == ("macosx-11.0-arm64" if sys.platform != "win32" else own)
    assert running_python().platform == own


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="checks the Linux tag of this machine")
def test_the_platform_of_this_machine_is_plain_linux(tmp_path: Path) -> None:
    import sysconfig

    from ironwheel.settings import load_settings
    from ironwheel.target import load_target

    settings = load_settings({"project": {}}, environ={})
    target = load_target(settings, tmp_path, environ={})
    assert target.platform == sysconfig.get_platform().replace("-", "_")
    assert (target.cross, target.origin) == (False, "the running interpreter")
    assert target.extension_suffix == sysconfig.get_config_var("EXT_SUFFIX")
