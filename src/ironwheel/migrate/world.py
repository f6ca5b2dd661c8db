"""The platforms and Pythons a setup.py is read for, and PEP 508 markers for sets of them.

setup.py decides per platform (``if sys.platform == "win32"``) with code;
ironwheel decides with ``[[tool.ironwheel.overrides]]`` markers. migrate
reads setup.py once per *world*, a combination of the facts it consulted
(the platform, the machine, the Python implementation, the Python
version), and turns the set of worlds in which a value holds into a
marker.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["DIMENSIONS", "PLATFORMS", "World", "majority", "marker_for", "worlds_for"]

# sys.platform, os.name, platform.system() of each platform migrate considers;
# "other" stands for every platform setup.py does not name (the BSDs, ...).
PLATFORMS: dict[str, tuple[str, str, str]] = {
    "linux": ("linux", "posix", "Linux"),
    "darwin": ("darwin", "posix", "Darwin"),
    "win32": ("win32", "nt", "Windows"),
    "other": ("freebsd14", "posix", "FreeBSD"),
}
MACHINES: dict[str, tuple[str, ...]] = {
    "linux": ("x86_64", "aarch64"),
    "darwin": ("arm64", "x86_64"),
    "win32": ("AMD64", "ARM64"),
    "other": ("amd64",),
}
IMPLEMENTATIONS = ("cpython", "pypy")
PYTHONS = ((3, 9), (3, 10), (3, 11), (3, 12), (3, 13), (3, 14))
DIMENSIONS = ("platform", "machine", "implementation", "python")


@dataclasses.dataclass(frozen=True)
class World:
    """One combination of the facts setup.py may ask about."""

    platform: str = "linux"
    machine: str = "x86_64"
    implementation: str = "cpython"
    python: tuple[int, int] = (3, 12)

    @property
    def sys_platform(self) -> str:
        return PLATFORMS[self.platform][0]

    @property
    def os_name(self) -> str:
        return PLATFORMS[self.platform][1]

    @property
    def system(self) -> str:
        return PLATFORMS[self.platform][2]

    def describe(self) -> str:
        return f"{self.platform}/{self.machine}/{self.implementation}/{self.python[0]}.{self.python[1]}"


def worlds_for(consulted: Iterable[str], pythons: Sequence[tuple[int, int]] = PYTHONS) -> list[World]:
    """Every world that differs in the consulted facts (the base world first)."""
    used = set(consulted)
    platforms = list(PLATFORMS) if used & {"platform", "machine"} else ["linux"]
    implementations = list(IMPLEMENTATIONS) if "implementation" in used else ["cpython"]
    versions = list(pythons) if "python" in used else [pythons[-1] if (3, 12) not in pythons else (3, 12)]
    worlds: list[World] = []
    for platform, implementation, version in itertools.product(platforms, implementations, versions):
        machines = MACHINES[platform] if "machine" in used else MACHINES[platform][:1]
        worlds += [World(platform, machine, implementation, version) for machine in machines]
    return worlds


def _platform_marker(chosen: set[str]) -> str:
    if "other" in chosen:
        missing = [p for p in PLATFORMS if p not in chosen]
        return " and ".join(f"sys_platform != '{PLATFORMS[p][0]}'" for p in missing)
    names = sorted(chosen, key=list(PLATFORMS).index)
    return " or ".join(f"sys_platform == '{PLATFORMS[p][0]}'" for p in names)


def _version_marker(chosen: set[tuple[int, int]], every: Sequence[tuple[int, int]]) -> str:
    ordered = sorted(every)
    indexes = sorted(ordered.index(v) for v in chosen)
    contiguous = indexes == list(range(indexes[0], indexes[-1] + 1))
    if contiguous:
        low, _high = ordered[indexes[0]], ordered[indexes[-1]]
        parts = []
        if indexes[0] > 0:
            parts.append(f"python_version >= '{low[0]}.{low[1]}'")
        if indexes[-1] < len(ordered) - 1:
            after = ordered[indexes[-1] + 1]
            parts.append(f"python_version < '{after[0]}.{after[1]}'")
        return " and ".join(parts)
    return " or ".join(f"python_version == '{v[0]}.{v[1]}'" for v in sorted(chosen))


def _single(dimension: str, chosen: set[object], every: Sequence[object]) -> str:
    if set(every) <= chosen:
        return ""
    if dimension == "platform":
        return _platform_marker({str(c) for c in chosen})
    if dimension == "implementation":
        names = {"cpython": "CPython", "pypy": "PyPy"}
        if len(chosen) == 1:
            return f"platform_python_implementation == '{names[str(next(iter(chosen)))]}'"
        return ""
    if dimension == "machine":
        return " or ".join(f"platform_machine == '{m}'" for m in sorted(str(c) for c in chosen))
    versions = {v for v in chosen if isinstance(v, tuple)}
    return _version_marker(versions, [v for v in every if isinstance(v, tuple)])


def _get(world: World, dimension: str) -> object:
    return getattr(world, dimension)


def _holds(marker: str, world: World) -> bool:
    from packaging.markers import Marker

    environment = {
        "sys_platform": world.sys_platform,
        "platform_machine": world.machine,
        "platform_python_implementation": "PyPy" if world.implementation == "pypy" else "CPython",
        "python_version": f"{world.python[0]}.{world.python[1]}",
    }
    return Marker(marker).evaluate(environment)


def _varies(worlds: Sequence[World], dimension: str) -> bool:
    if dimension == "machine":
        # Each platform has its own default machine: only several per platform count.
        return any(len({w.machine for w in worlds if w.platform == p}) > 1 for p in PLATFORMS)
    return len({_get(w, dimension) for w in worlds}) > 1


def _wrap(text: str) -> str:
    return f"({text})" if " or " in text else text


def marker_for(chosen: Iterable[World], universe: Sequence[World]) -> str:
    """A PEP 508 marker that holds in the chosen worlds and in none of the others.

    ``""`` when it holds everywhere. Worlds that differ only in a dimension
    nobody asked about are never split.
    """
    picked = set(chosen)
    every = list(universe)
    if not picked:
        return "python_version < '0'"
    if picked >= set(every):
        return ""
    varying = [d for d in DIMENSIONS if _varies(every, d)]
    # A product of one value set per dimension is written as one conjunction.
    projections = {d: {_get(w, d) for w in picked} for d in varying}
    product = {w for w in every if all(_get(w, d) in projections[d] for d in varying)}
    if product == picked:
        parts = []
        for dimension in varying:
            values = [_get(w, dimension) for w in every]
            text = _single(dimension, projections[dimension], list(dict.fromkeys(values)))
            if text:
                parts.append(text)
        # A clause the others already imply goes (an arm64 machine is never "other").
        for part in list(parts):
            rest = [p for p in parts if p is not part]
            if rest and {w for w in every if all(_holds(p, w) for p in rest)} == picked:
                parts = rest
        return " and ".join(_wrap(part) for part in parts) if len(parts) > 1 else "".join(parts)
    # Otherwise split on the first varying dimension and join the pieces with "or".
    first = varying[0]
    groups: dict[str, list[object]] = {}
    for value in dict.fromkeys(_get(w, first) for w in every):
        inside = [w for w in picked if _get(w, first) == value]
        if not inside:
            continue
        sub_universe = [w for w in every if _get(w, first) == value]
        groups.setdefault(marker_for(inside, sub_universe), []).append(value)
    pieces = []
    all_values = list(dict.fromkeys(_get(w, first) for w in every))
    for sub, values in groups.items():
        head = _single(first, set(values), all_values)
        joined = " and ".join(_wrap(part) for part in (head, sub) if part)
        pieces.append(joined)
    return " or ".join(_wrap(piece) if " and " in piece and len(pieces) > 1 else piece for piece in pieces)


def majority(values: Mapping[World, object]) -> object:
    """The value most worlds have (ties go to the value seen first)."""
    distinct: list[object] = []
    counts: list[int] = []
    for item in values.values():
        for index, seen in enumerate(distinct):
            if seen == item:
                counts[index] += 1
                break
        else:
            distinct.append(item)
            counts.append(1)
    best = max(range(len(distinct)), key=lambda index: (counts[index], -index))
    return distinct[best]
