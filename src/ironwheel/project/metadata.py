"""``[project]`` -> core metadata, through pyproject-metadata (PEP 621 and PEP 639).

The dynamic fields are filled in first (:mod:`ironwheel.project.dynamic`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyproject_metadata
from packaging.utils import canonicalize_name

from ironwheel.errors import ConfigError
from ironwheel.project.dynamic import Resolved, resolve, sources
from ironwheel.project.metacheck import check_metadata
from ironwheel.project.pyproject import DEFAULT_LICENSE_GLOBS, Pyproject
from ironwheel.settings import Settings

__all__ = [
    "Metadata",
    "dist_info_name",
    "draft_license_files",
    "read_metadata",
    "render_entry_points",
    "render_metadata",
]

Metadata = pyproject_metadata.StandardMetadata


_SPEC = "see https://packaging.python.org/en/latest/specifications/pyproject-toml/"


def _errors_of(error: BaseException) -> list[str]:
    children = getattr(error, "exceptions", None)
    if children:
        return [line for child in children for line in _errors_of(child)]
    return [str(error)]


def _unknown_keys(project: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(problem, hint) for each key the specification does not define: it forbids them."""
    from pyproject_metadata.constants import KNOWN_PROJECT_FIELDS

    from ironwheel.settings import closest

    found: list[tuple[str, str]] = []
    for key in sorted(set(project) - KNOWN_PROJECT_FIELDS, key=str):
        near = closest(str(key), sorted(KNOWN_PROJECT_FIELDS))
        found.append((f"project.{key}: unknown key", f"did you mean project.{near}?" if near else _SPEC))
    return found


def _refuse(problems: list[str], unknown: list[tuple[str, str]]) -> ConfigError:
    if len(unknown) == 1 and len(problems) == 1:
        return ConfigError(f"invalid [project] table: {unknown[0][0]}", hint=unknown[0][1])
    if len(problems) == 1:
        return ConfigError(f"invalid [project] table: {problems[0]}", hint=_SPEC)
    return ConfigError(f"{len(problems)} problems with the [project] table:", details=problems, hint=_SPEC)


def _from_pyproject(pyproject: Mapping[str, Any], project_dir: Path, said: list[str]) -> Metadata:
    """pyproject-metadata's reading of the raw tables: the one place they are handed on."""
    project = pyproject["project"]
    unknown = _unknown_keys(project) if isinstance(project, dict) else []
    problems = [problem if hint == _SPEC else f"{problem} ({hint})" for problem, hint in unknown]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # Unknown keys are reported with the others, with a suggestion.
            metadata = Metadata.from_pyproject(pyproject, project_dir, all_errors=True, allow_extra_keys=True)
        except Exception as error:
            raise _refuse(problems + _errors_of(error), unknown) from error
    if problems:
        raise _refuse(problems, unknown)
    said += [str(warning.message) for warning in caught]
    return metadata


def draft_license_files(project: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """``license-files = {paths = [...]}`` or ``{globs = [...]}``, PEP 639's draft form that older
    backends accept, as the final list; a ``license = {text = ...}`` beside it that is an SPDX
    expression becomes that expression, as the list form requires. The new table, and what was done."""
    files = project.get("license-files")
    if not isinstance(files, Mapping) or not set(files) <= {"paths", "globs"}:
        return dict(project), ""
    result = dict(project)
    result["license-files"] = [str(item) for key in ("paths", "globs") for item in files.get(key) or []]
    said = "project.license-files is a table (PEP 639's draft); read as a list of paths and globs"
    license_table = project.get("license")
    if isinstance(license_table, Mapping):
        text = license_table.get("text")
        try:
            from packaging.licenses import canonicalize_license_expression

            result["license"] = canonicalize_license_expression(str(text)) if isinstance(text, str) else None
        except ValueError:
            result["license"] = None
        if result["license"] is None:
            result["license"] = dict(license_table)
            del result["license-files"]
            said += "; they are left out: project.license is not an SPDX expression"
        else:
            # An expression replaces the license classifiers (PEP 639).
            classifiers = [
                str(c) for c in project.get("classifiers") or [] if not str(c).startswith("License ::")
            ]
            result["classifiers"] = classifiers
            said += f'; project.license {{text = ...}} read as "{result["license"]}"'
    return result, said


def read_metadata(
    pyproject: Pyproject,
    project_dir: Path,
    settings: Settings,
    resolved: Resolved | None = None,
) -> tuple[Metadata, list[str]]:
    """Read and check ``[project]`` with its dynamic fields filled in (see :mod:`ironwheel.project.dynamic`).

    The result renders valid metadata (see :mod:`ironwheel.project.metacheck`). The
    warnings come back for the caller to show, once however often it reads.
    """
    if resolved is None:
        resolved = resolve(pyproject, project_dir, settings, sources(pyproject, project_dir, settings))
    said: list[str] = []
    _check_named(project_dir, pyproject, settings)
    project, drafted = draft_license_files(resolved.project)
    if drafted:
        said.append(f"pyproject.toml: {drafted}")
    metadata = _from_pyproject({**pyproject.data, "project": project}, project_dir, said)
    if resolved.version is not None:
        metadata.version = resolved.version
    if not pyproject.declares("license-files") and not isinstance(
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
    said += check_metadata(metadata, project_dir)
    return metadata, said


def _check_named(project_dir: Path, pyproject: Pyproject, settings: Settings) -> None:
    """Before anything reads them: the readme and license file are the project's, and regular files."""
    from ironwheel.archive.files import check_file

    named = [("project.readme", pyproject.readme_file), ("project.license", pyproject.license_file)]
    for key, name in named:
        if name is not None:
            check_file(
                project_dir,
                project_dir / name,
                follow_external_links=settings.sdist.follow_external_links,
                where=key,
            )


def _check_inside(project_dir: Path, metadata: Metadata, settings: Settings) -> None:
    """The license files end up in the archives: none may come from outside."""
    from ironwheel.archive.files import check_file

    for path in metadata.license_files or ():
        check_file(
            project_dir,
            project_dir / path,
            follow_external_links=settings.sdist.follow_external_links,
            where="project.license-files",
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
