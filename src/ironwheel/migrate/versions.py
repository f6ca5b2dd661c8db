"""The version of the old project -> a static version or a dynamic version source.

A literal stays literal; a version read from a file (by a regular
expression, ``exec``, an import, ``attr:``) becomes
``[tool.ironwheel.metadata.version] file``; setuptools-scm, versioneer and
pdm's scm source become ``provider = "vcs"``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ironwheel.migrate import values as v
from ironwheel.migrate.report import Report

if TYPE_CHECKING:
    from ironwheel.migrate.metadata import MetadataResult

__all__ = ["convert_version"]

_DEFAULT_REGEX = re.compile(
    r"(?m)^\s*__version__\s*(?::\s*[\w.\[\]]+\s*)?=\s*(?P<quote>['\"])(?P<version>[^'\"]+)(?P=quote)"
)
_SCM = re.compile(r"^setuptools[_-]scm\b", re.IGNORECASE)


def _items(item: Any) -> list[Any]:
    return list(item) if isinstance(item, (list, tuple)) else []


def convert_version(
    root: Path,
    kwargs: Mapping[str, Any],
    pyproject: Mapping[str, Any],
    result: MetadataResult,
    report: Report,
    how: str,
) -> None:
    if _pdm_version(pyproject, result, report):
        return
    project = result.project
    version = kwargs.get("version")
    scm_arg = kwargs.get("use_scm_version")
    setup_requires = [str(r) for r in _items(kwargs.get("setup_requires")) if isinstance(r, str)]
    build_requires = [str(r) for r in pyproject.get("build-system", {}).get("requires", [])]
    scm_table = pyproject.get("tool", {}).get("setuptools_scm")
    uses_scm = (
        bool(scm_arg)
        or version is v.VCS_VERSION
        or (
            version is None
            and (any(_SCM.match(r) for r in [*setup_requires, *build_requires]) or scm_table is not None)
        )
    )
    if uses_scm:
        project.setdefault("dynamic", []).append("version")
        result.dynamic_sources["version"] = {"provider": "vcs"}
        if isinstance(scm_arg, Mapping) and scm_table is None:
            for key in (
                "write_to",
                "version_file",
                "write_to_template",
                "version_file_template",
                "version_scheme",
                "local_scheme",
                "fallback_version",
                "root",
                "tag_regex",
                "git_describe_command",
            ):
                if isinstance(scm_arg.get(key), str):
                    result.scm[key] = scm_arg[key]
        what = (
            "versioneer"
            if version is v.VCS_VERSION and (root / "versioneer.py").is_file()
            else "setuptools-scm"
        )
        report.converted(
            "version", f'from git tags ({what}) -> [tool.ironwheel.metadata.version] provider = "vcs"', how
        )
        return
    if isinstance(version, v.Matched):
        regex = version.pattern
        if "(?P<version>" not in regex and "(?P<value>" not in regex:
            regex = (
                regex.replace("(", "(?P<version>", 1)
                if "(" in regex and "(?" not in regex.split("(", 1)[1][:1]
                else regex
            )
        default = _DEFAULT_REGEX.search((root / version.path).read_text(encoding="utf-8", errors="replace"))
        source: dict[str, Any] = {"file": version.path}
        if default is None or default.group("version") != str(version):
            source["regex"] = regex
        _dynamic_version(result, source, report, f"read with a regular expression from {version.path}", how)
        return
    if isinstance(version, v.FromModule):
        source = {"file": version.path}
        text = (root / version.path).read_text(encoding="utf-8", errors="replace")
        default = _DEFAULT_REGEX.search(text)
        if default is None or default.group("version") != str(version):
            source["regex"] = (
                rf"(?m)^\s*{re.escape(version.name)}\s*(?::\s*\w+\s*)?=\s*['\"](?P<version>[^'\"]+)['\"]"
            )
            if version.path.endswith((".txt", "VERSION")) or (
                "." not in version.name and not version.name.isidentifier()
            ):
                source["regex"] = r"(?P<version>\S+)"
        _dynamic_version(result, source, report, f"{version.name} in {version.path}", how)
        return
    if isinstance(version, v.FileText):
        _dynamic_version(
            result,
            {"file": version.path, "regex": r"(?P<version>\S+)"},
            report,
            f"the text of {version.path}",
            how,
        )
        return
    if isinstance(version, str) and version:
        if how.startswith("executed"):
            for candidate in (
                sorted(root.glob("*/__init__.py"))
                + sorted(root.glob("src/*/__init__.py"))
                + sorted(root.glob("*/_version.py"))
                + sorted(root.glob("src/*/_version.py"))
            ):
                found = _DEFAULT_REGEX.search(candidate.read_text(encoding="utf-8", errors="replace"))
                if found and found.group("version") == version:
                    _dynamic_version(
                        result,
                        {"file": candidate.relative_to(root).as_posix()},
                        report,
                        f"found in {candidate.relative_to(root).as_posix()}",
                        how,
                    )
                    return
        project["version"] = str(version)
        report.converted("version", f"{version} (written statically)", how)
        return
    pkg_info = root / "PKG-INFO"
    reason = version.reason if isinstance(version, v.Unknown) else "not given"
    if pkg_info.is_file():
        match = re.search(
            r"^Version:\s*(\S+)", pkg_info.read_text(encoding="utf-8", errors="replace"), re.MULTILINE
        )
        if match:
            project["version"] = match.group(1)
            report.manual(
                "version",
                f"unknown ({reason}); PKG-INFO's {match.group(1)} was written",
                'choose a version source: [tool.ironwheel.metadata.version] file = ... or provider = "vcs"',
            )
            return
    report.manual(
        "version",
        f"unknown ({reason})",
        'set project.version, or [tool.ironwheel.metadata.version] file = "pkg/__init__.py" '
        'with "version" in project.dynamic',
    )
    project["version"] = "0.0.0"


def _pdm_version(pyproject: Mapping[str, Any], result: MetadataResult, report: Report) -> bool:
    """``[tool.pdm.version]``: scm -> provider "vcs", file -> a file source."""
    source = pyproject.get("tool", {}).get("pdm", {}).get("version")
    if not isinstance(source, Mapping):
        return False
    if source.get("source") == "scm":
        result.project.setdefault("dynamic", []).append("version")
        result.dynamic_sources["version"] = {"provider": "vcs"}
        if isinstance(source.get("write_to"), str):
            result.scm["version_file"] = source["write_to"]
            template = source.get("write_template")
            if isinstance(template, str):
                result.scm["version_file_template"] = template.replace("{}", "{version}")
        report.converted("version", 'pdm\'s scm source -> [tool.ironwheel.metadata.version] provider = "vcs"')
        return True
    if source.get("source") == "file" and isinstance(source.get("path"), str):
        _dynamic_version(
            result, {"file": source["path"]}, report, f"pdm's file source {source['path']}", "pyproject.toml"
        )
        return True
    report.manual(
        "version",
        f"pdm's version source {source.get('source')!r}",
        "choose a [tool.ironwheel.metadata.version] source",
    )
    return True


def _dynamic_version(
    result: MetadataResult, source: dict[str, Any], report: Report, what: str, how: str
) -> None:
    result.project.setdefault("dynamic", []).append("version")
    result.dynamic_sources["version"] = source
    report.converted("version", f'{what} -> [tool.ironwheel.metadata.version] file = "{source["file"]}"', how)
