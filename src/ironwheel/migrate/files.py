"""The project tree as setup.py sees it: ``open``, ``glob``, ``os.listdir``, ``os.walk``.

Every path is resolved inside the project; anything outside it is unknown,
never read.
"""

from __future__ import annotations

import ast
import glob as globmodule
import os
from typing import TYPE_CHECKING, Any

from ironwheel.migrate import values as v
from ironwheel.migrate.evaluate import Evaluator
from ironwheel.migrate.objects import FileHandle, PathValue

if TYPE_CHECKING:
    from ironwheel.migrate.library import Library

__all__ = ["glob_files", "list_directory", "open_file", "text_of", "walk"]


def text_of(item: Any) -> str:
    return item.text if isinstance(item, PathValue) else str(item)


def open_file(
    library: Library,
    ev: Evaluator,
    args: list[Any],
    kwargs: dict[str, Any],
    node: ast.AST,
    read: bool = False,
) -> Any:
    if not args:
        return ev.unknown("open() without a file", node)
    mode = str(args[1]) if len(args) > 1 else str(kwargs.get("mode", "r"))
    name = text_of(args[0])
    if any(flag in mode for flag in "wax+"):
        ev.side_effects.append(
            (
                getattr(node, "lineno", 0),
                f"open() writing {os.path.relpath(os.path.join(ev.root, name), ev.root)}",
            )
        )
        return ev.unknown(f"a file opened for writing ({name})", node)
    path = library._inside(ev, name)
    if path is None:
        return ev.unknown(f"a file outside the project ({name})", node)
    relative = path.relative_to(ev.root).as_posix()
    try:
        raw = path.read_bytes()
    except OSError:
        return ev.unknown(f"the file {relative}, which does not exist", node)
    ev.file_reads.append(relative)
    text = v.FileText(raw.decode("utf-8", errors="replace").replace("\r\n", "\n"), relative)
    return text if read else FileHandle(text)


def glob_files(
    library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST
) -> Any:
    pattern = text_of(args[0])
    absolute = os.path.isabs(pattern)
    full = pattern if absolute else os.path.join(ev.root, pattern)
    if library._inside(ev, os.path.dirname(full.split("*")[0]) or ".") is None:
        return ev.unknown("a glob outside the project", node)
    recursive = bool(kwargs.get("recursive", False))
    found = sorted(globmodule.glob(full, recursive=recursive))
    results = [item if absolute else os.path.relpath(item, ev.root) for item in found]
    results = [item.replace(os.sep, "/") for item in results]
    relative_pattern = (
        os.path.relpath(full, ev.root).replace(os.sep, "/")
        if not absolute
        else os.path.relpath(pattern, ev.root).replace(os.sep, "/")
    )
    if not recursive:
        relative_pattern = relative_pattern.replace("**", "*")
    return [v.Globbed(item, relative_pattern, tuple(results)) for item in results]


def list_directory(
    library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST
) -> Any:
    directory = library._inside(ev, text_of(args[0]) if args else ".")
    if directory is None or not directory.is_dir():
        return ev.unknown("listing a directory outside the project", node)
    return sorted(os.listdir(directory))


def walk(library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
    top = text_of(args[0]) if args else "."
    directory = library._inside(ev, top)
    if directory is None:
        return ev.unknown("walking a directory outside the project", node)
    results = []
    for current, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in (".git", ".hg", ".tox", ".nox", "__pycache__"))
        shown = os.path.join(top, os.path.relpath(current, directory)) if current != str(directory) else top
        results.append((os.path.normpath(shown).replace(os.sep, "/"), list(dirs), sorted(files)))
    return results
