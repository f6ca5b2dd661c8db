"""Find cmake and ninja, or say which PyPI packages the frontend should install.

A program on PATH (or named by ``CMAKE_EXECUTABLE``) that satisfies the
project's requirement is always preferred: distro packagers want their own
tools, and it saves every isolated build a download. Every decision is
logged with its reason.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import shutil
import sysconfig
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

from ironwheel._run import capture
from ironwheel.errors import CommandError, ToolError

__all__ = [
    "NINJA_REQUIREMENT",
    "Program",
    "Versions",
    "build_requirements",
    "candidates",
    "cmake_minimum_from_lists",
    "cmake_requirement",
    "find_cmake",
    "find_ninja",
    "needs_ninja",
    "program_key",
]

log = logging.getLogger("ironwheel")

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

NINJA_REQUIREMENT = ">=1.10"
_VERSION = re.compile(r"(\d+(?:\.\d+)+(?:-?rc\d+)?)")
_MINIMUM_REQUIRED = re.compile(
    r"^\s*cmake_minimum_required\s*\(\s*VERSION\s+(\d+(?:\.\d+)*)", re.IGNORECASE | re.MULTILINE
)


@dataclasses.dataclass(frozen=True)
class Program:
    """A usable build tool."""

    name: str
    path: Path
    version: Version
    origin: str

    def describe(self) -> str:
        return f"{self.name} {self.version} at {self.path} ({self.origin})"


def program_key(path: str | os.PathLike[str]) -> str | None:
    """What tells one program file from another at the same path: path, size, modification time, inode.

    A program moved into place (as package managers install) has a new
    inode, one rewritten in place a new modification time. Not the
    status-change time: hard links to a program (builds keep such copies of
    tools) change it, and the version with it would be asked again.
    """
    try:
        info = os.stat(path)
    except OSError:
        return None
    return f"{os.fspath(path)}|{info.st_size}|{info.st_mtime_ns}|{info.st_ino}"


class Versions:
    """Program versions, each asked once (``--version``) and known by :func:`program_key`.

    ``known`` is what earlier builds learnt (key -> version), kept by
    ``toolcache``; a replaced binary has another key, and is asked again.
    """

    def __init__(self, known: Mapping[str, str] | None = None) -> None:
        self.known: dict[str, str] = dict(known or {})
        self._asked: set[str] = set()  # the keys whose program this process asked

    def of(self, path: Path, wanted: Callable[[Version], bool] | None = None) -> Version | None:
        """The version of the program at ``path``, or None when it does not run as one.

        A remembered version that ``wanted`` refuses is asked of the program again
        before it is believed: a wrong record would refuse a good program for ever.
        """
        key = program_key(path)
        if key is None:
            return None
        if key in self.known:
            try:
                version = Version(self.known[key])
            except InvalidVersion:
                version = None
            if version is not None and (wanted is None or wanted(version) or key in self._asked):
                return version
            del self.known[key]  # a damaged or refused record: ask the program
        try:
            output = capture([path, "--version"], timeout=30)
        except (CommandError, ToolError):
            return None
        match = _VERSION.search(output)
        if not match:
            return None
        try:
            version = Version(match.group(1))
        except InvalidVersion:
            return None
        self.known[key] = str(version)
        self._asked.add(key)
        return version


def candidates(names: tuple[str, ...], environ: Mapping[str, str]) -> Iterator[tuple[Path, str]]:
    """Programs named ``names`` on PATH, then in this Python environment, each once."""
    seen: set[Path] = set()
    search = environ.get("PATH", os.defpath)
    scripts = sysconfig.get_path("scripts")
    for directory, origin in [(entry, "on PATH") for entry in search.split(os.pathsep) if entry] + [
        (scripts, "in this Python environment")
    ]:
        for name in names:
            found = shutil.which(name, path=directory)
            if found is None:
                continue
            path = Path(found)
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                yield path, origin


def cmake_minimum_from_lists(source_dir: Path) -> Version | None:
    """The version in the top-level ``cmake_minimum_required(VERSION x)``."""
    try:
        text = (source_dir / "CMakeLists.txt").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    text = re.sub(r"#[^\n]*", "", text)
    match = _MINIMUM_REQUIRED.search(text)
    return Version(match.group(1)) if match else None


def _satisfies(spec: str, version: Version) -> bool:
    from packaging.specifiers import SpecifierSet

    return SpecifierSet(spec).contains(version, prereleases=True)


def cmake_requirement(configured: str, source_dir: Path) -> SpecifierSet:
    """``cmake.version`` combined with the project's ``cmake_minimum_required``."""
    # Imported here: a build whose tools toolcache knows needs no specifiers at all.
    from packaging.specifiers import SpecifierSet

    spec = SpecifierSet(configured)
    minimum = cmake_minimum_from_lists(source_dir)
    if minimum is None:
        return spec
    bounds: list[Version] = []
    for item in spec:
        if item.operator in (">=", ">", "~=", "=="):
            try:
                bounds.append(Version(item.version))
            except InvalidVersion:
                continue
    if not any(bound >= minimum for bound in bounds):
        spec &= SpecifierSet(f">={minimum}")
    return tightest(spec)


def tightest(spec: SpecifierSet) -> SpecifierSet:
    """``spec`` without the ``>=`` and ``<=`` bounds a tighter one of the same kind implies.

    ``>=3.18,>=3.99`` is ``>=3.99``: the same versions, said as a person would.
    """
    from packaging.specifiers import SpecifierSet

    best: dict[str, tuple[Version, str]] = {}
    kept: list[str] = []
    for item in spec:
        try:
            version = Version(item.version) if item.operator in (">=", "<=") else None
        except InvalidVersion:
            version = None
        if version is None:
            kept.append(str(item))
            continue
        previous = best.get(item.operator)
        tighter = previous is None or (
            version > previous[0] if item.operator == ">=" else version < previous[0]
        )
        if tighter:
            best[item.operator] = (version, str(item))
    return SpecifierSet(",".join([*kept, *(text for _, text in best.values())]))


def find_cmake(
    spec: SpecifierSet, environ: Mapping[str, str] | None = None, versions: Versions | None = None
) -> tuple[Program | None, str]:
    """The first cmake satisfying ``spec``, or None and why none was taken."""
    environ = os.environ if environ is None else environ
    versions = Versions() if versions is None else versions
    explicit = environ.get("CMAKE_EXECUTABLE")
    if explicit:
        path = Path(explicit)
        version = versions.of(path, lambda found: spec.contains(found, prereleases=True))
        if version is None:
            raise ToolError(
                f"CMAKE_EXECUTABLE={explicit} does not run as cmake",
                hint="point CMAKE_EXECUTABLE at a working cmake, or unset it",
            )
        if not spec.contains(version, prereleases=True):
            raise ToolError(
                f"CMAKE_EXECUTABLE={explicit} is cmake {version}, but the project needs cmake{spec}",
                hint=f"point CMAKE_EXECUTABLE at cmake{spec}, or unset it to use one from PyPI",
            )
        return Program("cmake", path, version, "CMAKE_EXECUTABLE"), ""
    rejected: list[str] = []
    for path, origin in candidates(("cmake", "cmake3"), environ):
        version = versions.of(path, lambda found: spec.contains(found, prereleases=True))
        if version is None:
            rejected.append(f"{path} does not run")
        elif spec.contains(version, prereleases=True):
            return Program("cmake", path, version, origin), ""
        else:
            rejected.append(f"{path} is {version}")
    return None, "; ".join(rejected) or "no cmake on PATH"


def needs_ninja(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the build uses the Ninja generator (the default)."""
    environ = os.environ if environ is None else environ
    generator = environ.get("CMAKE_GENERATOR", "")
    return not generator or generator.startswith("Ninja")


def _usable_ninja(version: Version) -> bool:
    return _satisfies(NINJA_REQUIREMENT, version)


def find_ninja(
    environ: Mapping[str, str] | None = None, versions: Versions | None = None
) -> tuple[Program | None, str]:
    """A ninja (or samu) that CMake's Ninja generator can drive."""
    environ = os.environ if environ is None else environ
    versions = Versions() if versions is None else versions
    rejected: list[str] = []
    for path, origin in candidates(("ninja", "ninja-build", "samu"), environ):
        version = versions.of(path, None if path.name.startswith("samu") else _usable_ninja)
        if version is None:
            rejected.append(f"{path} does not run")
        elif path.name.startswith("samu") or _satisfies(NINJA_REQUIREMENT, version):
            return Program("ninja", path, version, origin), ""
        else:
            rejected.append(f"{path} is {version}")
    return None, "; ".join(rejected) or "no ninja on PATH"


def build_requirements(
    spec: SpecifierSet, environ: Mapping[str, str] | None = None, versions: Versions | None = None
) -> list[str]:
    """The PyPI packages a frontend must install for cmake and ninja (often none)."""
    environ = os.environ if environ is None else environ
    versions = Versions() if versions is None else versions
    requirements: list[str] = []
    cmake, why = find_cmake(spec, environ, versions)
    if cmake is None:
        log.info("requesting cmake%s from PyPI: %s", spec, why)
        requirements.append(f"cmake{spec}")
    else:
        log.info("using %s: satisfies cmake%s", cmake.describe(), spec)
    if needs_ninja(environ):
        ninja, why = find_ninja(environ, versions)
        if ninja is None:
            log.info("requesting ninja%s from PyPI: %s", NINJA_REQUIREMENT, why)
            requirements.append(f"ninja{NINJA_REQUIREMENT}")
        else:
            log.info("using %s", ninja.describe())
    return requirements
