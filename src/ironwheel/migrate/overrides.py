"""The worlds' extension tables merged into tables and ``[[tool.ironwheel.overrides]]``.

The value most worlds share stays in the table, the others become
overrides with the marker of the worlds that have them, and a module some
worlds lack gets ``enabled = false`` there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ironwheel.migrate.world import World, majority, marker_for

__all__ = ["merge_worlds"]

# What a key of a table is when an override must undo it and the world has no value.
_RESET: dict[str, Any] = {
    "language": "auto",
    "optional": False,
    "py-limited-api": False,
    "numpy": False,
    "binding": "auto",
    "cxx-std": 0,
}


def _override_value(key: str, base: Any, world: Any) -> Any:
    if key == "define-macros":
        base = base or {}
        world = world or {}
        changed = {name: value for name, value in world.items() if base.get(name) != value}
        changed.update({name: False for name in base if name not in world})
        return changed
    if world is None:
        return [] if isinstance(base, list) else {} if isinstance(base, dict) else _RESET.get(key, False)
    return world


def merge_worlds(
    per_world: Mapping[World, Mapping[str, dict[str, Any]]], universe: Sequence[World]
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The tables and the overrides (``if`` markers first) that say what every world had."""
    names: list[str] = []
    for found in per_world.values():
        names += [name for name in found if name not in names]
    tables: dict[str, dict[str, Any]] = {}
    overrides: dict[str, dict[str, dict[str, Any]]] = {}

    def override(worlds: list[World], name: str, key: str, item: Any) -> None:
        marker = marker_for(worlds, universe)
        overrides.setdefault(marker, {}).setdefault(name, {})[key] = item

    for name in names:
        present = [world for world in universe if name in per_world.get(world, {})]
        base = majority({world: per_world[world][name] for world in present})
        assert isinstance(base, dict)
        table = dict(base)
        if len(present) < len(universe):
            absent = [world for world in universe if world not in present]
            if len(present) * 2 >= len(universe):
                override(absent, name, "enabled", False)
            else:
                table["enabled"] = False
                override(present, name, "enabled", True)
        keys: list[str] = []
        for world in present:
            keys += [key for key in per_world[world][name] if key not in keys]
        for key in keys:
            by_value: list[tuple[Any, list[World]]] = []
            for world in present:
                item = per_world[world][name].get(key)
                for seen, worlds in by_value:
                    if seen == item:
                        worlds.append(world)
                        break
                else:
                    by_value.append((item, [world]))
            for item, worlds in by_value:
                if item != base.get(key):
                    override(worlds, name, key, _override_value(key, base.get(key), item))
        tables[name] = table
    result: list[dict[str, Any]] = []
    for marker, body in overrides.items():
        result.append({"if": marker, "extension": body})
    return tables, result
