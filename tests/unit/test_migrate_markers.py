"""PEP 508 markers for the worlds a value holds in, and for scikit-build-core conditions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from packaging.markers import Marker

from ironwheel.migrate.skbuild import condition_marker
from ironwheel.migrate.world import World, marker_for, worlds_for

Pick = Callable[[World], bool]

# facts consulted, the worlds picked, the marker
MARKERS: list[tuple[set[str], Pick, str]] = [
    ({"platform"}, lambda w: w.platform == "win32", "sys_platform == 'win32'"),
    ({"platform"}, lambda w: w.platform != "win32", "sys_platform != 'win32'"),
    (
        {"platform"},
        lambda w: w.platform in ("linux", "darwin"),
        "sys_platform == 'linux' or sys_platform == 'darwin'",
    ),
    (
        {"platform"},
        lambda w: w.platform == "other",
        "sys_platform != 'linux' and sys_platform != 'darwin' and sys_platform != 'win32'",
    ),
    ({"platform"}, lambda w: True, ""),
    ({"implementation"}, lambda w: w.implementation == "pypy", "platform_python_implementation == 'PyPy'"),
    ({"python"}, lambda w: w.python >= (3, 12), "python_version >= '3.12'"),
    ({"python"}, lambda w: w.python < (3, 11), "python_version < '3.11'"),
    (
        {"python"},
        lambda w: (3, 10) <= w.python < (3, 12),
        "python_version >= '3.10' and python_version < '3.12'",
    ),
    (
        {"platform", "python"},
        lambda w: w.platform == "win32" and w.python >= (3, 13),
        "sys_platform == 'win32' and python_version >= '3.13'",
    ),
    (
        {"platform", "machine"},
        lambda w: w.machine in ("arm64", "aarch64", "ARM64"),
        "platform_machine == 'ARM64' or platform_machine == 'aarch64' or platform_machine == 'arm64'",
    ),
]


@pytest.mark.parametrize(("consulted", "pick", "expected"), MARKERS)
def test_marker_for_worlds(consulted: set[str], pick: Pick, expected: str) -> None:
    universe = worlds_for(consulted)
    chosen = [world for world in universe if pick(world)]
    marker = marker_for(chosen, universe)
    assert marker == expected
    if marker:
        # The marker holds in exactly the chosen worlds.
        for world in universe:
            environment = {
                "sys_platform": world.sys_platform,
                "platform_machine": world.machine,
                "platform_python_implementation": "PyPy" if world.implementation == "pypy" else "CPython",
                "python_version": f"{world.python[0]}.{world.python[1]}",
            }
            assert Marker(marker).evaluate(environment) == (world in chosen), world


CONDITIONS: list[tuple[object, str | None, str]] = [
    ({"platform-system": "^win32"}, "sys_platform == 'win32'", ""),
    ({"platform-system": "^(linux|darwin)"}, "sys_platform == 'linux' or sys_platform == 'darwin'", ""),
    ({"python-version": ">=3.12"}, "python_version >= '3.12'", ""),
    ({"implementation-name": "pypy"}, "implementation_name == 'pypy'", ""),
    (
        {"platform-machine": "^(arm64|aarch64)$"},
        "platform_machine == 'aarch64' or platform_machine == 'arm64'",
        "",
    ),
    ({"not": {"platform-system": "^win32"}}, "sys_platform != 'win32'", ""),
    (
        {"any": {"platform-system": "^win32", "python-version": "<3.10"}},
        "(sys_platform == 'win32') or (python_version < '3.10')",
        "",
    ),
    (
        {"platform-system": "^darwin", "python-version": ">=3.13"},
        "sys_platform == 'darwin' and python_version >= '3.13'",
        "",
    ),
    ({"env": {"FOO": True}}, None, "if.env (no PEP 508 marker can test it)"),
    ({"state": "editable"}, None, "if.state (no PEP 508 marker can test it)"),
    ({"from-sdist": True}, None, "if.from-sdist (no PEP 508 marker can test it)"),
    ({"platform-system": "^nothing-like-this"}, None, "if.platform-system = '^nothing-like-this'"),
]


@pytest.mark.parametrize(("condition", "marker", "why"), CONDITIONS)
def test_scikit_build_conditions(condition: object, marker: str | None, why: str) -> None:
    assert condition_marker(condition) == (marker, why)
