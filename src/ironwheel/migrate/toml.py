"""A small TOML writer for the values migrate produces, and a splicer for existing files.

ironwheel depends on no TOML-writing library. :func:`dumps` renders nested
dicts and lists of the types ``tomllib`` returns; :class:`Document` finds the
tables and keys of an existing pyproject.toml in its text, so that migrate
replaces, removes and adds exactly the tables and keys it changes and every
other line (other tools' tables, comments) stays as it was. Callers re-parse
the result with ``tomllib`` and compare it with what they meant to write.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["Block", "Document", "dumps", "key", "render_key_value", "value"]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_WIDTH = 100
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}

Path = tuple[str, ...]
# Decides whether the table at a path is written as [a.b] (True) or inline.
SectionRule = Callable[[Path, Mapping[str, Any]], bool]


def _string(text: str) -> str:
    # A literal string reads better for regular expressions and Windows paths.
    if (
        ("\\" in text or '"' in text)
        and "'" not in text
        and not any(ord(c) < 32 or c == "\x7f" for c in text)
    ):
        return f"'{text}'"
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 32 or char == "\x7f":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def key(name: str) -> str:
    """One key as TOML spells it: bare when it can be, else quoted."""
    return name if _BARE.fullmatch(name) else _string(name)


def _dotted(path: Sequence[str]) -> str:
    return ".".join(key(part) for part in path)


def value(item: Any) -> str:
    """One value on one line (arrays and tables inline)."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if math.isnan(item):
            return "nan"
        if math.isinf(item):
            return "inf" if item > 0 else "-inf"
        return repr(item)
    if isinstance(item, str):
        return _string(item)
    if isinstance(item, (datetime.datetime, datetime.date, datetime.time)):
        return item.isoformat()
    if isinstance(item, Mapping):
        if not item:
            return "{}"
        return "{ " + ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items()) + " }"
    if isinstance(item, (list, tuple)):
        return "[" + ", ".join(value(v) for v in item) + "]"
    msg = f"cannot write {type(item).__name__} as TOML"
    raise TypeError(msg)


def render_key_value(name: str, item: Any, indent: str = "") -> str:
    """``name = value`` (name already spelled, possibly dotted); long arrays one item a line."""
    line = f"{indent}{name} = {value(item)}"
    if len(line) <= _WIDTH or not isinstance(item, (list, tuple)) or not item:
        return line + "\n"
    inner = "".join(f"{indent}    {value(v)},\n" for v in item)
    return f"{indent}{name} = [\n{inner}{indent}]\n"


def _is_table_list(item: Any) -> bool:
    return isinstance(item, (list, tuple)) and bool(item) and all(isinstance(v, Mapping) for v in item)


def _default_sections(path: Path, table: Mapping[str, Any]) -> bool:
    return any(isinstance(v, Mapping) or _is_table_list(v) for v in table.values()) or (
        len(value(table)) + len(path[-1]) > _WIDTH
    )


def _flatten(
    table: Mapping[str, Any], inline: Callable[[Path], bool], prefix: Path = ()
) -> list[tuple[Path, Any]]:
    """Dotted keys for a table written in one place (an array-of-tables entry)."""
    items: list[tuple[Path, Any]] = []
    for name, item in table.items():
        path = (*prefix, name)
        if isinstance(item, Mapping) and item and not inline(path):
            items += _flatten(item, inline, path)
        else:
            items.append((path, item))
    return items


def dumps(
    data: Mapping[str, Any],
    prefix: Path = (),
    *,
    sections: SectionRule = _default_sections,
    inline_in_arrays: Callable[[Path], bool] = lambda _path: False,
) -> str:
    """Render ``data`` as the table at ``prefix`` (``()`` is the document root).

    Tables the rule calls sections become ``[a.b]`` headers after the plain
    keys; lists of tables become ``[[a.b]]`` entries whose nested tables are
    written as dotted keys (unless ``inline_in_arrays`` keeps one inline).
    """
    plain: list[str] = []
    later: list[str] = []
    for name, item in data.items():
        path = (*prefix, name)
        if isinstance(item, Mapping) and item and sections(path, item):
            later.append(dumps(item, path, sections=sections, inline_in_arrays=inline_in_arrays))
        elif _is_table_list(item) and (
            prefix == ()
            or any(isinstance(v, Mapping) for entry in item for v in entry.values())
            or sections(path, {})
        ):
            for entry in item:
                body = "".join(
                    render_key_value(_dotted(sub), v) for sub, v in _flatten(entry, inline_in_arrays)
                )
                later.append(f"[[{_dotted(path)}]]\n{body}")
        else:
            plain.append(render_key_value(key(name), item))
    chunks: list[str] = []
    if prefix and (plain or not later):
        chunks.append(f"[{_dotted(prefix)}]\n" + "".join(plain))
    elif plain:
        chunks.append("".join(plain))
    chunks += later
    return "\n".join(chunks)


# -- reading the structure of an existing file -------------------------------------------------


@dataclasses.dataclass
class Block:
    """A table in the text: its header line up to the next header (or the file's end)."""

    path: Path  # () for the keys before the first header
    array: bool  # [[...]]
    start: int  # offset of the header line (of the first attached comment line)
    body: int  # offset just after the header line
    end: int


@dataclasses.dataclass(frozen=True)
class _Assignment:
    path: Path
    start: int  # line start
    end: int  # after the value's last line


_KEY_PART = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*""")


def _parse_key(text: str) -> tuple[Path, int] | None:
    """A dotted key at the start of ``text``; returns it and where it ends."""
    parts: list[str] = []
    index = 0
    while True:
        match = _KEY_PART.match(text, index)
        if not match:
            return None
        quoted, literal, bare = match.groups()
        if quoted is not None:
            parts.append(quoted.encode("latin-1", "backslashreplace").decode("unicode_escape"))
        else:
            parts.append(literal if literal is not None else bare)
        index = match.end()
        if index < len(text) and text[index] == ".":
            index += 1
            continue
        return tuple(parts), index


def _scan(text: str) -> list[tuple[int, int]]:
    """(line start, line end) of every line that starts outside strings and brackets."""
    lines: list[tuple[int, int]] = []
    depth = 0
    index = 0
    at_line_start = True
    line_start = 0
    length = len(text)
    while index < length:
        if at_line_start:
            line_start = index
            if depth == 0:
                lines.append((index, text.find("\n", index) + 1 or length))
            at_line_start = False
        char = text[index]
        if char == "#":
            newline = text.find("\n", index)
            index = length if newline < 0 else newline
            continue
        if char in "\"'":
            triple = text.startswith(char * 3, index)
            delimiter = char * 3 if triple else char
            index += len(delimiter)
            while index < length:
                if char == '"' and text[index] == "\\":
                    index += 2
                    continue
                if text.startswith(delimiter, index):
                    # A multi-line string may end with up to two extra quotes.
                    while triple and text.startswith(delimiter, index + 1):
                        index += 1
                    index += len(delimiter)
                    break
                if not triple and text[index] == "\n":
                    break
                index += 1
            continue
        if char in "[{":
            # Header brackets are not value brackets.
            if not (depth == 0 and text[line_start:index].strip() == "" and char == "["):
                depth += 1
            elif text.startswith("[[", index):
                index += 1
        elif char in "]}":
            depth = max(0, depth - 1)
        elif char == "\n":
            at_line_start = True
        index += 1
    return lines


def _header(line: str) -> tuple[Path, bool] | None:
    stripped = line.strip()
    if not stripped.startswith("["):
        return None
    array = stripped.startswith("[[")
    inner = stripped[2:] if array else stripped[1:]
    parsed = _parse_key(inner)
    if parsed is None:
        return None
    path, end = parsed
    closing = "]]" if array else "]"
    if not inner[end:].startswith(closing):
        return None
    return path, array


class Document:
    """The tables and top-level keys of a TOML text, for editing in place."""

    def __init__(self, text: str) -> None:
        self.text = text if not text or text.endswith("\n") else text + "\n"
        self._parse()

    def _parse(self) -> None:
        text = self.text
        self._lines = _scan(text)
        blocks: list[Block] = [Block((), False, 0, 0, len(text))]
        for index, (start, end) in enumerate(self._lines):
            header = _header(text[start:end])
            if header is None:
                continue
            attached = start
            # Comment lines right above a header belong to its table.
            for previous_start, previous_end in reversed(self._lines[:index]):
                if not text[previous_start:previous_end].lstrip().startswith("#"):
                    break
                if previous_start < blocks[-1].body:
                    break
                attached = previous_start
            blocks[-1].end = attached
            blocks.append(Block(header[0], header[1], attached, end, len(text)))
        self.blocks = blocks

    def _block_lines(self, block: Block) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self._lines if block.body <= s < block.end]

    def assignments(self, block: Block) -> list[_Assignment]:
        """The key/value lines of a block."""
        text = self.text
        lines = self._block_lines(block)
        found: list[_Assignment] = []
        for index, (start, end) in enumerate(lines):
            line = text[start:end]
            if not line.strip() or line.lstrip().startswith(("#", "[")):
                continue
            parsed = _parse_key(line)
            if parsed is None or not line[parsed[1] :].lstrip().startswith("="):
                continue
            stop = lines[index + 1][0] if index + 1 < len(lines) else block.end
            found.append(_Assignment(parsed[0], start, stop))
        return found

    def tables(self, prefix: Path) -> list[Block]:
        """Blocks whose header path starts with ``prefix``."""
        return [b for b in self.blocks if b.path[: len(prefix)] == prefix and (b.path or not prefix)]

    def _edit(self, edits: list[tuple[int, int, str]]) -> None:
        text = self.text
        for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            text = text[:start] + replacement + text[end:]
        self.text = text
        self._parse()

    def remove_table(self, prefix: Path) -> int | None:
        """Remove a table, its sub-tables and dotted keys naming them; where it was, or None."""
        edits: list[tuple[int, int, str]] = []
        where: int | None = None
        for block in self.blocks:
            if block.path[: len(prefix)] == prefix and block.path:
                edits.append((block.start, block.end, ""))
                where = block.start if where is None else min(where, block.start)
            elif prefix[: len(block.path)] == block.path and not block.array:
                for assignment in self.assignments(block):
                    full = (*block.path, *assignment.path)
                    if full[: len(prefix)] == prefix:
                        edits.append((assignment.start, assignment.end, ""))
        if not edits:
            return None
        shift = sum(end - start for start, end, _ in edits if where is not None and end <= where)
        self._edit(edits)
        return None if where is None else where - shift

    def set_key(self, table: Path, name: str, item: Any) -> None:
        """Set ``name`` in the (existing, plain) table at ``table``, keeping its other lines."""
        block = next(b for b in self.blocks if b.path == table and not b.array)
        rendered = render_key_value(key(name), item)
        for assignment in self.assignments(block):
            if assignment.path[0] == name:
                self._edit([(assignment.start, assignment.end, rendered)])
                return
        self._edit([(self._content_end(block), self._content_end(block), rendered)])

    def remove_key(self, table: Path, name: str) -> None:
        block = next(b for b in self.blocks if b.path == table and not b.array)
        edits = [(a.start, a.end, "") for a in self.assignments(block) if a.path[0] == name]
        if edits:
            self._edit(edits)

    def _content_end(self, block: Block) -> int:
        """Just after the block's last line that is not blank."""
        lines = self._block_lines(block)
        filled = [index for index, (s, e) in enumerate(lines) if self.text[s:e].strip()]
        if not filled:
            return block.body
        last = filled[-1]
        return lines[last + 1][0] if last + 1 < len(lines) else block.end

    def insert(self, at: int, chunk: str) -> None:
        """Insert rendered tables at an offset, with one blank line around them."""
        before = self.text[:at].rstrip("\n")
        after = self.text[at:].lstrip("\n")
        parts = [before + "\n\n"] if before else []
        parts.append(chunk.rstrip("\n") + "\n")
        if after:
            parts.append("\n" + after)
        self.text = "".join(parts)
        self._parse()

    def end_of(self, prefix: Path) -> int | None:
        """The offset just after the last block of a table and its sub-tables."""
        blocks = self.tables(prefix)
        return max(b.end for b in blocks) if blocks else None
