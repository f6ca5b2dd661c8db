"""The library calls the static reading answers: ``os.path``, ``re``, ``platform``, builtins, ...

Each handler takes (library, evaluator, args, kwargs, node) and returns the
value, an :class:`~ironwheel.migrate.values.Unknown`, or records what the
call means (a fact consulted, a side effect, a probe).
"""

from __future__ import annotations

import ast
import json
import os
import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ironwheel.migrate import values as v
from ironwheel.migrate.evaluate import Evaluator, FunctionValue, ModuleRef
from ironwheel.migrate.files import glob_files, list_directory, open_file, text_of, walk
from ironwheel.migrate.objects import BUILTINS, KEEP_TAG, PLATFORM_ATTRIBUTES, FileHandle, Match, PathValue
from ironwheel.migrate.recorders import cythonize, finder, intree_extensions

if TYPE_CHECKING:
    from ironwheel.migrate.library import Library

__all__ = ["HANDLERS", "calcsize", "format_call", "regex_call", "retag"]


def retag(target: Any, name: str, result: Any) -> Any:
    if isinstance(target, v.FileText):
        if name in KEEP_TAG and isinstance(result, str):
            return v.FileText(result, target.path)
        if name in ("splitlines", "split", "rsplit") and isinstance(result, list):
            return [v.FileLine(item, target.path) for item in result]
    if isinstance(target, v.FileLine):
        if name in KEEP_TAG and isinstance(result, str):
            return v.FileLine(result, target.path)
        if name in ("split", "rsplit", "partition", "rpartition"):
            items = [v.FileLine(item, target.path) for item in result]
            return items if isinstance(result, list) else tuple(items)
    if isinstance(target, (v.Matched, v.FromModule)) and name in KEEP_TAG and isinstance(result, str):
        if isinstance(target, v.Matched):
            return v.Matched(result, target.path, target.pattern)
        return v.FromModule(result, target.path, target.name)
    if isinstance(target, v.Composed) and name in ("strip", "rstrip", "lstrip"):
        return target
    return result


def format_call(library: Library, template: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
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


def regex_call(ev: Evaluator, name: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
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
            return Match(found, source) if found else None
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
        texts = [text_of(a) for a in args]
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
            return open_file(library, ev, args, kwargs, node)
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
                if f"{owner.name}.{attribute}" in PLATFORM_ATTRIBUTES:
                    return isinstance(library.attribute(ev, owner, attribute, node), ModuleRef)
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
            isinstance(a, (FunctionValue, ModuleRef)) for a in [*args, *kwargs.values()]
        ):
            # map(str, ...), sorted(key=len): functions of the file and of the library alike
            real = [
                library._callable(ev, a, node) if isinstance(a, (FunctionValue, ModuleRef)) else a
                for a in real
            ]
            kw = {
                k: library._callable(ev, a, node) if isinstance(a, (FunctionValue, ModuleRef)) else a
                for k, a in kwargs.items()
            }
            return (
                list(_python_builtin(name)(*real, **kw))
                if name in ("map", "filter", "sorted")
                else _python_builtin(name)(*real, **kw)
            )
        if name == "range" and real and isinstance(real[-1], int) and abs(real[-1]) > 100_000:
            return ev.unknown("a very long range()", node)
        try:
            result = _python_builtin(name)(*real, **kwargs)
            if name in ("map", "filter", "zip", "enumerate", "reversed", "iter"):
                return list(result)
        except Exception:  # noqa: BLE001
            return ev.unknown(f"{name}() failing", node)
        if name == "str" and args and isinstance(args[0], str):
            return args[0]
        return result

    return handler


def _python_builtin(name: str) -> Any:
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


def _json_load(
    library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST
) -> Any:
    source = args[0].text if isinstance(args[0], FileHandle) else args[0]
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
    entry = text_of(args[-1]) if args else ""
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


def calcsize(ev: Evaluator, args: list[Any], node: ast.AST) -> Any:
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


def _python_path(
    library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST
) -> Any:
    """sysconfig.get_path("include") is Python's headers, which every build adds; other paths are unknown."""
    name = args[0] if args else kwargs.get("name")
    if name in ("include", "platinclude"):
        return v.PYTHON_INCLUDE
    return ev.unknown(f"sysconfig.get_path({name!r})", node)


def _config_var(
    library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST
) -> Any:
    """Py_GIL_DISABLED is unset but on a free-threaded build, which the tables tell apart themselves
    (free-threaded wheels have their own tag); other variables are facts of this machine."""
    name = args[0] if args else kwargs.get("name")
    if name == "Py_GIL_DISABLED":
        return None
    return ev.unknown(f"sysconfig.get_config_var({name!r})", node)


def _chain(library: Library, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
    items: list[Any] = []
    for part in args:
        spread = library.iterate(ev, part, node)
        if isinstance(spread, v.Unknown):
            return spread
        items += spread
    return items


HANDLERS: dict[str, Callable[..., Any]] = {
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
    "os.listdir": list_directory,
    "os.walk": walk,
    "os.cpu_count": _constant(2),
    "glob.glob": glob_files,
    "glob.iglob": glob_files,
    "io.open": open_file,
    "codecs.open": open_file,
    "pathlib.Path": lambda library, ev, args, kwargs, node: PathValue(
        posixpath.join(*[text_of(a) for a in args]) if args else "."
    ),
    "numpy.get_include": _constant(v.NUMPY_INCLUDE),
    "numpy.get_numpy_include": _constant(v.NUMPY_INCLUDE),
    "pybind11.get_include": _constant(v.PYBIND11_INCLUDE),
    "sysconfig.get_path": _python_path,
    "sysconfig.get_config_var": _config_var,
    "distutils.sysconfig.get_config_var": _config_var,
    "distutils.sysconfig.get_python_inc": _constant(v.PYTHON_INCLUDE),
    "Cython.Build.cythonize": cythonize,
    "Cython.Build.Dependencies.cythonize": cythonize,
    "pybind11.setup_helpers.intree_extensions": intree_extensions,
    "pybind11.setup_helpers.ParallelCompile": _constant(
        ModuleRef("pybind11.setup_helpers.ParallelCompile()")
    ),
    "pybind11.setup_helpers.ParallelCompile().install": _constant(None),
    "setuptools.find_packages": finder(False),
    "setuptools.find_namespace_packages": finder(True),
    "setuptools.PEP420PackageFinder.find": finder(True),
    "setuptools.PackageFinder.find": finder(False),
    "versioneer.get_version": _constant(v.VCS_VERSION),
    "setuptools_scm.get_version": _constant(v.VCS_VERSION),
    "versioneer.get_cmdclass": lambda library, ev, args, kwargs, node: {
        **(args[0] if args and isinstance(args[0], dict) else kwargs.get("cmdclass") or {}),
        "version": ModuleRef("versioneer.cmd_version"),
        "build_py": ModuleRef("versioneer.cmd_build_py"),
        "sdist": ModuleRef("versioneer.cmd_sdist"),
    },
    "itertools.chain": _chain,
    "itertools.chain.from_iterable": lambda library, ev, args, kwargs, node: _chain(
        library, ev, list(args[0]) if args and isinstance(args[0], (list, tuple)) else args, kwargs, node
    ),
    "json.load": _json_load,
    "json.loads": _json_load,
    "ast.literal_eval": _literal_eval,
    "sys.path.insert": _sys_path,
    "sys.path.append": _sys_path,
    "runpy.run_path": lambda library, ev, args, kwargs, node: (
        library.local_module(ev, p, "__runpy__")
        if (p := library._inside(ev, text_of(args[0]))) is not None and p.is_file()
        else ev.unknown("runpy.run_path()", node)
    ),
    "importlib.import_module": lambda library, ev, args, kwargs, node: library.import_module(
        ev, str(args[0])
    ),
    "warnings.warn": _constant(None),
    "warnings.simplefilter": _constant(None),
    "warnings.catch_warnings": _constant(None),
    "struct.calcsize": lambda library, ev, args, kwargs, node: calcsize(ev, args, node),
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
    HANDLERS[f"os.path.{_name}"] = _path_function(_name)
for _name in ("search", "match", "fullmatch", "findall", "compile", "sub", "split", "escape"):
    HANDLERS[f"re.{_name}"] = lambda library, ev, args, kwargs, node, _n=_name: regex_call(
        ev, _n, args, kwargs, node
    )
for _name in BUILTINS:
    HANDLERS[f"builtins.{_name}"] = _builtin(_name)
