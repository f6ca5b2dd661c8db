"""The directories that hold the project's sources, which a build directory must stay out of.

A build directory is marked as one (``CACHEDIR.TAG``, a ``.gitignore`` of
``*``), and marked directories are left out of wheels and sdists: one that
is, holds or lies inside a package directory, an extension table's sources
or the CMake source directory would hide the project's own files. The
project root may hold the build directory (``build/{wheel_tag}``), but not
lie inside it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path, PurePosixPath
from typing import Protocol

from ironwheel.errors import ConfigError
from ironwheel.settings import Settings

__all__ = ["check_build_dir", "source_dirs", "warn_marked_sources"]

log = logging.getLogger("ironwheel")

_GLOB = frozenset("*?[")


class SourceTree(Protocol):
    """What is asked of the project (``ironwheel.project.Project`` is one)."""

    @property
    def root(self) -> Path: ...

    @property
    def name(self) -> str: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def source_dir(self) -> Path: ...


_MARK = "created by ironwheel"


def _show(project: SourceTree, path: Path) -> str:
    try:
        return path.relative_to(project.root).as_posix() or "."
    except ValueError:
        return str(path)


def source_dirs(project: SourceTree) -> list[tuple[str, Path]]:
    """(what it is, absolute directory) for every directory of sources below the project root."""
    from ironwheel.archive.layout import discover_packages

    found: list[tuple[str, Path]] = []
    settings = project.settings
    for package in discover_packages(
        project.root, project.name, settings.wheel.packages, where=settings.where("wheel.packages")
    ):
        if not package.is_module:
            found.append(("the package directory", package.source))
    for name, table in sorted(project.settings.extension.items()):
        for pattern in table.sources:
            parts = PurePosixPath(pattern).parts
            fixed = next((index for index, part in enumerate(parts) if _GLOB & set(part)), len(parts) - 1)
            directory = Path(os.path.abspath(project.root.joinpath(*parts[:fixed])))
            # One outside the project is refused with the table; it holds no build directory here.
            if project.root in directory.parents:
                found.append((f'the sources of [tool.ironwheel.extension."{name}"]', directory))
    if project.source_dir != project.root:
        found.append(("cmake.source-dir", project.source_dir))
    return list(dict.fromkeys(found))


def _relation(build: Path, directory: Path) -> str | None:
    if build == directory:
        return "is"
    if directory in build.parents:
        return "is inside"
    if build in directory.parents:
        return "contains"
    return None


def check_build_dir(project: SourceTree, path: Path, template: str, setting: str) -> None:
    """Refuse a build directory that is, holds or lies inside a directory of the project's sources.

    ``setting`` names where ``template`` comes from (``IRONWHEEL_BUILD_DIR``, ``-C build.dir``).
    """
    where = f'{setting}: "{template}"'
    hint = 'use a directory of its own, such as "build/{wheel_tag}" (the default)'
    for protected in (project.root, project.source_dir):
        if path == protected or path in protected.parents:
            raise ConfigError(f"{where} is the project directory or contains it", hint=hint)
    if project.root not in path.parents:
        return  # outside the project: no source directory can collide
    for what, directory in source_dirs(project):
        relation = _relation(path, directory)
        if relation is not None:
            raise ConfigError(
                f"{where} {relation} {what} {_show(project, directory)}, whose files it would hide",
                hint=hint,
            )


def _marked(directory: Path) -> bool:
    try:
        text = (directory / "CACHEDIR.TAG").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return _MARK in text


def warn_marked_sources(project: SourceTree) -> None:
    """Warn about a directory of sources that an earlier build marked as its build directory."""
    seen: set[Path] = set()
    for _what, directory in source_dirs(project):
        for candidate in (directory, *directory.parents):
            if candidate == project.root or project.root not in candidate.parents or candidate in seen:
                break
            seen.add(candidate)
            if _marked(candidate):
                log.warning(
                    "%(dir)s is marked as an ironwheel build directory (%(dir)s/CACHEDIR.TAG), so wheels and "
                    "sdists leave out its files: an earlier build had build.dir there; delete "
                    "%(dir)s/CACHEDIR.TAG, %(dir)s/.ironwheel and CMake's files in it (CMakeCache.txt, "
                    'CMakeFiles), and %(dir)s/.gitignore if it starts with "# Created by ironwheel."',
                    {"dir": _show(project, candidate)},
                )
