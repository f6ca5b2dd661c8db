"""A scikit-build-core project -> ``[tool.ironwheel]``, so that it can drop the compatibility layer.

The table is translated by the same code that reads it at build time
(:func:`ironwheel.settings.scikit_build.translate`); its overrides' ``if``
tables become PEP 508 markers where a marker can say the same, and are
reported where it cannot (environment variables, the build state).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ironwheel.migrate.report import Report
from ironwheel.settings.scikit_build import combine, translate

if TYPE_CHECKING:
    from ironwheel.migrate.legacy import Legacy
    from ironwheel.migrate.plan import Migration

__all__ = ["condition_marker", "migrate_scikit_build"]

_PLATFORMS = ("linux", "darwin", "win32", "cygwin", "freebsd14", "openbsd7", "emscripten", "android", "ios")
_MACHINES = (
    "x86_64",
    "aarch64",
    "arm64",
    "AMD64",
    "ARM64",
    "i686",
    "x86",
    "ppc64le",
    "s390x",
    "armv7l",
    "riscv64",
)
_NEGATED = {"==": "!=", "!=": "==", ">=": "<", "<": ">=", "<=": ">", ">": "<="}


def _regex_marker(variable: str, pattern: str, known: tuple[str, ...]) -> str | None:
    try:
        compiled = re.compile(pattern)
    except re.error:
        return None
    matching = [value for value in known if compiled.match(value)]
    if not matching:
        return None
    if len(matching) * 2 > len(known):
        missing = [value for value in known if value not in matching]
        return " and ".join(f"{variable} != '{value}'" for value in missing) or None
    return " or ".join(f"{variable} == '{value}'" for value in matching)


def _specifier_marker(variable: str, text: str) -> str | None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        spec = SpecifierSet(text)
    except InvalidSpecifier:
        return None
    parts = [f"{variable} {item.operator} '{item.version}'" for item in spec]
    return " and ".join(parts) or None


def _negate(marker: str) -> str | None:
    match = re.fullmatch(r"(\w+) (==|!=|>=|<=|<|>) ('[^']*')", marker)
    if match is None:
        return None
    return f"{match.group(1)} {_NEGATED[match.group(2)]} {match.group(3)}"


def condition_marker(condition: object) -> tuple[str | None, str]:
    """The marker for an ``if`` table, or (None, what cannot be said with a marker)."""
    if not isinstance(condition, Mapping):
        return None, "the condition is not a table"
    parts: list[str] = []
    for key, expected in condition.items():
        marker: str | None = None
        if key == "platform-system":
            marker = _regex_marker("sys_platform", str(expected), _PLATFORMS)
        elif key == "platform-machine":
            marker = _regex_marker("platform_machine", str(expected), _MACHINES)
        elif key == "python-version":
            marker = _specifier_marker("python_version", str(expected))
        elif key == "implementation-version":
            marker = _specifier_marker("implementation_version", str(expected))
        elif key == "implementation-name":
            marker = f"implementation_name == '{expected}'" if re.fullmatch(r"\w+", str(expected)) else None
        elif key == "any" and isinstance(expected, Mapping):
            pieces = [condition_marker({k: v}) for k, v in expected.items()]
            if all(piece[0] for piece in pieces):
                marker = " or ".join(f"({piece[0]})" for piece in pieces)
            else:
                return None, next(piece[1] for piece in pieces if not piece[0])
        elif key == "not":
            inner, why = condition_marker(expected)
            marker = _negate(inner) if inner else None
            if marker is None:
                return None, why or "a negation of more than one comparison"
        else:
            return None, f"if.{key} (no PEP 508 marker can test it)"
        if marker is None:
            return None, f"if.{key} = {expected!r}"
        parts.append(f"({marker})" if " or " in marker and len(condition) > 1 else marker)
    return " and ".join(parts) or None, "" if parts else "an empty condition"


def _delta(base: Mapping[str, Any], combined: Mapping[str, Any], body: Mapping[str, Any]) -> dict[str, Any]:
    """What an override changes, in the keys its body names (appended lists in full)."""
    delta: dict[str, Any] = {}
    for section, values in body.items():
        if isinstance(values, Mapping) and isinstance(combined.get(section), Mapping):
            delta[section] = {key: combined[section][key] for key in values if key in combined[section]}
        else:
            delta[section] = combined.get(section, values)
    return delta


def _leaves(tree: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for key, item in tree.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(item, Mapping):
            found += _leaves(item, name)
        else:
            found.append((name, item))
    return found


def _setting_text(item: Any) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (list, tuple)):
        return ";".join(str(part) for part in item)
    return str(item)


def migrate_scikit_build(legacy: Legacy, report: Report) -> Migration:
    """The migration of a project configured for scikit-build-core."""
    from ironwheel.migrate.plan import Migration, _requires, _validate
    from ironwheel.migrate.writer import render_new_pyproject

    pyproject = legacy.pyproject
    translation = translate(pyproject, {})
    base = dict(translation.base)
    for field, source in base.get("metadata", {}).items():
        report.converted(
            f"metadata {field}",
            f"the dynamic-metadata provider -> [tool.ironwheel.metadata.{field}] {source}",
        )
    overrides: list[dict[str, Any]] = []
    for index, condition, body, inherit in translation.overrides:
        marker, why = condition_marker(condition)
        variables = (
            condition.get("env") if isinstance(condition, Mapping) and set(condition) == {"env"} else None
        )
        if marker is None and isinstance(variables, Mapping):
            settings = " ".join(f"-C {key}={_setting_text(item)}" for key, item in _leaves(body))
            names = ", ".join(f"${name}" for name in variables)
            report.knob(names, f"set, it changes {', '.join(key for key, _ in _leaves(body))}", settings)
            continue
        if marker is None:
            report.manual(
                f"tool.scikit-build.overrides[{index}]",
                why,
                "use IRONWHEEL_* variables or -C settings for it (see docs/porting.md)",
            )
            continue
        delta = _delta(base, combine(base, body, inherit), body)
        if delta:
            overrides.append({"if": marker, **delta})
            report.converted(
                f"tool.scikit-build.overrides[{index}]", f'-> [[tool.ironwheel.overrides]] if = "{marker}"'
            )
    if overrides:
        base["overrides"] = overrides
    for key in sorted(translation.skipped):
        report.manual(f"tool.scikit-build.{key}", "has no ironwheel equivalent", "see docs/porting.md")
    report.converted("tool.scikit-build", "-> [tool.ironwheel] (the compatibility layer is no longer needed)")
    requires = _requires(
        list(pyproject.get("build-system", {}).get("requires", [])), [], report, tables=False
    )
    from ironwheel.project.metadata import draft_license_files

    project, drafted = draft_license_files(pyproject.get("project") or {})
    if drafted:
        report.converted("license-files", drafted)
    new_text = render_new_pyproject(
        legacy.text,
        pyproject,
        project,
        {"requires": requires, "build-backend": "ironwheel"},
        {"ironwheel": base} if base else {},
        [("tool", "scikit-build")],
        report,
    )
    _validate(legacy.root, new_text)
    return Migration(legacy.root, legacy.text, new_text, report, [])
