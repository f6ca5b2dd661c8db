"""The objects and the name tables of the static reading of setup.py.

Stand-ins for what setup.py gets from Python (``os.environ``, ``sys.argv``,
``sys.version_info``, a ``re`` match, an open file, a ``pathlib.Path``, a
compiler), and the names whose methods and calls the reading answers.
"""

from __future__ import annotations

import re
from typing import Any

from ironwheel.migrate import values as v
from ironwheel.migrate.evaluate import ClassValue, ModuleRef
from ironwheel.migrate.setuptools_names import EXTENSION_CLASSES

__all__ = [
    "BUILTINS",
    "ENVIRON",
    "EXCEPTIONS",
    "EXTERNAL",
    "KEEP_TAG",
    "METHODS",
    "PASS_UNKNOWN",
    "PLATFORM_ATTRIBUTES",
    "PROBES",
    "SIDE_EFFECTS",
    "STR_METHODS",
    "Argv",
    "Compiler",
    "Environ",
    "FileHandle",
    "LocalModule",
    "Match",
    "PathValue",
    "Super",
    "VersionInfo",
    "extension_kind",
    "kind_of",
]

# Module attributes that exist on one kind of platform only: asking for them asks which platform it is.
PLATFORM_ATTRIBUTES = {
    **dict.fromkeys(
        ["sys.getwindowsversion", "sys.winver", "sys.dllhandle", "os.add_dll_directory", "os.startfile"],
        "win32",
    ),
    **dict.fromkeys(["os.uname", "os.getuid", "os.geteuid", "os.fork", "os.sysconf"], "posix"),
}

STR_METHODS = frozenset(
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
METHODS: dict[type, frozenset[str]] = {
    str: STR_METHODS,
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
KEEP_TAG = frozenset(("strip", "lstrip", "rstrip", "replace", "expandtabs", "removeprefix", "removesuffix"))
BUILTINS = frozenset(
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
EXCEPTIONS = frozenset(
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
EXTERNAL = frozenset(("versioneer", "setuptools", "distutils", "numpy", "Cython", "pybind11", "os", "sys"))
SIDE_EFFECTS = (
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


class Environ:
    """``os.environ`` of the world being read; every read is recorded."""


class Argv(list):  # type: ignore[type-arg]
    """``sys.argv``; a test for an option in it is recorded."""


class VersionInfo(tuple):  # type: ignore[type-arg]
    major = property(lambda self: self[0])
    minor = property(lambda self: self[1])
    micro = property(lambda self: self[2])


class Match:
    def __init__(self, match: re.Match[str], source: str) -> None:
        self.match = match
        self.source = source

    def tag(self, text: Any) -> Any:
        if isinstance(text, str) and isinstance(self.source, v.FileText):
            return v.Matched(text, self.source.path, self.match.re.pattern)
        return text


class FileHandle:
    def __init__(self, text: v.FileText) -> None:
        self.text = text


class Compiler:
    """What ``new_compiler()`` returns: its type is a fact of the platform."""


class Super:
    def __init__(self, instance: Any, owner: Any = None) -> None:
        self.instance = instance
        self.owner = owner  # the class whose method called super()


def extension_kind(cls: Any, depth: int = 0) -> Any:
    """The kind of Extension a class derives from, if any."""
    if depth > 10:
        return None
    if isinstance(cls, ModuleRef):
        return EXTENSION_CLASSES.get(cls.name)
    if isinstance(cls, ClassValue):
        for base in cls.bases:
            kind = extension_kind(base, depth + 1)
            if kind is not None:
                return kind
    return None


def kind_of(text: str) -> v.ExtensionKind:
    if text in ("pybind11", "numpy", "cython"):
        return text  # type: ignore[return-value]
    return "setuptools"


ENVIRON = Environ()
# Probes for system libraries, and what they answer: not found.
PROBES: dict[str, Any] = {
    "pkgconfig.installed": False,
    "pkgconfig.exists": False,
    "ctypes.util.find_library": None,
}
# Calls that keep unknown parts inside the value they make (partial knowledge is kept).
PASS_UNKNOWN = frozenset({"builtins.dict", "builtins.list", "builtins.tuple", "builtins.print"})
