"""What the static reading knows about Python's and the packaging tools' names.

Facts about the platform (``sys.platform``, ``os.name``, ``platform.system()``,
``sys.version_info``) come from the evaluator's world and are recorded as
consulted. File-system calls (``os.path``, ``glob``, ``open``, ``pathlib``)
are answered from the project tree, never outside it. ``setup()``,
``Extension``, ``Pybind11Extension``, ``cythonize`` and ``numpy.get_include()``
are recorded. Methods of plain values run for real, from an allow-list.
"""

from __future__ import annotations

import ast
import os
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ironwheel.migrate import replay
from ironwheel.migrate import values as v
from ironwheel.migrate.evaluate import BoundMethod, ClassValue, Evaluator, FunctionValue, ModuleRef
from ironwheel.migrate.files import glob_files, list_directory, open_file
from ironwheel.migrate.handlers import HANDLERS, format_call, regex_call, retag
from ironwheel.migrate.objects import (
    BUILTINS,
    ENVIRON,
    EXCEPTIONS,
    EXTERNAL,
    METHODS,
    PASS_UNKNOWN,
    PLATFORM_ATTRIBUTES,
    PROBES,
    SIDE_EFFECTS,
    STR_METHODS,
    Argv,
    Compiler,
    Environ,
    FileHandle,
    LocalModule,
    Match,
    PathValue,
    Super,
    VersionInfo,
    extension_kind,
    kind_of,
)
from ironwheel.migrate.setuptools_names import EXTENSION_CLASSES, EXTENSION_LIST_ATTRIBUTES, SETUP_FUNCTIONS

__all__ = ["Library"]


class Library:
    """The names the evaluator asks about (see the module docstring)."""

    def __init__(self) -> None:
        self._local_cache: dict[str, LocalModule] = {}

    # -- paths -------------------------------------------------------------------------------

    @staticmethod
    def _inside(ev: Evaluator, text: str) -> Path | None:
        path = Path(os.path.normpath(os.path.join(ev.root, text)))
        root = Path(os.path.normpath(ev.root))
        return path if path == root or root in path.parents else None

    # -- modules -----------------------------------------------------------------------------

    def import_module(self, ev: Evaluator, name: str) -> Any:
        top = name.split(".", maxsplit=1)[0]
        if top not in EXTERNAL:
            for base in ["", *getattr(ev, "sys_path", [])]:
                parts = name.split(".")
                directory = ev.root / base
                for candidate in (
                    directory.joinpath(*parts, "__init__.py"),
                    directory.joinpath(*parts[:-1], parts[-1] + ".py"),
                ):
                    if candidate.is_file():
                        return self.local_module(ev, candidate, name)
        return ModuleRef(name)

    def local_module(self, ev: Evaluator, path: Path, name: str) -> LocalModule:
        key = f"{path}:{ev.world}"
        if key in self._local_cache:
            return self._local_cache[key]
        module = LocalModule()
        module.path = path.relative_to(ev.root).as_posix()
        self._local_cache[key] = module
        try:
            tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
        except (SyntaxError, ValueError):
            return module
        sub = Evaluator(ev.root, ev.world, self, path)
        sub.environ = ev.environ
        names = sub.run_module(tree, {"__name__": name, "__file__": str(path)}).names
        ev.consulted |= sub.consulted
        for key_name, item in names.items():
            module[key_name] = v.FromModule(item, module.path, key_name) if type(item) is str else item
        return module

    def builtin(self, ev: Evaluator, name: str, node: ast.AST) -> Any:
        if name in BUILTINS or name in EXCEPTIONS:
            return ModuleRef(f"builtins.{name}")
        if name in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[name]
        if name == "__file__":
            return str(ev.path)
        return ev.unknown(f"the name {name}", node)

    # -- attributes --------------------------------------------------------------------------

    def attribute(self, ev: Evaluator, owner: Any, name: str, node: ast.AST) -> Any:
        if isinstance(owner, ModuleRef):
            return self._module_attribute(ev, owner.name, name, node)
        if isinstance(owner, LocalModule):
            if name in owner:
                return owner[name]
            return (
                self.import_module(ev, f"{owner.get('__name__', '')}.{name}")
                if False
                else ev.unknown(f"{name} of {owner.path}", node)
            )
        if isinstance(owner, replay.Instance) or (isinstance(owner, ClassValue) and name != "__init__"):
            return replay.attribute(ev, owner, name, node)
        if isinstance(owner, Super) and isinstance(owner.instance, replay.Instance):
            return replay.super_attribute(ev, owner, name, node)
        if isinstance(owner, v.ExtensionCall):
            if name not in owner.arguments and name in EXTENSION_LIST_ATTRIBUTES:
                owner.arguments[name] = []
            return owner.arguments.get(name)
        if isinstance(owner, PathValue):
            return self._path_attribute(ev, owner, name, node)
        if isinstance(owner, VersionInfo) and name in ("major", "minor", "micro"):
            return getattr(owner, name)
        if isinstance(owner, Compiler):
            if name == "compiler_type":
                ev.consulted.add("platform")
                return "msvc" if ev.world.platform == "win32" else "unix"
            return ev.unknown(f"the compiler's {name}", node)
        if isinstance(owner, Super) and name == "__init__":
            return BoundMethod(owner, name)
        if isinstance(owner, ClassValue) and name == "__init__":
            return BoundMethod(owner, name)
        if isinstance(owner, (Match, FileHandle, Environ)) or (
            type(owner) in METHODS and name in METHODS[type(owner)]
        ):
            return BoundMethod(owner, name)
        if isinstance(owner, str) and name in STR_METHODS:
            return BoundMethod(owner, name)
        if isinstance(owner, list) and name in METHODS[list]:
            return BoundMethod(owner, name)
        if isinstance(owner, dict) and name in METHODS[dict]:
            return BoundMethod(owner, name)
        if isinstance(owner, re.Pattern):
            return BoundMethod(owner, name)
        return ev.unknown(f"the attribute {name}", node)

    def _module_attribute(self, ev: Evaluator, module: str, name: str, node: ast.AST) -> Any:
        full = f"{module}.{name}"
        world = ev.world
        if full in PLATFORM_ATTRIBUTES:
            # getattr(sys, "getwindowsversion", None) and hasattr(os, "uname") ask which platform this is.
            ev.consulted.add("platform")
            if (world.platform == "win32") == (PLATFORM_ATTRIBUTES[full] == "win32"):
                return ModuleRef(full)
            return v.Unknown(f"{full}, which this platform lacks", getattr(node, "lineno", 0))
        if full in ("sys.platform", "os.name"):
            ev.consulted.add("platform")
            return world.sys_platform if name == "platform" else world.os_name
        if full == "sys.version_info":
            ev.consulted.add("python")
            return VersionInfo((*world.python, 0, "final", 0))
        if full in ("sys.version", "sys.hexversion"):
            ev.consulted.add("python")
            if name == "hexversion":
                return (3 << 24) | (world.python[1] << 16) | 0xF0
            return f"{world.python[0]}.{world.python[1]}.0"
        if full == "sys.implementation.name":
            ev.consulted.add("implementation")
            return world.implementation
        if full == "sys.pypy_version_info":
            ev.consulted.add("implementation")
            return (7, 3, 0) if world.implementation == "pypy" else ev.unknown("sys.pypy_version_info", node)
        if full == "sys.builtin_module_names":
            ev.consulted.add("implementation")
            names = ("builtins", "sys", "_imp", "marshal")
            return (*names, "__pypy__") if world.implementation == "pypy" else names
        if full == "sys.argv":
            argv = Argv(ev.argv)
            return argv
        if full == "sys.maxsize":
            return 2**63 - 1
        if full == "sys.byteorder":
            return "little"
        if full == "os.environ":
            return ENVIRON
        if full in ("os.sep", "os.path.sep"):
            return "/"
        if full in ("os.pathsep",):
            return ":"
        if full in ("os.curdir", "os.path.curdir"):
            return "."
        if full == "os.linesep":
            return "\n"
        if module == "re" and name.isupper():
            return getattr(re, name) if hasattr(re, name) else ev.unknown(full, node)
        return ModuleRef(full)

    def _path_attribute(self, ev: Evaluator, owner: PathValue, name: str, node: ast.AST) -> Any:
        path = posixpath
        if name == "parent":
            return PathValue(path.dirname(owner.text) or ".")
        if name == "name":
            return path.basename(owner.text)
        if name == "stem":
            return path.splitext(path.basename(owner.text))[0]
        if name == "suffix":
            return path.splitext(owner.text)[1]
        if name == "parents":
            parents = []
            current = owner.text
            while path.dirname(current) not in (current, ""):
                current = path.dirname(current)
                parents.append(PathValue(current))
            return parents
        if name in (
            "resolve",
            "absolute",
            "read_text",
            "exists",
            "is_file",
            "is_dir",
            "glob",
            "rglob",
            "joinpath",
            "with_suffix",
            "with_name",
            "as_posix",
            "open",
            "relative_to",
            "iterdir",
        ):
            return BoundMethod(owner, name)
        return ev.unknown(f"Path.{name}", node)

    def set_attribute(self, ev: Evaluator, owner: Any, name: str, item: Any) -> None:
        if isinstance(owner, v.ExtensionCall):
            owner.arguments[name] = item
        elif isinstance(owner, replay.Instance):
            owner.attributes[name] = item

    # -- containers and operators ------------------------------------------------------------

    def iterate(self, ev: Evaluator, item: Any, node: ast.AST) -> Any:
        if isinstance(item, v.Unknown):
            return item
        if isinstance(item, (set, frozenset)):
            try:
                return sorted(item)
            except TypeError:
                return list(item)
        if isinstance(item, FileHandle):
            return [v.FileLine(line, item.text.path) for line in item.text.splitlines(keepends=True)]
        if isinstance(item, Environ):
            return ev.unknown("the names in os.environ", node)
        if isinstance(
            item, (list, tuple, str, dict, range, type({}.keys()), type({}.values()), type({}.items()))
        ):
            return list(item)
        if isinstance(item, (map, filter, zip, enumerate, reversed)):
            return list(item)
        return ev.unknown(f"iterating over {type(item).__name__}", node)

    def make_set(self, ev: Evaluator, items: list[Any], node: ast.AST) -> Any:
        unknown = v.first_unknown(items)
        if unknown:
            return unknown
        try:
            return set(items)
        except TypeError:
            return ev.unknown("a set of unhashable values", node)

    def subscript(self, ev: Evaluator, container: Any, index: Any, node: ast.AST) -> Any:
        if isinstance(container, v.Unknown):
            return container
        if isinstance(index, v.Unknown):
            return index
        if isinstance(container, Environ):
            return self._environ_get(
                ev, index, v.Unknown(f"the environment variable {index}", getattr(node, "lineno", 0)), node
            )
        if isinstance(container, Match):
            return container.tag(container.match.group(index))
        try:
            item = container[index]
        except (KeyError, IndexError, TypeError) as error:
            return ev.unknown(f"{type(error).__name__} {index!r}", node)
        if isinstance(container, v.FileText) and isinstance(index, slice):
            return v.FileText(item, container.path)
        return item

    def binary(self, ev: Evaluator, op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any:
        texts = (v.FileText, v.Composed)
        strings = isinstance(left, str) and isinstance(right, str)
        if isinstance(op, ast.Add) and strings and (isinstance(left, texts) or isinstance(right, texts)):
            return self.compose([left, right])
        if isinstance(op, ast.Div) and isinstance(left, PathValue) and isinstance(right, (str, PathValue)):
            return PathValue(posixpath.join(left.text, str(right)))
        if isinstance(op, ast.Mod) and isinstance(left, str):
            return NotImplemented
        return NotImplemented

    def compare(self, ev: Evaluator, op: ast.cmpop, left: Any, right: Any, node: ast.AST) -> Any:
        if isinstance(op, (ast.In, ast.NotIn)):
            if isinstance(right, Environ):
                value = ev.environ.get(str(left))
                ev.environ_reads.setdefault(str(left), getattr(node, "lineno", 0))
                return (value is not None) == isinstance(op, ast.In)
            if isinstance(right, Argv) and isinstance(left, str):
                ev.argv_reads.setdefault(left, getattr(node, "lineno", 0))
        if isinstance(left, PathValue) or isinstance(right, PathValue):
            return NotImplemented
        return NotImplemented

    @staticmethod
    def compose(parts: list[Any]) -> v.Composed:
        flat: list[str] = []
        for part in parts:
            flat += part.parts if isinstance(part, v.Composed) else [part]
        return v.Composed(tuple(flat))

    @staticmethod
    def plain(item: Any) -> Any:
        return str(item) if isinstance(item, PathValue) else item

    # -- calls --------------------------------------------------------------------------------

    def _callable(self, ev: Evaluator, function: Any, node: ast.AST) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            return ev.call(function, list(args), {}, node)

        return call

    def call(
        self, ev: Evaluator, function: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        unknown = (
            v.first_unknown([args, kwargs])
            if not isinstance(function, ModuleRef) or function.name not in SETUP_FUNCTIONS
            else None
        )
        if isinstance(function, (replay.Method, replay.BaseMethod)):
            return replay.invoke(self, ev, function, args, kwargs, node)
        if (
            isinstance(function, ModuleRef)
            and not function.name.startswith("builtins.")
            and args
            and isinstance(args[0], replay.Instance)
        ):
            # build_ext.run(self): setuptools' own method, on the replayed command
            base = replay.BaseMethod(args[0], function.name.rsplit(".", 1)[-1])
            return replay.invoke(self, ev, base, args[1:], kwargs, node)
        if isinstance(function, BoundMethod):
            if unknown and not _stores(function, args, kwargs):
                return unknown
            return self._method(ev, function, args, kwargs, node)
        if isinstance(function, ClassValue):
            return self._instantiate(ev, function, args, kwargs, node)
        if not isinstance(function, ModuleRef):
            return ev.unknown(f"calling {type(function).__name__}", node)
        name = function.name
        if name.startswith(SIDE_EFFECTS):
            ev.side_effects.append((getattr(node, "lineno", 0), f"{name}()"))
            return ev.unknown(f"{name}()", node)
        if name.endswith((".new_compiler", ".get_default_compiler")):
            if name.endswith("get_default_compiler"):
                ev.consulted.add("platform")
                return "msvc" if ev.world.platform == "win32" else "unix"
            return Compiler()
        if name in PROBES:
            # A probe for a system library: the tables build the bundled copy instead.
            ev.probes.append((getattr(node, "lineno", 0), f"{name}()"))
            return PROBES[name]
        if name in SETUP_FUNCTIONS:
            ev.setup_calls.append(v.SetupCall(dict(kwargs), getattr(node, "lineno", 0)))
            return None
        if name in EXTENSION_CLASSES:
            return self._extension(kind_of(EXTENSION_CLASSES[name]), args, kwargs, node)
        if name.endswith(".__init__") and name[: -len(".__init__")] in EXTENSION_CLASSES and args:
            target = args[0]
            if isinstance(target, v.ExtensionCall):
                made = self._extension(target.kind, args[1:], kwargs, node)
                target.arguments.update(made.arguments)
            return None
        if name == "builtins.super":
            return Super(ev.instances[-1] if ev.instances else None, ev.defining[-1] if ev.defining else None)
        if unknown and name not in PASS_UNKNOWN:
            return unknown
        handler = HANDLERS.get(name) or HANDLERS.get(
            name.rsplit(".", 1)[-1] if name.startswith("builtins.") else ""
        )
        if handler is not None:
            return handler(self, ev, args, kwargs, node)
        if name.startswith("builtins.") and name[9:] in EXCEPTIONS:
            return function
        module, _, attribute = name.rpartition(".")
        if attribute == "get_include" and module and not args and not kwargs:
            # cppy.get_include(), pythran.get_include(): a build requirement's headers.
            return v.PackageInclude(module)
        return ev.unknown(f"{name}()", node)

    def _instantiate(
        self, ev: Evaluator, cls: ClassValue, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        """A subclass of an Extension class makes an extension; other classes stay classes."""
        kind = extension_kind(cls)
        if kind is None:
            return cls
        init = next(
            (item for item in cls.node.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"),
            None,
        )
        if init is None or cls.scope is None:
            return self._extension(kind, args, kwargs, node)
        instance = v.ExtensionCall(kind, {}, getattr(node, "lineno", 0))
        ev.instances.append(instance)
        try:
            ev.call_function(
                FunctionValue(init, cls.scope, f"{cls.name}.__init__"), [instance, *args], kwargs, node
            )
        finally:
            ev.instances.pop()
        return instance

    @staticmethod
    def _extension(
        kind: v.ExtensionKind, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> v.ExtensionCall:
        arguments = dict(kwargs)
        for index, name in enumerate(("name", "sources")):
            if index < len(args):
                arguments[name] = args[index]
        for name in EXTENSION_LIST_ATTRIBUTES:
            if isinstance(arguments.get(name), tuple):
                arguments[name] = list(arguments[name])
        return v.ExtensionCall(kind, arguments, getattr(node, "lineno", 0))

    def _environ_get(self, ev: Evaluator, name: Any, default: Any, node: ast.AST) -> Any:
        ev.environ_reads.setdefault(str(name), getattr(node, "lineno", 0))
        return ev.environ.get(str(name), default)

    def _method(
        self, ev: Evaluator, method: BoundMethod, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        target, name = method.target, method.name
        if isinstance(target, (Super, ClassValue)) and name == "__init__":
            instance = target.instance if isinstance(target, Super) else (args[0] if args else None)
            rest = args if isinstance(target, Super) else args[1:]
            if isinstance(instance, v.ExtensionCall):
                made = self._extension(instance.kind, rest, kwargs, node)
                instance.arguments.update(made.arguments)
            return None
        if isinstance(target, Environ):
            if name == "get":
                return self._environ_get(
                    ev, args[0], args[1] if len(args) > 1 else kwargs.get("default"), node
                )
            return ev.unknown(f"os.environ.{name}()", node)
        if isinstance(target, FileHandle):
            if name == "read":
                return target.text
            if name == "readlines":
                return [v.FileLine(line, target.text.path) for line in target.text.splitlines(keepends=True)]
            return None
        if isinstance(target, Match):
            if name == "group":
                groups = [target.tag(target.match.group(g)) for g in (args or [0])]
                return groups[0] if len(groups) == 1 else tuple(groups)
            if name == "groups":
                return tuple(target.tag(g) for g in target.match.groups())
            if name == "groupdict":
                return {k: target.tag(g) for k, g in target.match.groupdict().items()}
            return ev.unknown(f"Match.{name}()", node)
        if isinstance(target, re.Pattern):
            return regex_call(ev, name, [target, *args], kwargs, node)
        if isinstance(target, PathValue):
            return self._path_method(ev, target, name, args, node)
        real_args = [
            self._callable(ev, a, node) if isinstance(a, FunctionValue) else self.plain(a) for a in args
        ]
        real_kwargs = {
            k: self._callable(ev, a, node) if isinstance(a, FunctionValue) else a for k, a in kwargs.items()
        }
        if isinstance(target, str) and name == "join":
            items = self.iterate(ev, real_args[0], node) if real_args else []
            if isinstance(items, v.Unknown):
                return items
            if any(isinstance(item, (v.FileText, v.Composed)) for item in items):
                parts: list[Any] = []
                for index, item in enumerate(items):
                    parts += [target, item] if index else [item]
                return self.compose(parts)
        if isinstance(target, str) and name == "format":
            return format_call(self, target, real_args, real_kwargs)
        try:
            result = getattr(target, name)(*real_args, **real_kwargs)
        except Exception:  # noqa: BLE001 - what the real method raises, the real setup.py would too
            return ev.unknown(f"{type(target).__name__}.{name}() failing", node)
        return retag(target, name, result)

    def _path_method(
        self, ev: Evaluator, target: PathValue, name: str, args: list[Any], node: ast.AST
    ) -> Any:
        if name in ("resolve", "absolute"):
            return PathValue(os.path.normpath(os.path.join(ev.root, target.text)))
        if name == "as_posix":
            return target.text
        if name == "joinpath":
            return PathValue(posixpath.join(target.text, *[str(a) for a in args]))
        if name in ("with_suffix", "with_name"):
            stem, _suffix = posixpath.splitext(target.text)
            if name == "with_suffix":
                return PathValue(stem + str(args[0]))
            return PathValue(posixpath.join(posixpath.dirname(target.text), str(args[0])))
        if name in ("read_text", "open"):
            return open_file(
                self,
                ev,
                [target.text, *(["r"] if name == "read_text" else args)],
                {},
                node,
                read=name == "read_text",
            )
        if name in ("exists", "is_file", "is_dir"):
            inside = self._inside(ev, target.text)
            if inside is None:
                return ev.unknown("a path outside the project", node)
            return {"exists": inside.exists, "is_file": inside.is_file, "is_dir": inside.is_dir}[name]()
        if name in ("glob", "rglob"):
            pattern = str(args[0]) if args else "*"
            pattern = f"**/{pattern}" if name == "rglob" else pattern
            found = glob_files(self, ev, [posixpath.join(target.text, pattern)], {"recursive": True}, node)
            return [PathValue(item) for item in found] if isinstance(found, list) else found
        if name == "relative_to":
            return PathValue(os.path.relpath(target.text, str(args[0])))
        if name == "iterdir":
            return list_directory(self, ev, [target.text], {}, node)
        return ev.unknown(f"Path.{name}()", node)


_STORING = {
    list: frozenset(["append", "insert", "extend"]),
    dict: frozenset(["setdefault", "update"]),
    set: frozenset(["add"]),
}


def _stores(method: BoundMethod, args: list[Any], kwargs: dict[str, Any]) -> bool:
    """A container method that keeps a value partly unknown as it is, for the run to fill in.

    ``modules.append(Extension(..., include_dirs=[probe()]))`` must leave the
    extension in the list: dropping the call would lose the extension. A wholly
    unknown iterable cannot be spread, nor an unknown key stored.
    """
    kinds = [names for kind, names in _STORING.items() if isinstance(method.target, kind)]
    if not kinds or method.name not in kinds[0]:
        return False
    if method.name in ("extend", "update"):
        return not any(isinstance(item, v.Unknown) for item in [*args, *kwargs.values()])
    if method.name in ("setdefault", "add"):
        return bool(args) and not v.contains_unknown(args[0])
    return True
