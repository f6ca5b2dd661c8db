"""The core metadata a wheel build needs, rendered once and kept while its inputs last.

Validating ``[project]`` (pyproject-metadata, and the email and packaging
modules it uses) costs a build in a new process more than everything else
it does when nothing has to be compiled. What a wheel needs from it is
small: the name and version, ``METADATA``, ``entry_points.txt`` and the
license files. ``<build dir>/.ironwheel/metadata.json`` keeps those with
their inputs: the ``[project]`` table, the version source settings and the
stats of every file the metadata may read (readme, license files, the
files license globs match, the version file, ``PKG-INFO``). Any difference
renders them again, through pyproject-metadata.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.version import Version

from ironwheel import __version__

if TYPE_CHECKING:
    from collections.abc import Callable

    from ironwheel.metadata import Metadata
    from ironwheel.settings import Settings

    Reader = Callable[[], tuple[Metadata, list[str]]]

__all__ = ["DEFAULT_LICENSE_GLOBS", "Core", "load_core"]

log = logging.getLogger("ironwheel")

# PEP 639: what a tool may pick up when project.license-files is absent.
DEFAULT_LICENSE_GLOBS = ("LICEN[CS]E*", "COPYING*", "NOTICE*", "AUTHORS*")


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
    warnings: tuple[str, ...] = ()  # what reading the metadata warned about, said again on reuse


def _stat(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_size]


def _inputs(pyproject: Mapping[str, Any], root: Path, settings: Settings) -> str | None:
    """Everything the metadata depends on, as text; None when that cannot be told."""
    table = pyproject.get("project")
    if not isinstance(table, dict):
        return None
    named: list[str] = []
    for key in ("readme", "license"):
        value = table.get(key)
        if isinstance(value, str) and key == "readme":
            named.append(value)
        elif isinstance(value, dict) and isinstance(value.get("file"), str):
            named.append(value["file"])
    patterns = table.get("license-files", [])
    if not isinstance(patterns, list) or not all(isinstance(pattern, str) for pattern in patterns):
        return None
    version = settings.metadata.version
    named += [version.file] if version.file else []
    named.append("PKG-INFO")
    try:
        matched = sorted(
            {
                path.relative_to(root).as_posix()
                for pattern in (*DEFAULT_LICENSE_GLOBS, *patterns)
                for path in root.glob(pattern)
            }
        )
    except (ValueError, NotImplementedError, OSError):
        return None  # a pattern pyproject-metadata will report
    files = {name: _stat(root / name) for name in sorted({*named, *matched})}
    inputs = [__version__, table, [version.file, version.regex], files]
    return json.dumps(inputs, sort_keys=True, default=str)


def _render(pyproject: Mapping[str, Any], root: Path, settings: Settings, read: Reader | None) -> Core:
    from ironwheel.metadata import dist_info_name, read_metadata, render_entry_points, render_metadata

    metadata, said = read() if read is not None else read_metadata(pyproject, root, settings)
    assert metadata.version is not None, "load_metadata always resolves the version"
    return Core(
        name=metadata.name,
        version=metadata.version,
        description=metadata.description or "",
        dist_info_name=dist_info_name(metadata),
        metadata=render_metadata(metadata),
        entry_points=render_entry_points(metadata),
        license_files=tuple(path.as_posix() for path in metadata.license_files or ()),
        warnings=tuple(said),
    )


def _recall(record: Path, inputs: str) -> Core | None:
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        if data["inputs"] != inputs:
            return None
        core = data["core"]
        return Core(
            name=core["name"],
            version=Version(core["version"]),
            description=core["description"],
            dist_info_name=core["dist_info_name"],
            metadata=core["metadata"].encode("utf-8"),
            entry_points=core["entry_points"].encode("utf-8") if core["entry_points"] is not None else None,
            license_files=tuple(core["license_files"]),
            warnings=tuple(str(message) for message in core.get("warnings", ())),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _remember(record: Path, inputs: str, core: Core) -> None:
    data = {
        "inputs": inputs,
        "core": {
            "name": core.name,
            "version": str(core.version),
            "description": core.description,
            "dist_info_name": core.dist_info_name,
            "metadata": core.metadata.decode("utf-8"),
            "entry_points": core.entry_points.decode("utf-8") if core.entry_points is not None else None,
            "license_files": list(core.license_files),
            "warnings": list(core.warnings),
        },
    }
    temporary = record.with_name(f".{record.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, record)
    except (OSError, UnicodeDecodeError) as error:
        log.debug("cannot keep the metadata in %s: %s", record, error)
        temporary.unlink(missing_ok=True)


def load_core(
    pyproject: Mapping[str, Any],
    root: Path,
    settings: Settings,
    record: Path | None,
    read: Reader | None = None,
) -> Core:
    """The project's core metadata; from ``record`` when nothing it depends on changed.

    ``read`` reads the metadata (with its warnings) when the record cannot
    serve; the caller shows ``Core.warnings``.
    """
    inputs = _inputs(pyproject, root, settings) if record is not None else None
    if record is not None and inputs is not None:
        known = _recall(record, inputs)
        if known is not None:
            return known
    core = _render(pyproject, root, settings, read)
    if record is not None and inputs is not None:
        _remember(record, inputs, core)
    return core
