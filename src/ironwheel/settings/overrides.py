"""``[[tool.ironwheel.overrides]]``: settings that apply when a PEP 508 marker holds.

Every override is checked, matching or not, so that a typo in a Windows-only
override is reported on Linux too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional

from ironwheel.settings._convert import Checker, Issue
from ironwheel.settings.keys import prefixed
from ironwheel.settings.model import Settings

if TYPE_CHECKING:
    from packaging.markers import Marker

__all__ = ["Override", "parse_overrides"]

_MARKER_HINT = (
    "write a PEP 508 marker such as \"sys_platform == 'win32'\"; its variables are os_name, "
    "sys_platform, platform_machine, platform_system, platform_release, python_version, "
    "python_full_version, implementation_name and platform_python_implementation"
)


@dataclasses.dataclass(frozen=True)
class Override:
    """One override: its marker and its checked settings tree."""

    index: int
    condition: str
    marker: Optional[Marker]  # noqa: UP045 - None when the marker is invalid
    values: Mapping[str, Any]

    def matches(self, environment: Mapping[str, str] | None = None) -> bool:
        """Whether the marker holds for ``environment`` (default: this interpreter)."""
        from packaging.markers import UndefinedComparison, UndefinedEnvironmentName

        if self.marker is None:
            return False
        env: dict[str, str] = {"extra": ""}
        env.update(environment or {})
        try:
            return self.marker.evaluate(env)
        except (UndefinedComparison, UndefinedEnvironmentName):
            return False


def parse_overrides(raw: object, issues: list[Issue]) -> list[Override]:
    """Check the overrides array; invalid entries are reported and dropped."""
    if not isinstance(raw, list):
        issues.append(
            Issue(
                "tool.ironwheel.overrides",
                f"expected an array of tables, got {type(raw).__name__}",
                "write each override as [[tool.ironwheel.overrides]]",
            )
        )
        return []
    overrides: list[Override] = []
    for index, entry in enumerate(raw):
        prefix = f"tool.ironwheel.overrides[{index}]"
        if not isinstance(entry, dict):
            issues.append(Issue(prefix, f"expected a table, got {type(entry).__name__}"))
            continue
        body = dict(entry)
        condition = body.pop("if", None)
        marker: Marker | None = None
        if not isinstance(condition, str):
            issues.append(
                Issue(
                    f"{prefix}.if",
                    "missing" if condition is None else "expected a string",
                    "give a PEP 508 marker, e.g. if = \"sys_platform == 'win32'\"",
                )
            )
            condition = ""
        else:
            # Imported here: most projects have no overrides, and every hook would pay for it.
            from packaging.markers import InvalidMarker, Marker

            try:
                marker = Marker(condition)
            except InvalidMarker as error:
                first_line = str(error).splitlines()[0]
                issues.append(
                    Issue(
                        f"{prefix}.if",
                        f'invalid marker "{condition}": {first_line}',
                        _MARKER_HINT,
                    )
                )
        for forbidden in ("minimum-version", "overrides"):
            if forbidden in body:
                body.pop(forbidden)
                issues.append(Issue(f"{prefix}.{forbidden}", "cannot be overridden"))
        checker = Checker(prefixed(prefix), issues, Settings)
        values = checker.table(body, Settings)
        overrides.append(Override(index, condition, marker, values))
    return overrides
