"""setup() metadata keywords -> ``[project]`` (PEP 621, PEP 639) and the dynamic metadata sources."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ironwheel.migrate import values as v
from ironwheel.migrate.licenses import LICENSE_CLASSIFIER, spdx_expression
from ironwheel.migrate.report import Report
from ironwheel.migrate.versions import convert_version
from ironwheel.migrate.world import World, marker_for
from ironwheel.project.pyproject import DEFAULT_LICENSE_GLOBS

__all__ = ["MetadataResult", "convert_metadata", "requirement_lines"]

_CONTENT_TYPES = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".rst": "text/x-rst",
    ".txt": "text/plain",
}
_DROPPED = {
    "zip_safe": "zip_safe: wheels are always installed unzipped",
    "platforms": "platforms: the wheel's tag says where it runs",
    "test_suite": "test_suite: run the tests with pytest",
    "tests_require": "tests_require: list test requirements in an extra or a requirements file",
    "dependency_links": "dependency_links: no longer supported by pip",
    "namespace_packages": "namespace_packages: use PEP 420 namespace packages (no __init__.py)",
    "eager_resources": "eager_resources: not supported by wheels",
    "provides": "provides: not used by installers",
    "obsoletes": "obsoletes: not used by installers",
    "requires": "requires: use install_requires",
    "use_2to3": "use_2to3: Python 2 is gone",
}


@dataclasses.dataclass
class MetadataResult:
    root: Path
    project: dict[str, Any]
    dynamic_sources: dict[str, Any]  # [tool.ironwheel.metadata] keys
    scm: dict[str, Any]  # [tool.setuptools_scm] keys to write (when the table is new)
    build_requires: list[str]


def requirement_lines(text: str) -> list[str]:
    """The requirements of a requirements file (no comments, options or blank lines)."""
    lines = []
    for raw in text.splitlines():
        line = raw.split(" #")[0].strip() if not raw.strip().startswith("#") else ""
        if line and not line.startswith("-"):
            lines.append(line)
    return lines


def _files_of(items: Sequence[Any]) -> list[str] | None:
    """The requirement files the items came from, when every line of them is there."""
    if not items or not all(isinstance(item, v.FileLine) for item in items):
        return None
    paths = list(dict.fromkeys(item.path for item in items))
    return paths


def _items(item: Any) -> list[Any]:
    """A list keyword's items; an unknown or missing one has none."""
    if isinstance(item, (list, tuple)):
        return list(item)
    return []


def _content_type(path: str, given: Any) -> str:
    if isinstance(given, str) and given:
        return given
    for suffix, kind in _CONTENT_TYPES.items():
        if path.lower().endswith(suffix):
            return kind
    # PyPI renders a description without a content type as reStructuredText.
    return "text/x-rst" if not path or "." not in path.rsplit("/", 1)[-1] else "text/plain"


def _readme(root: Path, text: Any, content_type: Any, result: MetadataResult, report: Report) -> None:
    project = result.project
    if isinstance(text, v.FileText):
        kind = _content_type(text.path, content_type)
        # A bare path only where the suffix tells the type: a "README" needs it spelled out.
        known = any(text.path.lower().endswith(suffix) for suffix in _CONTENT_TYPES)
        project["readme"] = (
            text.path
            if known and _content_type(text.path, None) == kind and kind != "text/plain"
            else {"file": text.path, "content-type": kind}
        )
        return
    if isinstance(text, v.Composed):
        files = [part.path for part in text.parts if isinstance(part, v.FileText)]
        between = [part for part in text.parts if not isinstance(part, v.FileText)]
        if files:
            result.dynamic_sources["readme"] = {
                "file": files,
                "content-type": _content_type(files[0], content_type),
            }
            project.setdefault("dynamic", []).append("readme")
            if any(part.strip() for part in between):
                report.manual(
                    "readme",
                    "the long description puts text between the files",
                    "move that text into one of the files",
                )
            return
    if isinstance(text, str) and text.strip():
        for candidate in sorted(root.glob("README*")):
            try:
                if candidate.read_text(encoding="utf-8", errors="replace").strip() == text.strip():
                    _readme(root, v.FileText(text, candidate.name), content_type, result, report)
                    return
            except OSError:
                continue
        project["readme"] = {"text": str(text), "content-type": _content_type("", content_type)}
        return
    if isinstance(text, v.Unknown):
        report.manual(
            "readme", f"the long description is unknown ({text.reason})", 'set project.readme = "README.md"'
        )


_NAME_EMAIL = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>]+)>\s*$")


def _people(names: Any, emails: Any) -> list[dict[str, str]]:
    """authors/maintainers entries; "Name <email>" in a name field is split as PEP 621 wants it."""
    if isinstance(names, str) and "<" in names:
        people = []
        for part in names.split(","):
            match = _NAME_EMAIL.match(part)
            if match:
                people.append({"name": match.group("name"), "email": match.group("email")})
            elif part.strip():
                people.append({"name": part.strip()})
        known = {person.get("email") for person in people}
        extra = [e.strip() for e in str(emails or "").split(",") if e.strip() and e.strip() not in known]
        return people + [{"email": e} for e in extra]
    return _plain_people(names, emails)


def _plain_people(names: Any, emails: Any) -> list[dict[str, str]]:
    name_list = [n.strip() for n in str(names).split(",") if n.strip()] if isinstance(names, str) else []
    email_list = [e.strip() for e in str(emails).split(",") if e.strip()] if isinstance(emails, str) else []
    if name_list and len(name_list) == len(email_list):
        return [{"name": n, "email": e} for n, e in zip(name_list, email_list)]
    people: list[dict[str, str]] = []
    if isinstance(names, str) and names.strip():
        people.append({"name": names.strip()})
    people += [{"email": e} for e in email_list]
    if len(people) == 2 and "email" not in people[0] and len(email_list) == 1:
        people = [{"name": people[0]["name"], "email": email_list[0]}]
    return people


def _requirements(items: Any) -> list[str]:
    """Requirement strings; like setuptools, nested lists and multi-line strings are flattened."""
    if isinstance(items, str):
        return requirement_lines(items)
    return [line for item in _items(items) for line in _requirements(item)]


def _with_marker(requirement: str, marker: str) -> str:
    if not marker:
        return requirement
    base, _, existing = requirement.partition(";")
    if existing.strip():
        return f"{base.strip()}; ({existing.strip()}) and ({marker})"
    return f"{base.strip()}; {marker}"


def _per_world_list(values: Mapping[World, list[str]], universe: Sequence[World]) -> list[str]:
    order: list[str] = []
    for items in values.values():
        order += [item for item in items if item not in order]
    return [
        _with_marker(item, marker_for([w for w, items in values.items() if item in items], universe))
        for item in order
    ]


def _entry_points(raw: Any, project: dict[str, Any], report: Report) -> None:
    groups: dict[str, dict[str, str]] = {}
    if isinstance(raw, str):
        group = ""
        for raw_line in raw.splitlines():
            line = raw_line.strip()
            if line.startswith("[") and line.endswith("]"):
                group = line[1:-1].strip()
            elif "=" in line and group:
                name, _, target = line.partition("=")
                groups.setdefault(group, {})[name.strip()] = target.strip()
    elif isinstance(raw, Mapping):
        for group, entries in raw.items():
            lines = entries.splitlines() if isinstance(entries, str) else list(entries or [])
            for line in lines:
                if "=" in str(line):
                    name, _, target = str(line).partition("=")
                    groups.setdefault(str(group), {})[name.strip()] = target.strip()
    else:
        report.manual(
            "entry_points",
            f"unknown ({getattr(raw, 'reason', raw)})",
            "write [project.scripts] and [project.entry-points] by hand",
        )
        return
    for group, entries in groups.items():
        if group == "console_scripts":
            project["scripts"] = entries
        elif group == "gui_scripts":
            project["gui-scripts"] = entries
        else:
            project.setdefault("entry-points", {})[group] = entries


def _dependencies(
    kwargs_by_world: Mapping[World, Mapping[str, Any]],
    universe: Sequence[World],
    result: MetadataResult,
    report: Report,
    how: Mapping[str, str],
) -> None:
    project = result.project
    base = kwargs_by_world[universe[0]]
    raw = base.get("install_requires")
    if isinstance(raw, v.Unknown):
        report.manual("dependencies", f"unknown ({raw.reason})", "write project.dependencies")
    elif raw:
        files = _files_of(raw) if not isinstance(raw, str) else None
        same = all(kwargs_by_world[w].get("install_requires") == raw for w in universe)
        if files and same and isinstance(raw, list) and _file_lines(result.root, files, raw):
            result.dynamic_sources["dependencies"] = {"file": files}
            project.setdefault("dynamic", []).append("dependencies")
            report.converted(
                "dependencies",
                f"read from {', '.join(files)} -> [tool.ironwheel.metadata.dependencies]",
                how.get("install_requires", ""),
            )
        else:
            per_world = {w: _requirements(kwargs_by_world[w].get("install_requires")) for w in universe}
            project["dependencies"] = _per_world_list(per_world, universe)
    extras = base.get("extras_require")
    if isinstance(extras, v.Unknown):
        report.manual(
            "optional-dependencies", f"unknown ({extras.reason})", "write project.optional-dependencies"
        )
    elif isinstance(extras, Mapping) and extras:
        optional: dict[str, list[str]] = {}
        for key, items in extras.items():
            name, _, marker = str(key).partition(":")
            name = re.sub(r"[-_.]+", "-", name.strip()).lower()
            files = _files_of(items) if not isinstance(items, str) else None
            if isinstance(items, v.FileText) or files:
                paths = [items.path] if isinstance(items, v.FileText) else files or []
                result.dynamic_sources.setdefault("optional-dependencies", {})[name] = {"file": paths}
                if "optional-dependencies" not in project.get("dynamic", []):
                    project.setdefault("dynamic", []).append("optional-dependencies")
                continue
            optional.setdefault(name, []).extend(
                _with_marker(r, marker.strip()) for r in _requirements(items)
            )
        if optional:
            project["optional-dependencies"] = optional


def _file_lines(root: Path, files: Sequence[str], items: Sequence[Any]) -> bool:
    """Whether the items are exactly the requirements of the files, in order."""
    wanted: list[str] = []
    for path in files:
        try:
            wanted += requirement_lines((root / path).read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return False
    return [str(item).strip() for item in items] == wanted


def convert_metadata(
    root: Path,
    kwargs_by_world: Mapping[World, Mapping[str, Any]],
    universe: Sequence[World],
    pyproject: Mapping[str, Any],
    how: Mapping[str, str],
    report: Report,
) -> MetadataResult:
    """The new ``[project]`` table (existing static fields are kept as they are)."""
    kwargs = kwargs_by_world[universe[0]]
    old = dict(pyproject.get("project") or {})
    result = MetadataResult(root, {}, {}, {}, [])
    project = result.project
    name = kwargs.get("name")
    if isinstance(name, str) and name:
        project["name"] = name
    if "version" in old and "version" not in old.get("dynamic", []):
        pass  # [project] states it
    else:
        convert_version(root, kwargs, pyproject, result, report, how.get("version", ""))
    for key, target in (("description", "description"), ("python_requires", "requires-python")):
        item = kwargs.get(key)
        if isinstance(item, str) and item.strip():
            project[target] = (
                " ".join(item.split()) if key == "description" else _python_specifier(item, report)
            )
    _readme(root, kwargs.get("long_description"), kwargs.get("long_description_content_type"), result, report)
    authors = _people(kwargs.get("author"), kwargs.get("author_email"))
    if authors:
        project["authors"] = authors
    maintainers = _people(kwargs.get("maintainer"), kwargs.get("maintainer_email"))
    if maintainers:
        project["maintainers"] = maintainers
    keywords = kwargs.get("keywords")
    if isinstance(keywords, str):
        keywords = [
            k.strip() for k in (keywords.split(",") if "," in keywords else keywords.split()) if k.strip()
        ]
    if isinstance(keywords, (list, tuple)) and keywords:
        project["keywords"] = [str(k) for k in keywords]
    classifiers = [str(c) for c in _items(kwargs.get("classifiers")) if isinstance(c, str)]
    if isinstance(kwargs.get("classifiers"), v.FileText):
        classifiers = requirement_lines(kwargs["classifiers"])
    license_text = kwargs.get("license")
    license_files = [str(f) for f in _items(kwargs.get("license_files")) if isinstance(f, str)]
    if isinstance(kwargs.get("license_file"), str):
        license_files.append(kwargs["license_file"])
    candidates = [
        p
        for pattern in (license_files or DEFAULT_LICENSE_GLOBS)
        for p in sorted(root.glob(pattern))
        if p.is_file()
    ]
    expression, why = spdx_expression(
        license_text if isinstance(license_text, str) else None, classifiers, candidates
    )
    if expression:
        project["license"] = expression
        classifiers = [c for c in classifiers if not c.startswith(LICENSE_CLASSIFIER)]
        report.converted("license", f"{expression} (SPDX); license classifiers dropped")
    elif why:
        report.manual(
            "license",
            why,
            'set project.license to an SPDX expression such as "BSD-3-Clause" and remove '
            "the License :: classifiers",
        )
        if isinstance(license_text, str) and license_text.strip() and "\n" not in license_text.strip():
            project["license"] = {"text": license_text.strip()}
    if license_files:
        project["license-files"] = license_files
    if classifiers:
        project["classifiers"] = classifiers
    urls: dict[str, str] = {}
    if isinstance(kwargs.get("url"), str) and kwargs["url"]:
        urls["Homepage"] = kwargs["url"]
    if isinstance(kwargs.get("download_url"), str) and kwargs["download_url"]:
        urls["Download"] = kwargs["download_url"]
    if isinstance(kwargs.get("project_urls"), Mapping):
        urls.update({str(k): str(u) for k, u in kwargs["project_urls"].items()})
    if urls:
        project["urls"] = urls
    _dependencies(kwargs_by_world, universe, result, report, how)
    if kwargs.get("entry_points") is not None:
        _entry_points(kwargs["entry_points"], project, report)
    if kwargs.get("scripts"):
        report.manual(
            "scripts",
            f"script files {', '.join(map(str, kwargs['scripts']))}",
            "turn each into a function and list it in [project.scripts]",
        )
    for key, text in _DROPPED.items():
        if key in kwargs:
            report.converted(key, f"dropped ({text.split(': ', 1)[1]})")
    for requirement in _items(kwargs.get("setup_requires")):
        if isinstance(requirement, str):
            result.build_requires.append(requirement)
    # Fields [project] already states keep their value; dynamic ones are filled in.
    dynamic_old = [str(f) for f in old.get("dynamic", [])]
    if old:
        merged = {key: item for key, item in old.items() if key != "dynamic"}
        for key, item in project.items():
            if key == "dynamic":
                continue
            if key not in merged and (key in dynamic_old or key == "license-files"):
                merged[key] = item
        dynamic = [f for f in project.get("dynamic", []) if f in dynamic_old or f not in merged]
        for field in dynamic_old:
            if field not in merged and field not in dynamic and field not in project:
                report.manual(
                    f"project.{field}",
                    "listed in project.dynamic, but migrate found no value",
                    f"set project.{field}",
                )
        result.dynamic_sources = {k: s for k, s in result.dynamic_sources.items() if k in dynamic}
        if dynamic:
            merged["dynamic"] = dynamic
        from ironwheel.project.metadata import draft_license_files

        merged, drafted = draft_license_files(merged)
        if drafted:
            report.converted("license-files", drafted)
        _modern_license(root, merged, report)
        _missing_readme(root, merged, report)
        result.project = merged
    return result


def _python_specifier(text: str, report: Report) -> str:
    """python_requires as PEP 440 has it: old setuptools took ">=3.6.*", which packaging refuses."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    text = text.strip()
    try:
        SpecifierSet(text)
        return text
    except InvalidSpecifier:
        pass
    fixed = ",".join(
        re.sub(r"^(>=|<=|>|<|~=)\s*([\d.]+?)(\.\*)+$", r"\1\2", part.strip()) for part in text.split(",")
    )
    try:
        SpecifierSet(fixed)
    except InvalidSpecifier:
        report.manual("requires-python", f"{text!r} is not a PEP 440 specifier", "write it as >=3.9")
        return text
    report.converted("requires-python", f"{text!r} -> {fixed!r} (.* only goes with == and !=)")
    return fixed


def _missing_readme(root: Path, project: dict[str, Any], report: Report) -> None:
    """setuptools skips a readme file that is not there; PEP 621 backends stop: leave it out, and say so."""
    readme = project.get("readme")
    path = readme if isinstance(readme, str) else readme.get("file") if isinstance(readme, Mapping) else None
    if isinstance(path, str) and not (root / path).is_file():
        del project["readme"]
        report.manual(
            "project.readme",
            f"{path} is not in the project (setuptools left the description empty); it was removed",
            "add the file, or point project.readme at the project's README",
        )


def _modern_license(root: Path, project: dict[str, Any], report: Report) -> None:
    """A PEP 621 license table of an existing [project] -> a PEP 639 expression, when unambiguous."""
    license_table = project.get("license")
    classifiers = [str(c) for c in project.get("classifiers", [])]
    if isinstance(license_table, str):
        # Other backends let an SPDX expression stand beside license classifiers; PEP 639 does not.
        kept = [c for c in classifiers if not c.startswith(LICENSE_CLASSIFIER)]
        if kept != classifiers:
            _set_classifiers(project, kept)
            report.converted("license", "license classifiers dropped: project.license is an SPDX expression")
        return
    if not isinstance(license_table, Mapping):
        return
    text = license_table.get("text") if isinstance(license_table.get("text"), str) else None
    files = [root / str(license_table["file"])] if isinstance(license_table.get("file"), str) else []
    candidates = files or [
        p for pattern in DEFAULT_LICENSE_GLOBS for p in sorted(root.glob(pattern)) if p.is_file()
    ]
    expression, why = spdx_expression(text, classifiers, candidates)
    if expression is None:
        if why:
            report.manual("license", why, "set project.license to an SPDX expression")
        return
    project["license"] = expression
    if files and "license-files" not in project:
        project["license-files"] = [str(license_table["file"])]
    _set_classifiers(project, [c for c in classifiers if not c.startswith(LICENSE_CLASSIFIER)])
    report.converted("license", f"{expression} (SPDX, PEP 639); license classifiers dropped")


def _set_classifiers(project: dict[str, Any], kept: list[str]) -> None:
    if kept:
        project["classifiers"] = kept
    else:
        project.pop("classifiers", None)
