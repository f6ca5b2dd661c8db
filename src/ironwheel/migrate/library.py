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
import glob as globmodule
import json
import os
import posixpath
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ironwheel.migrate import values as v
from ironwheel.migrate.evaluate import BoundMethod, ClassValue, Evaluator, FunctionValue, ModuleRef
from ironwheel.migrate.setuptools_names import (
    EXTENSION_CLASSES,
    EXTENSION_LIST_ATTRIBUTES,
    SETUP_FUNCTIONS,
    cython_module_name,
    find_packages,
)

__all__ = ["Library", "LocalModule", "PathValue"]

_STR_METHODS = frozenset(
    [
        "capitalize",
        "casefold",
        "center",
        "count",
        "encode",
        "endswith",
        "expandtabs",
        "find",
        "format",
        "index",
        "isalnum",
        "isalpha",
        "isdigit",
        "isidentifier",
        "islower",
        "isspace",
        "isupper",
        "join",
        "ljust",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "replace",
        "rfind",
        "rindex",
        "rjust",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
        "zfill",
    ]
)
_METHODS: dict[type, frozenset[str]] = {
    str: _STR_METHODS,
    list: frozenset(
        ["append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse", "sort"]
    ),
    dict: frozenset(
        ["clear", "copy", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"]
    ),
    set: frozenset(
        [
            "add",
            "clear",
            "copy",
            "difference",
            "discard",
            "intersection",
            "issubset",
            "issuperset",
            "pop",
            "remove",
            "union",
            "update",
        ]
    ),
    frozenset: frozenset(["copy", "difference", "intersection", "issubset", "issuperset", "union"]),
    tuple: frozenset(("count", "index")),
    bytes: frozenset(("decode", "strip", "split", "splitlines")),
}
_KEEP_TAG = frozenset(("strip", "lstrip", "rstrip", "replace", "expandtabs", "removeprefix", "removesuffix"))
_BUILTINS = frozenset(
    [
        "open",
        "len",
        "list",
        "tuple",
        "dict",
        "set",
        "frozenset",
        "sorted",
        "reversed",
        "enumerate",
        "zip",
        "range",
        "str",
        "int",
        "float",
        "bool",
        "min",
        "max",
        "any",
        "all",
        "map",
        "filter",
        "isinstance",
        "print",
        "repr",
        "abs",
        "sum",
        "getattr",
        "hasattr",
        "exec",
        "compile",
        "iter",
        "next",
        "round",
        "chr",
        "ord",
        "format",
        "callable",
        "globals",
        "locals",
        "vars",
        "bytes",
        "super",
    ]
)
_EXCEPTIONS = frozenset(
    [
        "Exception",
        "BaseException",
        "ImportError",
        "ModuleNotFoundError",
        "OSError",
        "IOError",
        "ValueError",
        "TypeError",
        "KeyError",
        "RuntimeError",
        "SystemExit",
        "AttributeError",
        "NameError",
        "IndexError",
        "NotImplementedError",
        "EnvironmentError",
        "SyntaxError",
        "FileNotFoundError",
        "subprocess.CalledProcessError",
    ]
)
# Modules named like this are never read from the project (the project's copy of
# versioneer.py is what versioneer.get_version() stands for).
_EXTERNAL = frozenset(("versioneer", "setuptools", "distutils", "numpy", "Cython", "pybind11", "os", "sys"))
_SIDE_EFFECTS = (
    "subprocess.",
    "os.system",
    "os.popen",
    "os.makedirs",
    "os.mkdir",
    "os.remove",
    "os.unlink",
    "os.rename",
    "os.replace",
    "os.chdir",
    "os.symlink",
    "shutil.",
)


class LocalModule(dict):  # type: ignore[type-arg]
    """The names of a Python file of the project, read statically."""

    path: str


class PathValue:
    """A ``pathlib.Path``."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PathValue) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __fspath__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


class _Environ:
    """``os.environ`` of the world being read; every read is recorded."""


class _Argv(list):  # type: ignore[type-arg]
    """``sys.argv``; a test for an option in it is recorded."""


class _Version(tuple):  # type: ignore[type-arg]
    major = property(lambda self: self[0])
    minor = property(lambda self: self[1])
    micro = property(lambda self: self[2])


class _Match:
    def __init__(self, match: re.Match[str], source: str) -> None:
        self.match = match
        self.source = source

    def tag(self, text: Any) -> Any:
        if isinstance(text, str) and isinstance(self.source, v.FileText):
            return v.Matched(text, self.source.path, self.match.re.pattern)
        return text


class _FileHandle:
    def __init__(self, text: v.FileText) -> None:
        self.text = text


class _Compiler:
    """What ``new_compiler()`` returns: its type is a fact of the platform."""


class _Super:
    def __init__(self, instance: Any) -> None:
        self.instance = instance


def _extension_kind(cls: Any, depth: int = 0) -> Any:
    """The kind of Extension a class derives from, if any."""
    if depth > 10:
        return None
    if isinstance(cls, ModuleRef):
        return EXTENSION_CLASSES.get(cls.name)
    if isinstance(cls, ClassValue):
        for base in cls.bases:
            kind = _extension_kind(base, depth + 1)
            if kind is not None:
                return kind
    return None


def _kind(text: str) -> v.ExtensionKind:
    if text in ("pybind11", "numpy", "cython"):
        return text  # type: ignore[return-value]
    return "setuptools"


_ENVIRON = _Environ()
# Probes for system libraries, and what they answer: not found.
_PROBES: dict[str, Any] = {
    "pkgconfig.installed": False,
    "pkgconfig.exists": False,
    "ctypes.util.find_library": None,
}
# Calls that keep unknown parts inside the value they make (partial knowledge is kept).
_PASS_UNKNOWN = frozenset({"builtins.dict", "builtins.list", "builtins.tuple", "builtins.print"})


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
        if top not in _EXTERNAL:
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
        if name in _BUILTINS or name in _EXCEPTIONS:
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
        if isinstance(owner, v.ExtensionCall):
            if name not in owner.arguments and name in EXTENSION_LIST_ATTRIBUTES:
                owner.arguments[name] = []
            return owner.arguments.get(name)
        if isinstance(owner, PathValue):
            return self._path_attribute(ev, owner, name, node)
        if isinstance(owner, _Version) and name in ("major", "minor", "micro"):
            return getattr(owner, name)
        if isinstance(owner, _Compiler):
            if name == "compiler_type":
                ev.consulted.add("platform")
                return "msvc" if ev.world.platform == "win32" else "unix"
            return ev.unknown(f"the compiler's {name}", node)
        if isinstance(owner, _Super) and name == "__init__":
            return BoundMethod(owner, name)
        if isinstance(owner, ClassValue) and name == "__init__":
            return BoundMethod(owner, name)
        if isinstance(owner, (_Match, _FileHandle, _Environ)) or (
            type(owner) in _METHODS and name in _METHODS[type(owner)]
        ):
            return BoundMethod(owner, name)
        if isinstance(owner, str) and name in _STR_METHODS:
            return BoundMethod(owner, name)
        if isinstance(owner, list) and name in _METHODS[list]:
            return BoundMethod(owner, name)
        if isinstance(owner, dict) and name in _METHODS[dict]:
            return BoundMethod(owner, name)
        if isinstance(owner, re.Pattern):
            return BoundMethod(owner, name)
        return ev.unknown(f"the attribute {name}", node)

    def _module_attribute(self, ev: Evaluator, module: str, name: str, node: ast.AST) -> Any:
        full = f"{module}.{name}"
        world = ev.world
        if full in ("sys.platform", "os.name"):
            ev.consulted.add("platform")
            return world.sys_platform if name == "platform" else world.os_name
        if full == "sys.version_info":
            ev.consulted.add("python")
            return _Version((*world.python, 0, "final", 0))
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
            argv = _Argv(ev.argv)
            return argv
        if full == "sys.maxsize":
            return 2**63 - 1
        if full == "sys.byteorder":
            return "little"
        if full == "os.environ":
            return _ENVIRON
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

    # -- containers and operators ------------------------------------------------------------

    def iterate(self, ev: Evaluator, item: Any, node: ast.AST) -> Any:
        if isinstance(item, v.Unknown):
            return item
        if isinstance(item, (set, frozenset)):
            try:
                return sorted(item)
            except TypeError:
                return list(item)
        if isinstance(item, _FileHandle):
            return [v.FileLine(line, item.text.path) for line in item.text.splitlines(keepends=True)]
        if isinstance(item, _Environ):
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
        if isinstance(container, _Environ):
            return self._environ_get(
                ev, index, v.Unknown(f"the environment variable {index}", getattr(node, "lineno", 0)), node
            )
        if isinstance(container, _Match):
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
            if isinstance(right, _Environ):
                value = ev.environ.get(str(left))
                ev.environ_reads.setdefault(str(left), getattr(node, "lineno", 0))
                return (value is not None) == isinstance(op, ast.In)
            if isinstance(right, _Argv) and isinstance(left, str):
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
        if isinstance(function, BoundMethod):
            if unknown:
                return unknown
            return self._method(ev, function, args, kwargs, node)
        if isinstance(function, ClassValue):
            return self._instantiate(ev, function, args, kwargs, node)
        if not isinstance(function, ModuleRef):
            return ev.unknown(f"calling {type(function).__name__}", node)
        name = function.name
        if name.startswith(_SIDE_EFFECTS):
            ev.side_effects.append((getattr(node, "lineno", 0), f"{name}()"))
            return ev.unknown(f"{name}()", node)
        if name.endswith((".new_compiler", ".get_default_compiler")):
            if name.endswith("get_default_compiler"):
                ev.consulted.add("platform")
                return "msvc" if ev.world.platform == "win32" else "unix"
            return _Compiler()
        if name in _PROBES:
            # A probe for a system library: the tables build the bundled copy instead.
            ev.probes.append((getattr(node, "lineno", 0), f"{name}()"))
            return _PROBES[name]
        if name in SETUP_FUNCTIONS:
            ev.setup_calls.append(v.SetupCall(dict(kwargs), getattr(node, "lineno", 0)))
            return None
        if name in EXTENSION_CLASSES:
            return self._extension(_kind(EXTENSION_CLASSES[name]), args, kwargs, node)
        if name.endswith(".__init__") and name[: -len(".__init__")] in EXTENSION_CLASSES and args:
            target = args[0]
            if isinstance(target, v.ExtensionCall):
                made = self._extension(target.kind, args[1:], kwargs, node)
                target.arguments.update(made.arguments)
            return None
        if name == "builtins.super":
            return _Super(ev.instances[-1] if ev.instances else None)
        if unknown and name not in _PASS_UNKNOWN:
            return unknown
        handler = _HANDLERS.get(name) or _HANDLERS.get(
            name.rsplit(".", 1)[-1] if name.startswith("builtins.") else ""
        )
        if handler is not None:
            return handler(self, ev, args, kwargs, node)
        if name.startswith("builtins.") and name[9:] in _EXCEPTIONS:
            return function
        return ev.unknown(f"{name}()", node)

    def _instantiate(
        self, ev: Evaluator, cls: ClassValue, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        """A subclass of an Extension class makes an extension; other classes stay classes."""
        kind = _extension_kind(cls)
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
        if isinstance(target, (_Super, ClassValue)) and name == "__init__":
            instance = target.instance if isinstance(target, _Super) else (args[0] if args else None)
            rest = args if isinstance(target, _Super) else args[1:]
            if isinstance(instance, v.ExtensionCall):
                made = self._extension(instance.kind, rest, kwargs, node)
                instance.arguments.update(made.arguments)
            return None
        if isinstance(target, _Environ):
            if name == "get":
                return self._environ_get(
                    ev, args[0], args[1] if len(args) > 1 else kwargs.get("default"), node
                )
            return ev.unknown(f"os.environ.{name}()", node)
        if isinstance(target, _FileHandle):
            if name == "read":
                return target.text
            if name == "readlines":
                return [v.FileLine(line, target.text.path) for line in target.text.splitlines(keepends=True)]
            return None
        if isinstance(target, _Match):
            if name == "group":
                groups = [target.tag(target.match.group(g)) for g in (args or [0])]
                return groups[0] if len(groups) == 1 else tuple(groups)
            if name == "groups":
                return tuple(target.tag(g) for g in target.match.groups())
            if name == "groupdict":
                return {k: target.tag(g) for k, g in target.match.groupdict().items()}
            return ev.unknown(f"Match.{name}()", node)
        if isinstance(target, re.Pattern):
            return _regex(ev, name, [target, *args], kwargs, node)
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
            return _format(self, target, real_args, real_kwargs)
        try:
            result = getattr(target, name)(*real_args, **real_kwargs)
        except Exception:  # noqa: BLE001 - what the real method raises, the real setup.py would too
            return ev.unknown(f"{type(target).__name__}.{name}() failing", node)
        return _retag(target, name, result)

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
            return _open(
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
            found = _glob(self, ev, [posixpath.join(target.text, pattern)], {"recursive": True}, node)
            return [PathValue(item) for item in found] if isinstance(found, list) else found
        if name == "relative_to":
            return PathValue(os.path.relpath(target.text, str(args[0])))
        if name == "iterdir":
            return _listdir(self, ev, [target.text], {}, node)
        return ev.unknown(f"Path.{name}()", node)


def _retag(target: Any, name: str, result: Any) -> Any:
    if isinstance(target, v.FileText):
        if name in _KEEP_TAG and isinstance(result, str):
            return v.FileText(result, target.path)
        if name in ("splitlines", "split", "rsplit") and isinstance(result, list):
            return [v.FileLine(item, target.path) for item in result]
    if isinstance(target, v.FileLine):
        if name in _KEEP_TAG and isinstance(result, str):
            return v.FileLine(result, target.path)
        if name in ("split", "rsplit", "partition", "rpartition"):
            items = [v.FileLine(item, target.path) for item in result]
            return items if isinstance(result, list) else tuple(items)
    if isinstance(target, (v.Matched, v.FromModule)) and name in _KEEP_TAG and isinstance(result, str):
        if isinstance(target, v.Matched):
            return v.Matched(result, target.path, target.pattern)
        return v.FromModule(result, target.path, target.name)
    if isinstance(target, v.Composed) and name in ("strip", "rstrip", "lstrip"):
        return target
    return result


def _format(library: Library, template: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    import string

    if any(isinstance(a, (v.FileText, v.Composed)) for a in [*args, *kwargs.values()]):
        parts: list[Any] = []
        automatic = 0
        for text, field, spec, _conversion in string.Formatter().parse(template):
            parts.append(text)
            if field is None:
                continue
            if field == "":
                item = args[automatic]
                automatic += 1
            elif field.isdigit():
                item = args[int(field)]
            else:
                item = kwargs.get(field, "")
            parts.append(item if not spec else format(item, spec))
        return library.compose([p for p in parts if p != ""])
    try:
        return template.format(*args, **kwargs)
    except Exception:  # noqa: BLE001
        return v.Unknown("a str.format() that fails")


def _text(item: Any) -> str:
    return item.text if isinstance(item, PathValue) else str(item)


def _open(
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
    name = _text(args[0])
    if any(flag in mode for flag in "wax+"):
        ev.side_effects.append(
            (getattr(node, "lineno", 0), f"writes {os.path.relpath(os.path.join(ev.root, name), ev.root)}")
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
    return text if read else _FileHandle(text)


def _glob(library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
    pattern = _text(args[0])
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


def _listdir(library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
    directory = library._inside(ev, _text(args[0]) if args else ".")
    if directory is None or not directory.is_dir():
        return ev.unknown("listing a directory outside the project", node)
    return sorted(os.listdir(directory))


def _walk(library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
    top = _text(args[0]) if args else "."
    directory = library._inside(ev, top)
    if directory is None:
        return ev.unknown("walking a directory outside the project", node)
    results = []
    for current, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in (".git", ".hg", ".tox", ".nox", "__pycache__"))
        shown = os.path.join(top, os.path.relpath(current, directory)) if current != str(directory) else top
        results.append((os.path.normpath(shown).replace(os.sep, "/"), list(dirs), sorted(files)))
    return results


def _regex(ev: Evaluator, name: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
    if not args:
        return ev.unknown(f"re.{name}()", node)
    pattern = args[0]
    compiled = pattern if isinstance(pattern, re.Pattern) else None
    rest = args[1:]
    position = 0 if name == "compile" else 3 if name == "sub" else 1
    flags = kwargs.get("flags", rest[position] if len(rest) > position else 0)
    try:
        if compiled is None:
            compiled = re.compile(str(pattern), flags if isinstance(flags, int) else 0)
        if name == "compile":
            return compiled
        if name in ("search", "match", "fullmatch"):
            source = rest[0]
            found = getattr(compiled, name)(source)
            return _Match(found, source) if found else None
        if name == "findall":
            source = rest[0]
            items = compiled.findall(source)
            if isinstance(source, v.FileText):
                return [
                    v.Matched(i, source.path, compiled.pattern) if isinstance(i, str) else i for i in items
                ]
            return items
        if name == "sub":
            return compiled.sub(rest[0], rest[1])
        if name == "split":
            return compiled.split(rest[0])
        if name == "escape":
            return re.escape(str(pattern))
    except (re.error, TypeError, IndexError):
        return ev.unknown(f"re.{name}() failing", node)
    return ev.unknown(f"re.{name}()", node)


def _fact(kind: str) -> Callable[..., Any]:
    def handler(
        library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        world = ev.world
        if kind == "system":
            ev.consulted.add("platform")
            return world.system
        if kind == "implementation":
            ev.consulted.add("implementation")
            return "PyPy" if world.implementation == "pypy" else "CPython"
        if kind == "machine":
            ev.consulted.add("machine")
            return world.machine
        if kind == "python_version":
            ev.consulted.add("python")
            return f"{world.python[0]}.{world.python[1]}.0"
        if kind == "get_platform":
            ev.consulted |= {"platform", "machine"}
            prefix = {"linux": "linux", "darwin": "macosx-11.0", "win32": "win", "other": "freebsd-14.0"}[
                world.platform
            ]
            return f"{prefix}-{world.machine.lower()}"
        ev.consulted.add("platform")
        return ("14.0", ("", "", ""), world.machine) if world.platform == "darwin" else ("", ("", "", ""), "")

    return handler


def _path_function(name: str) -> Callable[..., Any]:
    def handler(
        library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        texts = [_text(a) for a in args]
        if name == "join":
            return posixpath.join(*texts) if texts else ev.unknown("os.path.join()", node)
        if name in ("abspath", "realpath"):
            return os.path.normpath(os.path.join(ev.root, texts[0]))
        if name in ("exists", "isfile", "isdir", "islink"):
            inside = library._inside(ev, texts[0])
            if inside is None:
                return ev.unknown(f"a path outside the project ({texts[0]})", node)
            return {
                "exists": os.path.exists,
                "isfile": os.path.isfile,
                "isdir": os.path.isdir,
                "islink": os.path.islink,
            }[name](inside)
        if name == "relpath":
            start = texts[1] if len(texts) > 1 else str(ev.root)
            return os.path.relpath(os.path.join(ev.root, texts[0]), os.path.join(ev.root, start))
        function = getattr(posixpath, name)
        return function(*texts)

    return handler


def _builtin(name: str) -> Callable[..., Any]:
    def handler(
        library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        real = [
            library._callable(ev, a, node) if isinstance(a, FunctionValue) else library.plain(a) for a in args
        ]
        if name == "open":
            return _open(library, ev, args, kwargs, node)
        if name == "print":
            return None
        if name in ("isinstance",):
            kinds = args[1] if isinstance(args[1], tuple) else (args[1],)
            names = {k.name.rsplit(".", 1)[-1] for k in kinds if isinstance(k, ModuleRef)}
            return type(args[0]).__name__ in names or any(
                isinstance(
                    args[0], {"str": str, "list": list, "tuple": tuple, "dict": dict}.get(n, type(None))
                )
                for n in names
            )
        if name == "hasattr":
            owner, attribute = args[0], str(args[1])
            if isinstance(owner, ModuleRef):
                if owner.name == "sys" and attribute.startswith("pypy"):
                    ev.consulted.add("implementation")
                    return ev.world.implementation == "pypy"
                return ev.unknown(f"hasattr({owner.name}, {attribute!r})", node)
            found = library.attribute(ev, owner, attribute, node)
            return not isinstance(found, v.Unknown)
        if name == "getattr":
            found = library.attribute(ev, args[0], str(args[1]), node)
            return args[2] if isinstance(found, v.Unknown) and len(args) > 2 else found
        if name in ("globals", "locals", "vars"):
            return ev.unknown(f"{name}()", node)
        if name == "exec":
            return _exec(library, ev, args, node)
        if name == "compile":
            return args[0]
        if name in ("map", "filter", "sorted", "min", "max") and any(
            isinstance(a, FunctionValue) for a in [*args, *kwargs.values()]
        ):
            kw = {
                k: library._callable(ev, a, node) if isinstance(a, FunctionValue) else a
                for k, a in kwargs.items()
            }
            return (
                list(__builtins_get(name)(*real, **kw))
                if name in ("map", "filter", "sorted")
                else __builtins_get(name)(*real, **kw)
            )
        if name == "range" and real and isinstance(real[-1], int) and abs(real[-1]) > 100_000:
            return ev.unknown("a very long range()", node)
        try:
            result = __builtins_get(name)(*real, **kwargs)
        except Exception:  # noqa: BLE001
            return ev.unknown(f"{name}() failing", node)
        if name in ("map", "filter", "zip", "enumerate", "reversed", "iter"):
            return list(result)
        if name == "str" and args and isinstance(args[0], str):
            return args[0]
        return result

    return handler


def __builtins_get(name: str) -> Any:
    import builtins

    return getattr(builtins, name)


def _exec(library: Library, ev: Evaluator, args: list[Any], node: ast.AST) -> Any:
    code = args[0] if args else None
    namespace = args[1] if len(args) > 1 else None
    if not isinstance(code, v.FileText) or not isinstance(namespace, dict):
        return ev.unknown("exec() of code the reading cannot follow", node)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return ev.unknown(f"exec() of {code.path}, which does not parse", node)
    sub = Evaluator(ev.root, ev.world, library, ev.root / code.path)
    sub.environ = ev.environ
    names = sub.run_module(tree, {"__name__": "__exec__", "__file__": str(ev.root / code.path)}).names
    for key, item in names.items():
        namespace[key] = v.FromModule(item, code.path, key) if type(item) is str else item
    return None


def _cythonize(
    library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST
) -> Any:
    modules = args[0] if args else kwargs.pop("module_list", [])
    options = {k: kwargs[k] for k in kwargs if k != "module_list"}
    items = modules if isinstance(modules, list) else [modules]
    excluded: set[str] = set()
    for pattern in options.get("exclude", []) or []:
        excluded.update(item for item in _glob(library, ev, [pattern], {"recursive": True}, node) or [])
    result: list[v.ExtensionCall] = []
    for item in items:
        if isinstance(item, str):
            matches = _glob(library, ev, [item], {"recursive": True}, node) if "*" in item else [item]
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
                for path in _glob(library, ev, [sources[0]], {"recursive": True}, node):
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


def _intree(library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
    paths = args[0] if args else kwargs.get("paths", [])
    result = []
    for path in paths:
        name = cython_module_name(ev.root, str(path))
        result.append(
            v.ExtensionCall("pybind11", {"name": name, "sources": [path]}, getattr(node, "lineno", 0))
        )
    return result


def _find(namespaces: bool) -> Callable[..., Any]:
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


def _json_load(
    library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST
) -> Any:
    source = args[0].text if isinstance(args[0], _FileHandle) else args[0]
    try:
        return json.loads(source)
    except (ValueError, TypeError):
        return ev.unknown("json that does not parse", node)


def _literal_eval(
    library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST
) -> Any:
    try:
        return ast.literal_eval(str(args[0]))
    except (ValueError, SyntaxError):
        return ev.unknown("ast.literal_eval() failing", node)


def _sys_path(library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
    entry = _text(args[-1]) if args else ""
    inside = library._inside(ev, entry)
    if inside is not None:
        paths = getattr(ev, "sys_path", [])
        paths.append(inside.relative_to(ev.root).as_posix() if inside != ev.root else "")
        ev.sys_path = paths  # type: ignore[attr-defined]
    return None


_SIZES = {
    "b": 1,
    "B": 1,
    "c": 1,
    "?": 1,
    "h": 2,
    "H": 2,
    "i": 4,
    "I": 4,
    "f": 4,
    "q": 8,
    "Q": 8,
    "d": 8,
    "n": 8,
    "N": 8,
    "P": 8,
}


def _calcsize(ev: Evaluator, args: list[Any], node: ast.AST) -> Any:
    """struct.calcsize of one code, for 64-bit platforms (long is 4 bytes on Windows)."""
    code = str(args[0]).lstrip("@=<>!") if args else ""
    if code in ("l", "L"):
        ev.consulted.add("platform")
        return 4 if ev.world.platform == "win32" else 8
    if code in _SIZES:
        return _SIZES[code]
    return ev.unknown(f"struct.calcsize({code!r})", node)


def _constant(item: Any) -> Callable[..., Any]:
    return lambda library, ev, args, kwargs, node: item


_HANDLERS: dict[str, Callable[..., Any]] = {
    "platform.system": _fact("system"),
    "platform.python_implementation": _fact("implementation"),
    "platform.machine": _fact("machine"),
    "platform.python_version": _fact("python_version"),
    "platform.mac_ver": _fact("mac_ver"),
    "sysconfig.get_platform": _fact("get_platform"),
    "distutils.util.get_platform": _fact("get_platform"),
    "os.getcwd": lambda library, ev, args, kwargs, node: str(ev.root),
    "os.getenv": lambda library, ev, args, kwargs, node: library._environ_get(
        ev, args[0], args[1] if len(args) > 1 else kwargs.get("default"), node
    ),
    "os.environ.get": lambda library, ev, args, kwargs, node: library._environ_get(
        ev, args[0], args[1] if len(args) > 1 else None, node
    ),
    "os.listdir": _listdir,
    "os.walk": _walk,
    "os.cpu_count": _constant(2),
    "glob.glob": _glob,
    "glob.iglob": _glob,
    "io.open": _open,
    "codecs.open": _open,
    "pathlib.Path": lambda library, ev, args, kwargs, node: PathValue(
        posixpath.join(*[_text(a) for a in args]) if args else "."
    ),
    "numpy.get_include": _constant(v.NUMPY_INCLUDE),
    "numpy.get_numpy_include": _constant(v.NUMPY_INCLUDE),
    "pybind11.get_include": _constant(v.PYBIND11_INCLUDE),
    "Cython.Build.cythonize": _cythonize,
    "Cython.Build.Dependencies.cythonize": _cythonize,
    "pybind11.setup_helpers.intree_extensions": _intree,
    "pybind11.setup_helpers.ParallelCompile": _constant(
        ModuleRef("pybind11.setup_helpers.ParallelCompile()")
    ),
    "pybind11.setup_helpers.ParallelCompile().install": _constant(None),
    "setuptools.find_packages": _find(False),
    "setuptools.find_namespace_packages": _find(True),
    "setuptools.PEP420PackageFinder.find": _find(True),
    "setuptools.PackageFinder.find": _find(False),
    "versioneer.get_version": _constant(v.VCS_VERSION),
    "setuptools_scm.get_version": _constant(v.VCS_VERSION),
    "versioneer.get_cmdclass": lambda library, ev, args, kwargs, node: {
        **(args[0] if args and isinstance(args[0], dict) else kwargs.get("cmdclass") or {}),
        "version": ModuleRef("versioneer.cmd_version"),
        "build_py": ModuleRef("versioneer.cmd_build_py"),
        "sdist": ModuleRef("versioneer.cmd_sdist"),
    },
    "json.load": _json_load,
    "json.loads": _json_load,
    "ast.literal_eval": _literal_eval,
    "sys.path.insert": _sys_path,
    "sys.path.append": _sys_path,
    "runpy.run_path": lambda library, ev, args, kwargs, node: (
        library.local_module(ev, p, "__runpy__")
        if (p := library._inside(ev, _text(args[0]))) is not None and p.is_file()
        else ev.unknown("runpy.run_path()", node)
    ),
    "importlib.import_module": lambda library, ev, args, kwargs, node: library.import_module(
        ev, str(args[0])
    ),
    "warnings.warn": _constant(None),
    "warnings.simplefilter": _constant(None),
    "warnings.catch_warnings": _constant(None),
    "struct.calcsize": lambda library, ev, args, kwargs, node: _calcsize(ev, args, node),
    "warnings.filterwarnings": _constant(None),
    "logging.basicConfig": _constant(None),
}
for _name in (
    "join",
    "dirname",
    "basename",
    "splitext",
    "split",
    "normpath",
    "abspath",
    "realpath",
    "relpath",
    "exists",
    "isfile",
    "isdir",
    "islink",
    "isabs",
    "normcase",
):
    _HANDLERS[f"os.path.{_name}"] = _path_function(_name)
for _name in ("search", "match", "fullmatch", "findall", "compile", "sub", "split", "escape"):
    _HANDLERS[f"re.{_name}"] = lambda library, ev, args, kwargs, node, _n=_name: _regex(
        ev, _n, args, kwargs, node
    )
for _name in _BUILTINS:
    _HANDLERS[f"builtins.{_name}"] = _builtin(_name)


def known_mapping(item: Any) -> Mapping[str, Any] | None:
    return item if isinstance(item, Mapping) else None
