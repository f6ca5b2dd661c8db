"""Gitignore pattern matching, as git documents it (gitignore(5)).

One :class:`Rules` object holds the patterns of one file (or of a settings
list such as ``sdist.exclude``), all relative to one directory. Within it the
last matching pattern decides; between files, the deepest directory decides.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path

__all__ = ["Rules"]


@dataclasses.dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool


def _character_class(body: str, start: int) -> tuple[str, int] | None:
    """Translate ``[...]`` starting at ``start``; None if it never closes."""
    index = start + 1
    negate = index < len(body) and body[index] in "!^"
    if negate:
        index += 1
    first = index
    while index < len(body) and (body[index] != "]" or index == first):
        index += 1
    if index >= len(body):
        return None
    inner = "".join("\\" + char if char in "[]^\\" else char for char in body[first:index])
    return ("[^" if negate else "[") + inner + "]", index + 1


def _translate(body: str) -> str:
    """Translate one pattern (no ``!``, no trailing ``/``) into a regex."""
    anchored = "/" in body
    body = body.lstrip("/") if body.startswith("/") else body
    out: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if body.startswith("**", index):
            at_start = index == 0 or body[index - 1] == "/"
            after = body[index + 2 : index + 3]
            if at_start and after == "/":
                out.append("(?:.*/)?")
                index += 3
                continue
            if at_start and not after:
                out.append(".*")
                index += 2
                continue
            out.append("[^/]*")
            index += 2
        elif char == "*":
            out.append("[^/]*")
            index += 1
        elif char == "?":
            out.append("[^/]")
            index += 1
        elif char == "[":
            translated = _character_class(body, index)
            if translated is None:
                out.append(re.escape(char))
                index += 1
            else:
                out.append(translated[0])
                index = translated[1]
        elif char == "\\" and index + 1 < len(body):
            out.append(re.escape(body[index + 1]))
            index += 2
        else:
            out.append(re.escape(char))
            index += 1
    prefix = "" if anchored else "(?:.*/)?"
    return "^" + prefix + "".join(out) + "$"


def _strip_trailing_spaces(line: str) -> str:
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        return stripped[:-1] + " "
    return stripped


class Rules:
    """The patterns of one ignore file, relative to its directory."""

    def __init__(self, lines: Iterable[str]) -> None:
        patterns: list[_Pattern] = []
        for raw in lines:
            line = _strip_trailing_spaces(raw.rstrip("\r\n"))
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            if negate or line.startswith("\\!") or line.startswith("\\#"):
                line = line[1:]
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            if not line:
                continue
            patterns.append(_Pattern(re.compile(_translate(line), re.DOTALL), negate, dir_only))
        self._patterns = tuple(patterns)

    @classmethod
    def from_file(cls, path: Path) -> Rules:
        """Read an ignore file; a missing or unreadable file has no patterns."""
        try:
            return cls(path.read_text(encoding="utf-8", errors="replace").splitlines())
        except OSError:
            return cls(())

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def match(self, path: str, is_dir: bool) -> bool | None:
        """True if ignored, False if re-included by ``!``, None if no pattern matches."""
        for pattern in reversed(self._patterns):
            if pattern.dir_only and not is_dir:
                continue
            if pattern.regex.match(path):
                return not pattern.negate
        return None

    def ignores(self, path: str, is_dir: bool = False) -> bool:
        """Whether ``path`` or one of its parent directories is ignored."""
        parts = path.split("/")
        for depth in range(1, len(parts)):
            if self.match("/".join(parts[:depth]), True):
                return True
        return bool(self.match(path, is_dir))
