"""Wheel tags for every platform and ABI, computed from injected inputs."""

from __future__ import annotations

import pytest

from ironwheel.archive.tags import StableABI, WheelTag, abi_tag, compute_tag, interpreter_tag

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


def test_pure_tag_is_pure() -> None:
    assert WheelTag("py3", "none", "any").is_pure
    assert not WheelTag("cp311", "cp311", "linux_x86_64").is_pure
