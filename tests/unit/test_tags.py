"""Wheel tags for every platform and ABI, computed from injected inputs."""

from __future__ import annotations

import sys
import sysconfig

import pytest

from ironwheel.archive.tags import (
    StableABI,
    WheelTag,
    abi_tag,
    compute_tag,
    interpreter_tag,
    macos_target,
    platform_tag,
)
from ironwheel.errors import ConfigError

CPYTHON_311 = {"SOABI": "cpython-311-x86_64-linux-gnu"}
FREE_THREADED_313 = {"SOABI": "cpython-313t-x86_64-linux-gnu", "Py_GIL_DISABLED": 1}


def test_interpreter_and_abi() -> None:
    assert interpreter_tag("cpython", (3, 11)) == "cp311"
    assert interpreter_tag("pypy", (3, 10)) == "pp310"
    assert abi_tag("cpython", (3, 11), CPYTHON_311) == "cp311"
    assert abi_tag("cpython", (3, 13), FREE_THREADED_313) == "cp313t"
    assert abi_tag("cpython", (3, 12), {"Py_DEBUG": 1}) == "cp312d"
    assert abi_tag("pypy", (3, 10), {"SOABI": "pypy310-pp73-x86_64-linux-gnu"}) == "pypy310_pp73"


def test_this_interpreter_matches_packaging() -> None:
    from packaging import tags

    best = next(iter(tags.sys_tags()))
    assert interpreter_tag() == best.interpreter
    assert abi_tag() == best.abi


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"system_platform": "linux-x86_64", "pointer_bits": 64}, "linux_x86_64"),
        ({"system_platform": "linux-x86_64", "pointer_bits": 32}, "linux_i686"),
        ({"system_platform": "linux-aarch64", "pointer_bits": 32}, "linux_armv8l"),
        ({"system_platform": "win-amd64"}, "win_amd64"),
        ({"system_platform": "win-amd64", "environ": {"VSCMD_ARG_TGT_ARCH": "arm64"}}, "win_arm64"),
        ({"system_platform": "win32", "environ": {"VSCMD_ARG_TGT_ARCH": "x86"}}, "win32"),
        ({"environ": {"_PYTHON_HOST_PLATFORM": "linux-aarch64"}}, "linux_aarch64"),
        (
            {"system_platform": "macosx-10.9-universal2", "machine": "arm64", "python_macos_target": "10.9"},
            "macosx_11_0_arm64",
        ),
        (
            {"system_platform": "macosx-10.9-universal2", "machine": "x86_64", "python_macos_target": "10.9"},
            "macosx_10_9_x86_64",
        ),
        (
            {
                "system_platform": "macosx-11.0-arm64",
                "machine": "arm64",
                "python_macos_target": "11.0",
                "environ": {"MACOSX_DEPLOYMENT_TARGET": "14.2"},
            },
            "macosx_14_0_arm64",
        ),
        (
            {
                "system_platform": "macosx-10.9-universal2",
                "machine": "arm64",
                "python_macos_target": "10.9",
                "environ": {"ARCHFLAGS": "-arch arm64 -arch x86_64"},
            },
            "macosx_10_9_universal2",
        ),
        (
            {
                "system_platform": "macosx-10.9-universal2",
                "machine": "arm64",
                "python_macos_target": "10.9",
                "environ": {"ARCHFLAGS": "-arch x86_64", "MACOSX_DEPLOYMENT_TARGET": "10.13"},
            },
            "macosx_10_13_x86_64",
        ),
        (
            {"environ": {"_PYTHON_HOST_PLATFORM": "macosx-11.0-arm64"}, "python_macos_target": "10.9"},
            "macosx_11_0_arm64",
        ),
    ],
)
def test_platform(inputs: dict[str, object], expected: str) -> None:
    inputs.setdefault("environ", {})
    assert platform_tag(**inputs) == expected  # type: ignore[arg-type]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="checks the Linux tag of this machine")
def test_platform_of_this_machine_is_plain_linux() -> None:
    assert platform_tag(environ={}) == sysconfig.get_platform().replace("-", "_")


@pytest.mark.parametrize(
    ("arguments", "tag", "stable"),
    [
        ({"native": False, "py_api": ""}, "py3-none-any", None),
        ({"native": False, "py_api": "cp39"}, "py3-none-any", None),
        ({"native": True, "py_api": ""}, "cp311-cp311-linux_x86_64", None),
        ({"native": True, "py_api": "py3"}, "py3-none-linux_x86_64", None),
        ({"native": True, "py_api": "cp39"}, "cp39-abi3-linux_x86_64", StableABI(3, 9)),
        ({"native": True, "py_api": "cp312"}, "cp311-cp311-linux_x86_64", None),
        (
            {"native": True, "py_api": "cp39", "implementation": "pypy"},
            "pp311-pypy311_pp73-linux_x86_64",
            None,
        ),
        (
            {"native": True, "py_api": "cp39", "config": FREE_THREADED_313, "version": (3, 13)},
            "cp313-cp313t-linux_x86_64",
            None,
        ),
    ],
)
def test_compute_tag(arguments: dict[str, object], tag: str, stable: StableABI | None) -> None:
    config = (
        CPYTHON_311
        if arguments.get("implementation", "cpython") == "cpython"
        else {"SOABI": "pypy311-pp73-x86_64-linux-gnu"}
    )
    inputs = {
        "version": (3, 11),
        "config": config,
        "platform": "linux_x86_64",
        "implementation": "cpython",
        **arguments,
    }
    computed, abi = compute_tag(**inputs)  # type: ignore[arg-type]
    assert str(computed) == tag
    assert abi == stable


def test_bad_deployment_target_is_an_error() -> None:
    with pytest.raises(ConfigError) as caught:
        platform_tag(
            environ={"MACOSX_DEPLOYMENT_TARGET": "latest", "_PYTHON_HOST_PLATFORM": "macosx-11.0-arm64"}
        )
    assert (
        caught.value.message
        == 'MACOSX_DEPLOYMENT_TARGET must be a macOS version such as "11.0", got "latest"'
    )


def test_host_platform_version_is_the_default_target() -> None:
    target = macos_target({"_PYTHON_HOST_PLATFORM": "macosx-12.3-x86_64"}, python_target="10.9")
    assert (target.archs, target.deployment_target, target.platform) == (
        ("x86_64",),
        "12.0",
        "macosx_12_0_x86_64",
    )


def test_pure_tag_is_pure() -> None:
    assert WheelTag("py3", "none", "any").is_pure
    assert not WheelTag("cp311", "cp311", "linux_x86_64").is_pure
