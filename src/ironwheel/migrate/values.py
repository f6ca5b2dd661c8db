"""The values migrate reads out of setup.py: Python values, some with a remembered origin.

A string read from a file remembers the file (a readme, a requirements
line, a version found by a regular expression); a path found by ``glob``
remembers its pattern; a value the static reading cannot know is an
:class:`Unknown` that says why. Calls of ``Extension(...)`` and friends are
recorded as :class:`ExtensionCall`, ``setup(...)`` as :class:`SetupCall`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal

__all__ = [
    "NUMPY_INCLUDE",
    "PYBIND11_INCLUDE",
    "PYTHON_INCLUDE",
    "VCS_VERSION",
    "Composed",
    "ExtensionCall",
    "FileLine",
    "FileText",
    "FromModule",
    "Globbed",
    "Matched",
    "PackageInclude",
    "SetupCall",
    "Special",
    "Unknown",
    "contains_unknown",
    "first_unknown",
]


class Unknown:
    """A value the static reading could not determine, and why."""

    __slots__ = ("line", "reason")

    def __init__(self, reason: str, line: int = 0) -> None:
        self.reason = reason
        self.line = line

    def __repr__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"<unknown: {self.reason}{where}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.reason == self.reason and other.line == self.line

    def __hash__(self) -> int:
        return hash((self.reason, self.line))


class FileText(str):
    """The whole text of a file."""

    path: str

    def __new__(cls, text: str, path: str) -> FileText:
        made = super().__new__(cls, text)
        made.path = path
        return made


class FileLine(str):
    """One line of a file (stripped or not)."""

    path: str

    def __new__(cls, text: str, path: str) -> FileLine:
        made = super().__new__(cls, text)
        made.path = path
        return made


class Composed(str):
    """A text made by joining file texts and literal strings."""

    parts: tuple[str, ...]

    def __new__(cls, parts: tuple[str, ...]) -> Composed:
        made = super().__new__(cls, "".join(parts))
        made.parts = parts
        return made


class Matched(str):
    """A group of a regular expression searched in a file's text."""

    path: str
    pattern: str

    def __new__(cls, text: str, path: str, pattern: str) -> Matched:
        made = super().__new__(cls, text)
        made.path = path
        made.pattern = pattern
        return made


class FromModule(str):
    """A string constant assigned in another Python file of the project."""

    path: str
    name: str

    def __new__(cls, text: str, path: str, name: str) -> FromModule:
        made = super().__new__(cls, text)
        made.path = path
        made.name = name
        return made


class Globbed(str):
    """A path that ``glob`` found, with the pattern and everything it matched."""

    pattern: str
    matches: tuple[str, ...]

    def __new__(cls, text: str, pattern: str, matches: tuple[str, ...]) -> Globbed:
        made = super().__new__(cls, text)
        made.pattern = pattern
        made.matches = matches
        return made


class Special(str):
    """A path that stands for something the build finds itself (NumPy's headers)."""

    def __new__(cls, name: str) -> Special:
        return super().__new__(cls, name)


class PackageInclude(Special):
    """``module.get_include()`` of a build requirement: its header directory (``include-packages``)."""

    PREFIX = "__ironwheel_include__:"
    module: str

    def __new__(cls, module: str) -> PackageInclude:
        made = str.__new__(cls, cls.PREFIX + module)
        made.module = module
        return made

    @classmethod
    def parse(cls, text: str) -> PackageInclude | None:
        """The marker back from its text (as the recorder writes it), else None."""
        return cls(text[len(cls.PREFIX) :]) if text.startswith(cls.PREFIX) else None


NUMPY_INCLUDE = Special("__ironwheel_numpy_include__")
PYBIND11_INCLUDE = Special("__ironwheel_pybind11_include__")
PYTHON_INCLUDE = Special("__ironwheel_python_include__")  # every build adds Python's headers

ExtensionKind = Literal["setuptools", "pybind11", "numpy", "cython"]


@dataclasses.dataclass
class ExtensionCall:
    """One ``Extension(...)``: its keyword arguments, positional ones named."""

    kind: ExtensionKind
    arguments: dict[str, Any]
    line: int = 0
    # cythonize(...) options that apply to it: compiler_directives, language_level, ...
    cython: dict[str, Any] = dataclasses.field(default_factory=dict)
    cythonized: bool = False

    @property
    def name(self) -> Any:
        return self.arguments.get("name")

    def __setattr__(self, name: str, item: Any) -> None:
        # ext.extra_compile_args = [...] after the call changes the recorded argument.
        if name in ("kind", "arguments", "line", "cython", "cythonized"):
            object.__setattr__(self, name, item)
        else:
            self.arguments[name] = item


@dataclasses.dataclass
class SetupCall:
    """One ``setup(...)`` call (or the keywords a build hook fills in)."""

    arguments: dict[str, Any]
    line: int = 0
    conditional: bool = False  # reached only under a condition the reading could not decide


def first_unknown(item: Any, depth: int = 0) -> Unknown | None:
    """The first Unknown inside a value, if any."""
    if isinstance(item, Unknown):
        return item
    if depth > 20:
        return None
    if isinstance(item, ExtensionCall):
        return first_unknown(item.arguments, depth + 1)
    if isinstance(item, Mapping):
        for key, value in item.items():
            found = first_unknown(key, depth + 1) or first_unknown(value, depth + 1)
            if found:
                return found
    elif isinstance(item, (list, tuple, set, frozenset)):
        for value in item:
            found = first_unknown(value, depth + 1)
            if found:
                return found
    return None


def contains_unknown(item: Any) -> bool:
    return first_unknown(item) is not None


VCS_VERSION = Special("__ironwheel_vcs_version__")
