"""The core metadata a wheel build needs, rendered once and kept while its inputs last.

Validating ``[project]`` (pyproject-metadata, and the email and packaging
modules it uses) costs a build in a new process more than everything else
it does when nothing has to be compiled, and a version from version control
costs more still (vcs-versioning and its git commands, about 0.2 s). What a
wheel needs from it is small: the name and version, ``METADATA``,
``entry_points.txt``, the license files, the version files written into the
source tree and the files the sdist must carry. ``<build dir>/.ironwheel/
metadata.json`` keeps those with their inputs: the ``[project]`` table, the
metadata settings and the tables the providers read, the stats of every
file the metadata may read (readme, license files, the files license globs
match, the version file, requirements files and what they include,
``PKG-INFO``) and, for a version from git, the state of the checkout
(:func:`ironwheel.project.vcs.state_key`) and the variables the library reads. Any
difference renders them again, through pyproject-metadata.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.version import Version

from ironwheel._records import Record, file_stat
from ironwheel._version import __version__
from ironwheel.project.pyproject import DEFAULT_LICENSE_GLOBS, Pyproject

if TYPE_CHECKING:
    from ironwheel.settings import Settings

__all__ = ["Core", "input_files", "load_core"]

log = logging.getLogger("ironwheel")


@dataclasses.dataclass(frozen=True)
class Core:
    """What a wheel takes from the project's metadata."""

    name: str
    version: Version
    description: str
    dist_info_name: str  # name-version, as file names spell them
    metadata: bytes  # the METADATA file
    entry_points: bytes | None  # entry_points.txt, if any
    license_files: tuple[str, ...]  # POSIX paths relative to the project root
    read: tuple[str, ...] = ()  # project files the dynamic fields came from: the sdist carries them
    written: tuple[tuple[str, bytes], ...] = ()  # version files the version provider writes
    warnings: tuple[str, ...] = ()  # what reading the metadata warned about: the caller shows them


def _from_vcs(pyproject: Pyproject, root: Path, settings: Settings) -> bool | None:
    """Whether the version comes from git; None when the dynamic fields are wrong."""
    if not pyproject.project.get("dynamic"):
        return False
    from ironwheel.errors import ConfigError
    from ironwheel.project.dynamic import sources

    try:
        where = sources(pyproject, root, settings)
    except ConfigError:
        return None  # reported by the render
    return where.version == "vcs" and not where.from_sdist


def input_files(pyproject: Pyproject, root: Path, settings: Settings) -> list[str] | None:
    """The files the metadata may read, relative to ``root`` (those found while rendering apart:
    ``Core.read``); None when that cannot be told."""
    from_vcs = _from_vcs(pyproject, root, settings)
    named = [name for name in (pyproject.readme_file, pyproject.license_file) if name is not None]
    patterns = pyproject.license_files
    if patterns is None or from_vcs is None:
        return None
    metadata = settings.metadata
    named += [metadata.version.file] if metadata.version.file else []
    named += [*metadata.readme.file, *metadata.dependencies.file]
    named += [name for entry in metadata.optional_dependencies.values() for name in entry.file]
    named.append("PKG-INFO")
    named += [".git_archival.txt"] if from_vcs else []
    try:
        matched = {
            path.relative_to(root).as_posix()
            for pattern in (*DEFAULT_LICENSE_GLOBS, *patterns)
            for path in root.glob(pattern)
        }
    except (ValueError, NotImplementedError, OSError):
        return None  # a pattern pyproject-metadata will report
    return sorted({*named, *matched})


def _inputs(pyproject: Pyproject, root: Path, settings: Settings) -> str | None:
    """Everything the metadata depends on, as text; None when that cannot be told."""
    names = input_files(pyproject, root, settings)
    if names is None:
        return None
    metadata = settings.metadata
    state: str | None = None
    environment: list[tuple[str, str]] = []
    if _from_vcs(pyproject, root, settings):
        from ironwheel.project.vcs import environment_key, state_key

        state = state_key(root, pyproject.scm)
        if state is None:
            return None
        environment = environment_key(os.environ)
    files = {name: file_stat(root / name) for name in names}
    # What the providers read besides the settings: the setuptools-scm tables and
    # [tool.hatch.metadata.hooks.fancy-pypi-readme].
    tables = pyproject.provider_tables()
    inputs = [__version__, pyproject.project, dataclasses.asdict(metadata), tables, files, state, environment]
    return json.dumps(inputs, sort_keys=True, default=str)


def _render(pyproject: Pyproject, root: Path, settings: Settings) -> Core:
    from ironwheel.project.dynamic import resolve, sources
    from ironwheel.project.metadata import dist_info_name, read_metadata, render_entry_points, render_metadata

    resolved = resolve(pyproject, root, settings, sources(pyproject, root, settings))
    metadata, said = read_metadata(pyproject, root, settings, resolved)
    assert metadata.version is not None, "read_metadata always resolves the version"
    return Core(
        name=metadata.name,
        version=metadata.version,
        description=metadata.description or "",
        dist_info_name=dist_info_name(metadata),
        metadata=render_metadata(metadata),
        entry_points=render_entry_points(metadata),
        license_files=tuple(path.as_posix() for path in metadata.license_files or ()),
        read=resolved.read,
        written=resolved.written,
        warnings=tuple(said),
    )


def _read_stats(root: Path, names: tuple[str, ...]) -> dict[str, list[int] | None]:
    return {name: file_stat(root / name) for name in names}


def _recall(record: Record, inputs: str, root: Path) -> Core | None:
    def decode(data: Any) -> Core | None:
        core = data["core"]
        # Files found while rendering (a requirements file's -r includes, readme fragments).
        read = tuple(str(name) for name in core["read"])
        if data["read"] != _read_stats(root, read):
            return None
        return Core(
            name=core["name"],
            version=Version(core["version"]),
            description=core["description"],
            dist_info_name=core["dist_info_name"],
            metadata=core["metadata"].encode("utf-8"),
            entry_points=core["entry_points"].encode("utf-8") if core["entry_points"] is not None else None,
            license_files=tuple(core["license_files"]),
            read=read,
            written=tuple((path, text.encode("utf-8")) for path, text in core["written"]),
            warnings=tuple(str(message) for message in core["warnings"]),
        )

    return record.recall(inputs, decode)


def _remember(record: Record, inputs: str, core: Core, root: Path) -> None:
    try:
        value = {
            "read": _read_stats(root, core.read),
            "core": {
                "name": core.name,
                "version": str(core.version),
                "description": core.description,
                "dist_info_name": core.dist_info_name,
                "metadata": core.metadata.decode("utf-8"),
                "entry_points": core.entry_points.decode("utf-8") if core.entry_points is not None else None,
                "license_files": list(core.license_files),
                "read": list(core.read),
                "written": [[path, content.decode("utf-8")] for path, content in core.written],
                "warnings": list(core.warnings),
            },
        }
    except UnicodeDecodeError as error:
        log.debug("cannot keep the metadata in %s: %s", record, error)
        return
    record.keep(inputs, value)


def load_core(pyproject: Pyproject, root: Path, settings: Settings, record: Record | None) -> Core:
    """The project's core metadata; from ``record`` when nothing it depends on changed."""
    inputs = _inputs(pyproject, root, settings) if record is not None else None
    if record is not None and inputs is not None:
        known = _recall(record, inputs, root)
        if known is not None:
            return known
    core = _render(pyproject, root, settings)
    if record is not None and inputs is not None:
        _remember(record, inputs, core, root)
    return core
