"""What migrate converted, what it could not and why, and what to do about it."""

from __future__ import annotations

import dataclasses
from typing import Literal

__all__ = ["Item", "Report"]

Kind = Literal["converted", "manual", "knob", "delete"]
_TITLES: dict[Kind, str] = {
    "converted": "Converted",
    "manual": "Not converted (do this by hand)",
    "knob": "Build knobs of the old build",
    "delete": "Files to delete once `ironwheel migrate --check` passes",
}


@dataclasses.dataclass(frozen=True)
class Item:
    """One line of the report."""

    kind: Kind
    subject: str  # what: "version", "extension pkg._core", "cmdclass build_ext", "MANIFEST.in"
    text: str  # what happened, or why not
    step: str = ""  # the manual step, or the ironwheel equivalent of a knob
    how: str = ""  # where the value came from: "static", "executed", "setup.cfg", ...


@dataclasses.dataclass
class Report:
    """Items in the order they were found; duplicates are dropped."""

    items: list[Item] = dataclasses.field(default_factory=list)

    def add(self, item: Item) -> None:
        if item not in self.items:
            self.items.append(item)

    def converted(self, subject: str, text: str, how: str = "") -> None:
        self.add(Item("converted", subject, text, how=how))

    def manual(self, subject: str, text: str, step: str) -> None:
        self.add(Item("manual", subject, text, step))

    def knob(self, subject: str, text: str, step: str) -> None:
        self.add(Item("knob", subject, text, step))

    def delete(self, path: str, why: str) -> None:
        self.add(Item("delete", path, why))

    def of(self, kind: Kind) -> list[Item]:
        return [item for item in self.items if item.kind == kind]

    def render(self) -> str:
        """The report as text, one section per kind."""
        lines: list[str] = []
        for kind, title in _TITLES.items():
            items = self.of(kind)
            if not items:
                continue
            lines.append(f"{title}:")
            for item in items:
                how = f" [{item.how}]" if item.how else ""
                lines.append(f"  - {item.subject}: {item.text}{how}")
                if item.step:
                    label = "equivalent" if kind == "knob" else "do"
                    lines.append(f"      {label}: {item.step}")
            lines.append("")
        return "\n".join(lines)
