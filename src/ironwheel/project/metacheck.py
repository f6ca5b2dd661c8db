"""Core metadata checked before anything writes it.

pyproject-metadata reads ``[project]``, but some values it accepts (a
multi-line description, an extra whose name is not normalisable, an unknown
license identifier) make a METADATA file that installers or PyPI reject. So
the rendered file goes through ``packaging.metadata``'s validation, the
license expression through ``packaging.licenses``, and the entry points
through the entry points specification; every failure is a ConfigError
naming the ``[project]`` field. What only PyPI refuses (a local version, a
direct URL dependency, an unknown trove classifier) is a warning.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Mapping
from pathlib import Path

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from packaging.metadata import ExceptionGroup, InvalidMetadata, Metadata, parse_email
from packaging.requirements import Requirement

from ironwheel.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pyproject_metadata import StandardMetadata

__all__ = ["check_metadata", "entry_point_problems", "pypi_refusals", "rst_problem"]

_HINT = "see https://packaging.python.org/en/latest/specifications/pyproject-toml/"

# Core metadata fields (packaging's raw names) and the [project] keys they come from.
_FIELDS = {
    "name": "project.name",
    "version": "project.version",
    "summary": "project.description",
    "description": "project.readme",
    "description_content_type": "project.readme",
    "keywords": "project.keywords",
    "author": "project.authors",
    "author_email": "project.authors",
    "maintainer": "project.maintainers",
    "maintainer_email": "project.maintainers",
    "license": "project.license",
    "license_expression": "project.license",
    "license_files": "project.license-files",
    "classifiers": "project.classifiers",
    "requires_dist": "project.dependencies",
    "requires_python": "project.requires-python",
    "project_urls": "project.urls",
    "provides_extra": "project.optional-dependencies",
    "dynamic": "project.dynamic",
    "import_names": "project.import-names",
    "import_namespaces": "project.import-namespaces",
}

_NAME = re.compile(r"^[\w.-]+$")
# The entry points specification's pattern; each dotted part must also be an identifier.
_REFERENCE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")
_SCRIPT_GROUPS = {"console_scripts": "project.scripts", "gui_scripts": "project.gui-scripts"}


def _key(group: str) -> str:
    return _SCRIPT_GROUPS.get(group, f'project.entry-points."{group}"')


def entry_point_problems(groups: Mapping[str, Mapping[str, str]]) -> list[str]:
    """What the entry points specification refuses in ``group -> name -> reference``."""
    problems: list[str] = []
    for group, entries in groups.items():
        key = _key(group)
        for name, reference in entries.items():
            if not _NAME.match(name):
                what = 'letters, digits, "_", "." and "-" only'
                problems.append(f'{key}: "{name}" is not a valid entry point name ({what})')
                continue
            match = _REFERENCE.match(reference)
            dotted = [match.group("module"), match.group("attr") or "x"] if match else []
            if match is None or not all(part.isidentifier() for text in dotted for part in text.split(".")):
                what = "module.path or module.path:attr"
                problems.append(f'{key}.{name}: "{reference}" is not an object reference ({what})')
            elif group in _SCRIPT_GROUPS and match.group("attr") is None:
                problems.append(
                    f'{key}.{name}: "{reference}" names no function to call (module.path:function)'
                )
    return problems


def _field_problems(text: bytes) -> list[str]:
    raw, unparsed = parse_email(text)
    problems = [f"METADATA field {name} could not be parsed" for name in sorted(unparsed)]
    try:
        Metadata.from_raw(raw, validate=True)
    except (ExceptionGroup, InvalidMetadata) as error:
        for problem in getattr(error, "exceptions", [error]):
            field = str(getattr(problem, "field", "")).lower().replace("-", "_")
            problems.append(f"{_FIELDS.get(field, 'project')}: {problem}")
    return problems


def pypi_refusals(metadata: StandardMetadata, root: Path | None = None) -> list[str]:
    """What PyPI refuses to upload although installers accept it; files named relative to ``root``."""
    found: list[str] = []
    version = metadata.version
    if version is not None and version.local is not None:
        found.append(
            f'project.version: "{version}" has a local version label (+{version.local}): '
            "PyPI will refuse the upload"
        )
    requirements: list[tuple[str, Requirement]] = [
        ("project.dependencies", item) for item in metadata.dependencies
    ]
    for extra, items in sorted(metadata.optional_dependencies.items()):
        requirements += [(f'project.optional-dependencies."{extra}"', item) for item in items]
    for key, requirement in requirements:
        if requirement.url:
            found.append(
                f"{key}: {requirement.name} is required from a direct URL ({requirement.url}): "
                "PyPI will refuse the upload"
            )
    if metadata.classifiers and importlib.util.find_spec("trove_classifiers") is not None:
        from trove_classifiers import classifiers as known

        for classifier in metadata.classifiers:
            if classifier not in known and not classifier.startswith("Private ::"):
                found.append(
                    f'project.classifiers: "{classifier}" is not a known trove classifier: '
                    "PyPI will refuse the upload"
                )
    readme = metadata.readme
    if readme is not None and (readme.content_type or "").split(";")[0].strip() == "text/x-rst":
        shown = "project.readme"
        if readme.file is not None:
            file = readme.file if root is None else Path(os.path.relpath(root / readme.file, root))
            shown = file.as_posix()
        problem = rst_problem(readme.text, shown)
        if problem is not None:
            found.append(problem)
    return found


_RST_PROBLEM = re.compile(r"^<string>:(?P<line>\d+): \(\w+/\d\) (?P<what>.*)$", re.MULTILINE)


def rst_problem(text: str, shown: str) -> str | None:
    """Why ``text`` would not render on PyPI, as ``twine check`` says, or None.

    Only where readme_renderer (PyPI's own renderer, which twine uses) is
    installed: it is no dependency of the backend.
    """
    if importlib.util.find_spec("readme_renderer") is None:
        return None
    import io

    from readme_renderer.rst import render

    stream = io.StringIO()
    try:
        rendered = render(text, stream=stream)
    except Exception:  # noqa: BLE001 - another library's failure must not fail a build that only warns
        return None
    if rendered is not None:
        return None
    found = _RST_PROBLEM.search(stream.getvalue())
    where, what = (f"{shown}:{found.group('line')}", found.group("what")) if found else (shown, "")
    reason = f" ({what.rstrip('.')})" if what else ""
    return f"{where}: the readme does not render as reStructuredText{reason}: PyPI will refuse the upload"


def check_metadata(metadata: StandardMetadata, root: Path | None = None) -> list[str]:
    """Canonicalise the license expression, refuse what makes invalid metadata; what PyPI would refuse."""
    problems: list[str] = []
    if isinstance(metadata.license, str):
        try:
            metadata.license = canonicalize_license_expression(metadata.license)
        except InvalidLicenseExpression as error:
            problems.append(f"project.license: {error}")
    # The specification reserves these two groups for [project.scripts] and [project.gui-scripts].
    reserved = [group for group in _SCRIPT_GROUPS if group in metadata.entrypoints]
    problems += [
        f"project.entry-points.{group}: not allowed; write its entries in [{_SCRIPT_GROUPS[group]}]"
        for group in reserved
    ]
    scripts = {"console_scripts": metadata.scripts, "gui_scripts": metadata.gui_scripts}
    groups = {group: entries for group, entries in metadata.entrypoints.items() if group not in reserved}
    problems += entry_point_problems({**scripts, **groups})
    for problem in _field_problems(bytes(metadata.as_rfc822())):
        if not (
            problem.startswith("project.license:") and problems and problems[0].startswith("project.license:")
        ):
            problems.append(problem)  # an invalid license is reported once, by packaging.licenses
    if len(problems) == 1 and reserved:
        table = _SCRIPT_GROUPS[reserved[0]]
        raise ConfigError(
            f"invalid [project] table: [project.entry-points.{reserved[0]}] is not allowed",
            hint=f"move its entries to [{table}]; the specification reserves {reserved[0]} for that table",
        )
    if len(problems) == 1:
        raise ConfigError(f"invalid [project] table: {problems[0]}", hint=_HINT)
    if problems:
        raise ConfigError(f"{len(problems)} problems with the [project] table:", details=problems, hint=_HINT)
    return pypi_refusals(metadata, root)
