"""``[tool.ironwheel.extension."pkg._core"]`` tables -> checked extension modules.

Each table becomes an :class:`Extension`: its sources found on disk (glob
patterns expanded), each classified by suffix, its binding decided (from
the table, else from the sources: a ``.pyx`` is Cython, Fortran without C is
f2py, an ``#include <pybind11/...>`` is pybind11) and its limited API
version fixed. Every problem of every table is reported at once.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from ironwheel.archive.tags import StableABI, target_tag
from ironwheel.errors import ConfigError
from ironwheel.settings.keys import prefixed
from ironwheel.settings.model import ExtensionSettings, Scalar, Settings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ironwheel.target import WheelTarget

__all__ = [
    "LANGUAGES",
    "Binding",
    "Extension",
    "derived_py_api",
    "include_requirement",
    "language_requirements",
    "load_extensions",
]

log = logging.getLogger("ironwheel")

Binding = Literal["capi", "pybind11", "nanobind", "cython", "f2py"]

# What each source suffix is (compared in lower case).
SOURCE_KINDS = {
    ".c": "C",
    ".cpp": "CXX",
    ".cxx": "CXX",
    ".cc": "CXX",
    ".c++": "CXX",
    ".pyx": "Cython",
    ".f": "Fortran",
    ".for": "Fortran",
    ".f77": "Fortran",
    ".f90": "Fortran",
    ".f95": "Fortran",
    ".f03": "Fortran",
    ".f08": "Fortran",
    ".pyf": "Signature",
    ".cu": "CUDA",
    ".s": "ASM",  # and .S, preprocessed: CMake's ASM language takes both
    **dict.fromkeys((".h", ".hh", ".hpp", ".hxx", ".h++", ".inc", ".inl", ".cuh", ".pxd", ".pxi"), "Header"),
}
_COMPILED = frozenset({"C", "CXX", "Fortran", "CUDA", "ASM"})
# CMake's order: ASM after C and C++, whose compiler it uses.
LANGUAGES = ("C", "CXX", "Fortran", "CUDA", "ASM")
_KNOWN_SUFFIXES = " ".join(suffix for suffix, kind in SOURCE_KINDS.items() if kind != "Header")
_INCLUDE = re.compile(r'^\s*#\s*include\s*[<"](pybind11|nanobind)/', re.MULTILINE)
_CYTHON_CXX = re.compile(r"^#\s*distutils\s*:\s*language\s*=\s*c\+\+\s*$", re.MULTILINE | re.IGNORECASE)
_GLOB = re.compile(r"[*?\[]")
_SCAN_BYTES = 256 * 1024
# build-system requirement for each package a binding needs
_REQUIREMENTS = {"cython": "cython>=3.0", "numpy": "numpy", "pybind11": "pybind11", "nanobind": "nanobind"}


@dataclasses.dataclass(frozen=True)
class Extension:
    """One extension module, ready to be written as CMake."""

    name: str
    sources: tuple[Path, ...]
    kinds: tuple[str, ...]  # SOURCE_KINDS value of each source
    binding: Binding
    cxx: bool  # Cython in C++ mode; link as C++
    limited_api: str  # "3.9", or "" for the full API
    settings: ExtensionSettings
    cython_directives: Mapping[str, Scalar] = dataclasses.field(default_factory=dict)  # with the defaults

    @property
    def module(self) -> str:
        return self.name.rpartition(".")[2]

    @property
    def package_path(self) -> str:
        """The module's directory in the wheel: ``pkg/sub`` for ``pkg.sub._core``."""
        return self.name.rpartition(".")[0].replace(".", "/")

    @property
    def where(self) -> str:
        return _where(self.name)

    def of(self, *kinds: str) -> list[Path]:
        """The sources of the given kinds, in table order."""
        return [source for source, kind in zip(self.sources, self.kinds) if kind in kinds]

    @property
    def languages(self) -> tuple[str, ...]:
        """The CMake languages the module needs."""
        present = set(self.kinds)
        needed = present & _COMPILED
        if self.binding == "cython":
            needed.add("CXX" if self.cxx else "C")
        if self.binding == "f2py":
            needed |= {"C", "Fortran"}
        if self.binding in ("pybind11", "nanobind"):
            needed.add("CXX")
        return tuple(language for language in LANGUAGES if language in needed)

    @property
    def consumed(self) -> frozenset[Path]:
        """Sources that are compiled or translated, and so never ship in the wheel."""
        return frozenset(source for source, kind in zip(self.sources, self.kinds) if kind != "Header")


def _where(name: str) -> str:
    """The table's key path as messages show it (quoted when the name holds a dot)."""
    return prefixed("tool.ironwheel")(("extension", name))


class _Problems:
    """Collects (where, problem, hint) for one ConfigError."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str]] = []

    def add(self, where: str, problem: str, hint: str = "") -> None:
        self.items.append((where, problem, hint))

    def raise_any(self) -> None:
        if not self.items:
            return
        if len(self.items) == 1:
            where, problem, hint = self.items[0]
            raise ConfigError(f"{where}: {problem}", hint=hint or None)
        details = [
            f"{where}: {problem}" + (f" ({hint})" if hint else "") for where, problem, hint in self.items
        ]
        raise ConfigError(
            f"{len(self.items)} problems with the extension tables:",
            details=details,
            hint="see the extension keys in docs/configuration.md",
        )


def requires_python_floor(text: str | None) -> tuple[int, int] | None:
    """The lowest Python 3 version ``project.requires-python`` (``text``) allows, if it says."""
    if text is None:
        return None
    try:
        spec = SpecifierSet(text)
    except InvalidSpecifier:
        return None
    floors: list[tuple[int, int]] = []
    for item in spec:
        if item.operator not in (">=", ">", "~=", "==", "==="):
            continue
        try:
            release = Version(item.version.rstrip(".*")).release
        except InvalidVersion:
            continue
        if release and release[0] == 3:
            floors.append((3, release[1] if len(release) > 1 else 0))
    return min(floors) if floors else None


def _floor_or_error(requires_python: str | None, where: str) -> tuple[int, int]:
    floor = requires_python_floor(requires_python)
    if floor is None:
        raise ConfigError(
            f"{where}.py-limited-api: no Python version to build the limited API for",
            hint='set project.requires-python (e.g. ">=3.9") or tool.ironwheel.wheel.py-api = "cp39"',
        )
    return floor


def derived_py_api(requires_python: str | None, settings: Settings, has_cmakelists: bool) -> str:
    """``wheel.py-api``, or ``cp3X`` when every module (all declarative) asks for the limited API."""
    tables = {name: table for name, table in settings.extension.items() if table.enabled}
    if settings.wheel.py_api or has_cmakelists or not tables:
        return settings.wheel.py_api
    if not all(table.py_limited_api for table in tables.values()):
        return ""
    name = next(iter(tables))
    major, minor = _floor_or_error(requires_python, _where(name))
    return f"cp{major}{minor}"


def _expand(root: Path, where: str, patterns: Sequence[str], problems: _Problems, follow: bool) -> list[Path]:
    from ironwheel.archive.files import outside_problem

    found: list[Path] = []
    for index, pattern in enumerate(patterns):
        at = f"{where}.sources[{index}]"
        outside = outside_problem(root, root / pattern, follow_external_links=follow, named=True)
        if outside is not None:
            # What the wheel is compiled from is held to the rule of what it carries.
            problems.add(at, outside[0], outside[1])
            continue
        if _GLOB.search(pattern):
            matches = sorted(path for path in root.glob(pattern) if path.is_file())
            if not matches:
                problems.add(at, f'"{pattern}" matches no file', f"patterns are relative to {root}")
            for match in matches:
                outside = outside_problem(root, match, follow_external_links=follow, named=True)
                if outside is not None:
                    problems.add(at, outside[0], outside[1])
            found += matches
        elif not (root / pattern).is_file():
            problems.add(
                at, f'"{pattern}" does not exist', f"sources are relative to the project root, {root}"
            )
        else:
            found.append(root / pattern)
    unique: list[Path] = []
    for path in found:
        if path.resolve() not in (item.resolve() for item in unique):
            unique.append(path)
    return unique


def _includes(sources: Sequence[Path]) -> set[str]:
    """The binding libraries (pybind11, nanobind) whose headers the sources include."""
    seen: set[str] = set()
    for source in sources:
        try:
            with source.open("rb") as handle:
                text = handle.read(_SCAN_BYTES).decode("utf-8", errors="replace")
        except OSError:
            continue
        seen.update(_INCLUDE.findall(text))
    return seen


def _binding(
    table: ExtensionSettings, kinds: set[str], code: Sequence[Path], where: str, problems: _Problems
) -> Binding:
    """The table's binding, or the one the sources imply; conflicts are problems."""
    included = _includes(code)
    if len(included) > 1:
        problems.add(
            where, "the sources include both pybind11 and nanobind headers", "use one binding library"
        )
    chosen = table.binding
    if chosen == "auto":
        if "Cython" in kinds:
            chosen = "cython"
        elif "Signature" in kinds or ("Fortran" in kinds and not kinds & {"C", "CXX", "CUDA"}):
            chosen = "f2py"
        elif included:
            chosen = "pybind11" if "pybind11" in included else "nanobind"
        else:
            chosen = "capi"
    if "Cython" in kinds and chosen != "cython":
        problems.add(
            f"{where}.binding",
            f'"{chosen}" conflicts with the Cython (.pyx) source',
            'use binding = "cython"',
        )
    if chosen == "cython" and "Cython" not in kinds:
        problems.add(
            f"{where}.binding", '"cython" needs a .pyx source', "list the module's .pyx file in sources"
        )
    if "Signature" in kinds and chosen != "f2py":
        problems.add(
            f"{where}.binding",
            f'"{chosen}" conflicts with the f2py signature (.pyf) source',
            'use binding = "f2py"',
        )
    if chosen == "f2py" and not kinds & {"Fortran", "Signature"}:
        problems.add(
            f"{where}.binding", '"f2py" needs Fortran sources', "list the .f or .f90 files in sources"
        )
    if chosen in ("pybind11", "nanobind") and not kinds & {"CXX", "CUDA"}:
        problems.add(f"{where}.binding", f'"{chosen}" needs a C++ source', "list a .cpp file in sources")
    if chosen in ("pybind11", "nanobind") and included and chosen not in included:
        other = next(iter(included))
        problems.add(
            f"{where}.binding",
            f'"{chosen}" conflicts with the {other} headers the sources include',
            f'use binding = "{other}"',
        )
    return chosen


def _cython_cxx(pyx: Sequence[Path]) -> bool:
    for source in pyx:
        try:
            head = source.read_text(encoding="utf-8", errors="replace")[:_SCAN_BYTES]
        except OSError:
            continue
        if _CYTHON_CXX.search(head):
            return True
    return False


def _limited_api(
    stable: StableABI | None,
    requires_python: str | None,
    target: WheelTarget,
    table: ExtensionSettings,
    binding: Binding,
    where: str,
    problems: _Problems,
) -> str:
    wanted = stable is not None or table.py_limited_api
    if wanted and binding in ("pybind11", "f2py"):
        why = "the wheel is abi3 (wheel.py-api)" if stable is not None else "py-limited-api = true"
        problems.add(
            where,
            f"{binding} modules cannot use the limited API, but {why}",
            "build a version-specific wheel",
        )
        return ""
    if stable is not None:
        return stable.version
    if not table.py_limited_api:
        return ""
    major, minor = _floor_or_error(requires_python, where)
    _tag, possible = target_tag(target, native=True, py_api=f"cp{major}{minor}")
    return possible.version if possible is not None else ""


def load_extensions(
    root: Path,
    settings: Settings,
    *,
    requires_python: str | None,
    stable_abi: StableABI | None,
    target: WheelTarget,
) -> list[Extension]:
    """Every extension table of the project at ``root``, checked; ConfigError lists all problems.

    ``stable_abi`` is the wheel's (abi3 wheels), ``requires_python`` the
    project's and ``target`` what the wheel is for, for modules that ask for
    the limited API on their own.
    """
    problems = _Problems()
    extensions: list[Extension] = []
    for name, table in settings.extension.items():
        if not table.enabled:
            continue
        where = _where(name)
        if not all(part.isidentifier() for part in name.split(".")):
            problems.add(
                where, f'"{name}" is not a module name', 'name the table after the module, e.g. "pkg._core"'
            )
            continue
        if not table.sources:
            problems.add(
                f"{where}.sources", "missing", 'list the module\'s files, e.g. sources = ["src/pkg/_core.c"]'
            )
            continue
        sources = _expand(root, where, table.sources, problems, settings.sdist.follow_external_links)
        kinds: list[str] = []
        for source in sources:
            kind = SOURCE_KINDS.get(source.suffix.lower())
            if kind is None:
                shown = source.relative_to(root).as_posix() if root in source.parents else str(source)
                problems.add(
                    f"{where}.sources",
                    f'"{shown}" has an unknown suffix "{source.suffix}"',
                    f"sources are {_KNOWN_SUFFIXES} files, and headers",
                )
            kinds.append(kind or "")
        present = set(kinds)
        if len([kind for kind in kinds if kind == "Cython"]) > 1:
            problems.add(
                f"{where}.sources",
                "more than one .pyx source",
                "a Cython module is one .pyx file: make one table per module",
            )
        if len([kind for kind in kinds if kind == "Signature"]) > 1:
            problems.add(
                f"{where}.sources", "more than one .pyf source", "an f2py module has one signature file"
            )
        if present and "" not in present and not present & (_COMPILED | {"Cython", "Signature"}):
            problems.add(
                f"{where}.sources",
                "nothing to compile (only headers)",
                "list the .c, .cpp, .pyx, .f90 or .cu files",
            )
        code = [source for source, kind in zip(sources, kinds) if kind in ("C", "CXX", "CUDA", "Header")]
        binding = _binding(table, present, code, where, problems)
        pyx = [source for source, kind in zip(sources, kinds) if kind == "Cython"]
        auto_cxx = table.language == "auto" and ("CXX" in present or _cython_cxx(pyx))
        cxx = auto_cxx or table.language == "c++"
        limited = _limited_api(stable_abi, requires_python, target, table, binding, where, problems)
        directives = {**settings.cython.directives, **table.cython_directives}
        extensions.append(
            Extension(name, tuple(sources), tuple(kinds), binding, cxx, limited, table, directives)
        )
    problems.raise_any()
    return extensions


def include_requirement(entry: str) -> str:
    """The package an ``include-packages`` entry (``module.sub:function``) needs: its top-level module."""
    return entry.partition(":")[0].split(".", maxsplit=1)[0]


def _declared(build_requires: Sequence[str]) -> set[str]:
    names: set[str] = set()
    for text in build_requires:
        try:
            names.add(canonicalize_name(Requirement(str(text)).name))
        except InvalidRequirement:
            continue
    return names


def language_requirements(
    extensions: Sequence[Extension],
    build_requires: Sequence[str],
    helpers: frozenset[str] = frozenset(),
    read: list[Path] | None = None,
) -> list[str]:
    """Python packages the build needs for its languages and not already in ``build_requires``.

    ``helpers`` are those the project's CMake files need (see ``cmake.helpers.helpers_used``).
    The extension sources, and the directories their patterns were matched in,
    are appended to ``read`` when given.
    """
    reasons = dict.fromkeys(helpers, "the CMake files call ironwheel's helper for it")
    for extension in extensions:
        if read is not None:
            read += extension.sources
            read += dict.fromkeys(source.parent for source in extension.sources)
        if extension.binding == "cython":
            reasons.setdefault("cython", f"{extension.name} is written in Cython")
        if extension.binding == "f2py" or extension.settings.numpy:
            reasons.setdefault("numpy", f"{extension.name} uses NumPy")
        if extension.binding in ("pybind11", "nanobind"):
            reasons.setdefault(extension.binding, f"{extension.name} uses {extension.binding}")
        for entry in extension.settings.include_packages:
            reasons.setdefault(
                include_requirement(entry),
                f"{extension.name} compiles against its headers (include-packages)",
            )
    declared = _declared(build_requires)
    wanted: list[str] = []
    for name in sorted(reasons):
        if canonicalize_name(name) in declared:
            continue
        requirement = _REQUIREMENTS.get(name, name)
        log.info("requesting %s: %s", requirement, reasons[name])
        wanted.append(requirement)
    return wanted
