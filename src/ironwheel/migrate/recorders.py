"""The recorders of the static reading: ``cythonize``, pybind11's ``intree_extensions``, ``find_packages``."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ironwheel.migrate import values as v
from ironwheel.migrate.evaluate import Evaluator
from ironwheel.migrate.files import glob_files
from ironwheel.migrate.setuptools_names import cython_module_name, find_packages

if TYPE_CHECKING:
    from ironwheel.migrate.library import Library

__all__ = ["cythonize", "finder", "intree_extensions"]


def cythonize(library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
    modules = args[0] if args else kwargs.pop("module_list", [])
    options = {k: kwargs[k] for k in kwargs if k != "module_list"}
    items = modules if isinstance(modules, list) else [modules]
    excluded: set[str] = set()
    for pattern in options.get("exclude", []) or []:
        excluded.update(item for item in glob_files(library, ev, [pattern], {"recursive": True}, node) or [])
    result: list[v.ExtensionCall] = []
    for item in items:
        if isinstance(item, str):
            matches = glob_files(library, ev, [item], {"recursive": True}, node) if "*" in item else [item]
            for path in matches:
                if path in excluded:
                    continue
                name = cython_module_name(ev.root, str(path))
                result.append(
                    v.ExtensionCall("cython", {"name": name, "sources": [path]}, getattr(node, "lineno", 0))
                )
        elif isinstance(item, v.ExtensionCall):
            pattern_name = item.arguments.get("name")
            sources = item.arguments.get("sources") or []
            if (
                isinstance(pattern_name, str)
                and "*" in pattern_name
                and sources
                and isinstance(sources[0], str)
            ):
                for path in glob_files(library, ev, [sources[0]], {"recursive": True}, node):
                    if path in excluded:
                        continue
                    arguments = {
                        **item.arguments,
                        "name": cython_module_name(ev.root, str(path)),
                        "sources": [path, *sources[1:]],
                    }
                    result.append(v.ExtensionCall(item.kind, arguments, item.line))
            else:
                result.append(item)
        else:
            return ev.unknown("cythonize() of something other than paths and extensions", node)
    for extension in result:
        extension.cythonized = True
        extension.cython = dict(options)
    return result


def intree_extensions(
    library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST
) -> Any:
    paths = args[0] if args else kwargs.get("paths", [])
    result = []
    for path in paths:
        name = cython_module_name(ev.root, str(path))
        result.append(
            v.ExtensionCall("pybind11", {"name": name, "sources": [path]}, getattr(node, "lineno", 0))
        )
    return result


def finder(namespaces: bool) -> Callable[..., Any]:
    def handler(
        library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        where = str(args[0]) if args else str(kwargs.get("where", "."))
        exclude = list(args[1]) if len(args) > 1 else list(kwargs.get("exclude", ()))
        include = list(args[2]) if len(args) > 2 else list(kwargs.get("include", ("*",)))
        if library._inside(ev, where) is None:
            return ev.unknown("packages outside the project", node)
        return find_packages(ev.root, where, include, exclude, namespaces=namespaces)

    return handler
