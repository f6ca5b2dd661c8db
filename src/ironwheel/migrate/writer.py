"""The new pyproject.toml: the old text with [build-system], [project] and [tool.ironwheel] spliced in.

Every table migrate does not own stays as it was, comments included;
``[project]`` is edited key by key. The result is parsed again and compared
with the data it must hold; if splicing cannot keep the text, the whole
file is written from the data (and the report says comments were lost).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from ironwheel._compat import tomllib
from ironwheel.errors import IronwheelError
from ironwheel.migrate.report import Report
from ironwheel.migrate.toml import Document, dumps

__all__ = ["INLINE_KEYS", "render_new_pyproject"]

INLINE_KEYS = frozenset({"define-macros", "cython-directives", "directives", "define"})
_PROJECT_SECTIONS = frozenset({"urls", "scripts", "gui-scripts", "optional-dependencies", "entry-points"})


def _sections(path: tuple[str, ...], table: Mapping[str, Any]) -> bool:
    if path[:1] == ("project",):
        return len(path) == 1 or path[1] in _PROJECT_SECTIONS
    if path[:2] == ("tool", "ironwheel"):
        return path[-1] not in INLINE_KEYS
    return True


def _inline_in_arrays(path: tuple[str, ...]) -> bool:
    return path[-1] in INLINE_KEYS


def render(data: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> str:
    """Tables as migrate writes them."""
    return dumps(data, prefix, sections=_sections, inline_in_arrays=_inline_in_arrays)


def _expected(
    old: Mapping[str, Any],
    project: Mapping[str, Any],
    build_system: Mapping[str, Any],
    tool: Mapping[str, Any],
    remove: Sequence[tuple[str, ...]],
) -> dict[str, Any]:
    data = copy.deepcopy(dict(old))
    data["build-system"] = {
        **{k: val for k, val in data.get("build-system", {}).items() if k != "backend-path"},
        **build_system,
    }
    data["project"] = dict(project)
    for path in remove:
        nodes: list[Any] = [data]
        for part in path[:-1]:
            nodes.append(nodes[-1].get(part, {}) if isinstance(nodes[-1], dict) else {})
        if isinstance(nodes[-1], dict):
            nodes[-1].pop(path[-1], None)
        # Tables left empty by the removal go too, as they go from the text.
        for depth in range(len(path) - 1, 0, -1):
            parent, child = nodes[depth - 1], nodes[depth]
            if isinstance(parent, dict) and child == {} and path[depth - 1] in parent:
                del parent[path[depth - 1]]
    for name, table in tool.items():
        data.setdefault("tool", {})[name] = table
    if not data.get("tool"):
        data.pop("tool", None)
    return data


def _edit(
    text: str,
    old: Mapping[str, Any],
    project: Mapping[str, Any],
    build_system: Mapping[str, Any],
    tool: Mapping[str, Any],
    remove: Sequence[tuple[str, ...]],
) -> str:
    doc = Document(text)
    # [build-system]
    if any(b.path == ("build-system",) for b in doc.blocks):
        for key, item in build_system.items():
            doc.set_key(("build-system",), key, item)
        doc.remove_key(("build-system",), "backend-path")
    else:
        doc.insert(0, render({"build-system": build_system}))
    # [project], key by key
    old_project = old.get("project")
    if isinstance(old_project, Mapping) and any(b.path == ("project",) for b in doc.blocks):
        for key in list(old_project):
            if key not in project:
                doc.remove_table(("project", key))
        for key, item in project.items():
            if old_project.get(key) == item:
                continue
            doc.remove_table(("project", key))
            if isinstance(item, Mapping) and key in _PROJECT_SECTIONS:
                end = doc.end_of(("project",))
                doc.insert(end if end is not None else len(doc.text), render({"project": {key: item}}))
            else:
                doc.set_key(("project",), key, item)
    else:
        doc.remove_table(("project",))
        end = doc.end_of(("build-system",))
        doc.insert(end if end is not None else 0, render({"project": project}))
    # The old backends' tables go; [tool.ironwheel] takes the place of the first.
    where: int | None = None
    for path in remove:
        at = doc.remove_table(path)
        if at is not None and where is None:
            where = at
    for name in tool:
        doc.remove_table(("tool", name))
    if tool:
        if where is None:
            end = doc.end_of(("project",))
            where = end if end is not None else len(doc.text)
        doc.insert(where, render({"tool": dict(tool)}))
    return doc.text


def render_new_pyproject(
    text: str,
    old: Mapping[str, Any],
    project: Mapping[str, Any],
    build_system: Mapping[str, Any],
    tool: Mapping[str, Any],
    remove: Sequence[tuple[str, ...]],
    report: Report,
) -> str:
    """The new text, checked by parsing it back."""
    expected = _expected(old, project, build_system, tool, remove)
    try:
        new = _edit(text, old, project, build_system, tool, remove)
        if tomllib.loads(new) == expected:
            return new
    except (tomllib.TOMLDecodeError, StopIteration, ValueError):
        pass
    ordered: dict[str, Any] = {key: expected[key] for key in ("build-system", "project") if key in expected}
    ordered.update({key: item for key, item in expected.items() if key not in ordered})
    new = render(ordered)
    if text.strip():
        report.manual(
            "pyproject.toml",
            "the file was rewritten as a whole: its comments were not kept",
            "copy back the comments you want from pyproject.toml.orig",
        )
    try:
        reparsed = tomllib.loads(new)
    except tomllib.TOMLDecodeError as error:  # pragma: no cover - the writer's own bug
        raise IronwheelError(
            f"migrate wrote invalid TOML ({error})", hint="please report this with the project's setup.py"
        ) from error
    if reparsed != expected:  # pragma: no cover - the writer's own bug
        raise IronwheelError(
            "migrate's TOML does not read back as written",
            hint="please report this with the project's setup.py",
        )
    return new
