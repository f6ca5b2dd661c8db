"""``[project]`` -> core metadata, through pyproject-metadata (PEP 621 and PEP 639).

Only ``version`` may be dynamic. It comes from ``PKG-INFO`` when building from
an sdist (so the sdist freezes it), else from a regular expression over a file
(``[tool.ironwheel.metadata.version]``).
"""

from __future__ import annotations

import email.parser
import logging
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyproject_metadata
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from ironwheel.errors import ConfigError
from ironwheel.metacache import DEFAULT_LICENSE_GLOBS
from ironwheel.settings import Settings

__all__ = [
    "Metadata",
    "dist_info_name",
    "load_metadata",
    "render_entry_points",
    "render_metadata",
]

log = logging.getLogger("ironwheel")

Metadata = pyproject_metadata.StandardMetadata


def _errors_of(error: BaseException) -> list[str]:
    children = getattr(error, "exceptions", None)
    if children:
        return [line for child in children for line in _errors_of(child)]
    return [str(error)]


def _from_pyproject(pyproject: Mapping[str, Any], project_dir: Path) -> Metadata:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            metadata = Metadata.from_pyproject(pyproject, project_dir, all_errors=True)
        except Exception as error:
            problems = _errors_of(error)
            if len(problems) == 1:
                raise ConfigError(
                    f"invalid [project] table: {problems[0]}",
                    hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
                ) from error
            raise ConfigError(
                f"{len(problems)} problems with the [project] table:",
                details=problems,
                hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
            ) from error
    for warning in caught:
        log.warning("%s", warning.message)
    return metadata


def _version_from_pkg_info(path: Path) -> Version | None:
    headers = email.parser.BytesHeaderParser().parsebytes(path.read_bytes())
    text = headers.get("Version")
    if not text:
        return None
    try:
        return Version(text)
    except InvalidVersion:
        raise ConfigError(
            f'PKG-INFO: "{text}" is not a valid version',
            hint="this sdist's PKG-INFO is damaged; build the sdist again",
        ) from None


def _version_from_file(project_dir: Path, settings: Settings) -> Version:
    source = settings.metadata.version
    path = project_dir / source.file
    where = "tool.ironwheel.metadata.version.file"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(
            f'{where}: cannot read "{source.file}": {error.strerror}',
            hint="give the path of an existing file, relative to the project root",
        ) from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f'{where}: "{source.file}" is not UTF-8 (byte {error.start} cannot be decoded)',
            hint="save the file as UTF-8",
        ) from None
    match = re.search(source.regex, text, re.MULTILINE)
    if match is None:
        raise ConfigError(
            f'{where}: no version found in "{source.file}"',
            hint='write __version__ = "1.0" in that file, or set '
            "tool.ironwheel.metadata.version.regex to a pattern that matches it",
        )
    groups = match.groupdict()
    # A group named "version" (or "value", scikit-build-core's name), else the first group.
    found = (
        groups.get("version")
        or groups.get("value")
        or (match.group(1) if match.re.groups else match.group(0))
    )
    line = text.count("\n", 0, match.start()) + 1
    if not found:
        raise ConfigError(
            f"{source.file}:{line}: the version pattern matched, but its version group is empty",
            hint="put the version in a group named version: (?P<version>...)",
        )
    try:
        return Version(found)
    except InvalidVersion:
        raise ConfigError(
            f'{source.file}:{line}: "{found}" is not a valid version',
            hint="use a PEP 440 version such as 1.2.0",
        ) from None


def load_metadata(pyproject: Mapping[str, Any], project_dir: Path, settings: Settings) -> Metadata:
    """Read and check ``[project]``, filling in a dynamic version."""
    metadata = _from_pyproject(pyproject, project_dir)
    dynamic = [field for field in metadata.dynamic if field != "version"]
    if dynamic:
        names = ", ".join(f'"{field}"' for field in dynamic)
        raise ConfigError(
            f"project.dynamic lists {names}, which ironwheel cannot fill in",
            hint="write these fields statically in [project]; only version may be dynamic",
        )
    version_file = settings.metadata.version.file
    if "version" in metadata.dynamic:
        pkg_info = project_dir / "PKG-INFO"
        frozen = _version_from_pkg_info(pkg_info) if pkg_info.is_file() else None
        if frozen is not None:
            metadata.version = frozen
        elif version_file:
            metadata.version = _version_from_file(project_dir, settings)
        else:
            raise ConfigError(
                'project.dynamic lists "version" but no version source is configured',
                hint='add [tool.ironwheel.metadata.version] file = "src/<package>/__init__.py" '
                '(a file containing __version__ = "1.0")',
            )
    elif version_file:
        raise ConfigError(
            "tool.ironwheel.metadata.version.file is set but project.version is static",
            hint='remove project.version and add "version" to project.dynamic',
        )
    if "license-files" not in pyproject["project"] and not isinstance(
        metadata.license, pyproject_metadata.License
    ):
        found = sorted(
            {
                path.relative_to(project_dir)
                for pattern in DEFAULT_LICENSE_GLOBS
                for path in project_dir.glob(pattern)
                if path.is_file()
            }
        )
        if found:
            metadata.license_files = found
    _check_inside(project_dir, metadata, settings)
    return metadata


def _check_inside(project_dir: Path, metadata: Metadata, settings: Settings) -> None:
    """The readme, license and version files end up in the archives: none may come from outside."""
    from ironwheel.files import check_inside

    readme = metadata.readme.file if metadata.readme is not None else None
    read = [readme, *(metadata.license_files or ()), settings.metadata.version.file or None]
    for path in read:
        if path is not None:
            check_inside(
                project_dir,
                project_dir / path,
                follow_external_links=settings.sdist.follow_external_links,
            )


def dist_info_name(metadata: Metadata) -> str:
    """``name-version`` as wheel and sdist file names spell it."""
    name = canonicalize_name(metadata.name).replace("-", "_")
    return f"{name}-{metadata.version}"


def render_metadata(metadata: Metadata) -> bytes:
    """The METADATA / PKG-INFO file."""
    return bytes(metadata.as_rfc822())


def render_entry_points(metadata: Metadata) -> bytes | None:
    """``entry_points.txt``, or None when the project declares none."""
    groups: dict[str, Mapping[str, str]] = {}
    if metadata.scripts:
        groups["console_scripts"] = metadata.scripts
    if metadata.gui_scripts:
        groups["gui_scripts"] = metadata.gui_scripts
    for group in sorted(metadata.entrypoints):
        groups[group] = metadata.entrypoints[group]
    if not groups:
        return None
    lines: list[str] = []
    for group, entries in groups.items():
        lines.append(f"[{group}]")
        lines.extend(f"{name} = {entries[name]}" for name in sorted(entries))
        lines.append("")
    return "\n".join(lines).encode("utf-8")
