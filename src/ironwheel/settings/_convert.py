"""Raw values -> checked values -> the frozen settings model.

Every source first becomes a *checked raw tree*: nested dicts keyed by TOML
names whose leaves already have their final Python types. Problems are
collected as :class:`Issue` objects instead of raised, so that all of them
can be reported at once. Trees are merged in precedence order and the result
is turned into dataclasses by :func:`build`, which cannot fail.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ironwheel.settings._fields import Field, fields_of, walk

__all__ = [
    "FALSE_WORDS",
    "INVALID",
    "TRUE_WORDS",
    "Checker",
    "Issue",
    "Where",
    "assign",
    "build",
    "closest",
    "define_problem",
    "fixed",
    "merge",
    "prefixed",
    "scalar",
    "suggest",
]

Path = tuple[str, ...]
Where = Callable[[Path], str]


def fixed(text: str) -> Where:
    """Every path of a source is shown as the same text (one -C option, one variable)."""
    return lambda _path: text


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$|^\[")


def _key(part: str) -> str:
    """A key as TOML spells it: quoted when it holds a dot or another special character."""
    return part if _BARE_KEY.match(part) else '"' + part.replace('"', '\\"') + '"'


def prefixed(prefix: str) -> Where:
    """Paths shown below a prefix, e.g. ``tool.ironwheel.cmake.build-type``."""
    return lambda path: (prefix + "." + ".".join(_key(part) for part in path)).replace(".[", "[")


@dataclasses.dataclass(frozen=True)
class Issue:
    """One problem with one setting."""

    where: str
    problem: str
    hint: str = ""


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()

_TYPE_NAMES = {
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    list: "an array",
    dict: "a table",
}


def _describe(value: object) -> str:
    kind = _TYPE_NAMES.get(type(value), type(value).__name__)
    shown = f'"{value}"' if isinstance(value, str) else repr(value)
    if isinstance(value, bool):
        shown = "true" if value else "false"
    if isinstance(value, (dict, list)):
        return kind
    return f"{shown} ({kind})"


def suggest(root: type[Any], path: Path, where: Where) -> str:
    """A "did you mean" hint for an unknown key at ``path`` below ``root``."""
    parent: type[Any] | None = root
    parts = path[:-1]
    index = 0
    while parent is not None and index < len(parts):
        field = fields_of(parent).get(parts[index])
        if field is not None and field.kind == "section":
            parent, index = field.section, index + 1
        elif field is not None and field.kind in ("sections", "section-list"):
            parent, index = field.section, index + 2
        else:
            parent = None
    wrong = path[-1]
    # Score the key's siblings and, a little lower, every key of the model
    # (the key may sit in the wrong table); the best close match wins.
    scored: list[tuple[float, Path]] = []
    if parent is not None:
        scored += [(_similarity(wrong, key), (*parts, key)) for key in fields_of(parent)]
    scored += [(_similarity(wrong, other[-1]) - 0.05, other) for other, _ in walk(root)]
    score, best = max(scored, default=(0.0, ()))
    return f"did you mean {where(best)}?" if best and score >= 0.6 else ""


def closest(wrong: str, known: Iterable[str]) -> str | None:
    """The known name a mistyped ``wrong`` most likely meant, or None when none is close."""
    score, best = max(((_similarity(wrong, name), name) for name in known), default=(0.0, ""))
    return best if score >= 0.6 else None


def _similarity(a: str, b: str) -> float:
    import difflib  # only a mistake needs suggestions

    return difflib.SequenceMatcher(None, a, b).ratio()


def define_problem(value: str) -> str | None:
    """Why CMake would not take ``value`` as a cache variable's value, or None."""
    if "\n" in value or "\r" in value:
        # CMake keeps what comes before the first line break, and says so only in its log.
        return "a CMake cache value cannot hold a line break (CMake would cut it at the first one)"
    return None


def _cmake_value(value: object) -> str | None:
    if isinstance(value, bool):
        return "ON" if value else "OFF"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
        return ";".join(str(item) for item in value)
    return None


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def scalar(text: str) -> str | bool | int:
    """A value of a scalars table given as text (-C, environment): true/false, an integer, else text."""
    if text.strip().lower() in ("true", "false"):
        return text.strip().lower() == "true"
    try:
        return int(text)
    except ValueError:
        return text


@dataclasses.dataclass
class Checker:
    """Checks the values of one source against the model, collecting issues.

    ``where`` renders a path the way that source spells it (a TOML key, an
    environment variable, a ``-C`` option); ``root`` is the model class that
    paths start from.
    """

    where: Where
    issues: list[Issue]
    root: type[Any]

    def _report(self, path: Path, problem: str, hint: str = "") -> Any:
        self.issues.append(Issue(self.where(path), problem, hint))
        return INVALID

    def table(self, raw: Mapping[str, Any], cls: type[Any], path: Path = ()) -> dict[str, Any]:
        """Check a TOML table against a settings class; keep only the valid keys."""
        fields = fields_of(cls)
        checked: dict[str, Any] = {}
        for key, value in raw.items():
            field = fields.get(key)
            if field is None:
                self._report((*path, key), "unknown key", suggest(self.root, (*path, key), self.where))
                continue
            converted = self.value(value, field, (*path, key))
            if converted is not INVALID:
                checked[key] = converted
        for key, field in fields.items():
            if field.required and key not in raw:
                self._report((*path, key), "missing", "this key is required")
        return checked

    def value(self, value: object, field: Field, path: Path) -> Any:
        """Check one TOML value against its field; return it in its final type."""

        def bad(expected: str) -> Any:
            return self._report(path, f"expected {expected}, got {_describe(value)}")

        result: Any
        if field.kind == "section-list":
            if not isinstance(value, list):
                return bad("an array of tables")
            assert field.section is not None
            entries = []
            for index, body in enumerate(value):
                if not isinstance(body, dict):
                    self._report((*path, f"[{index}]"), f"expected a table, got {_describe(body)}")
                    continue
                entries.append(self.table(body, field.section, (*path, f"[{index}]")))
            return tuple(entries)
        if field.kind in ("section", "sections"):
            if not isinstance(value, dict):
                return bad("a table")
            assert field.section is not None
            if field.kind == "section":
                return self.table(value, field.section, path)
            result = {}
            for name, body in value.items():
                if not isinstance(body, dict):
                    self._report((*path, name), f"expected a table, got {_describe(body)}")
                    continue
                result[name] = self.table(body, field.section, (*path, name))
            return result
        if field.kind == "string":
            if not isinstance(value, str):
                return bad("a string")
            result = value
        elif field.kind == "boolean":
            if not isinstance(value, bool):
                return bad("true or false")
            result = value
        elif field.kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                return bad("an integer")
            result = value
        elif field.kind == "list":
            if not isinstance(value, list):
                return bad("an array of strings")
            odd = next((item for item in value if not isinstance(item, str)), None)
            if odd is not None:
                return self._report(path, f"expected an array of strings, got one holding {_describe(odd)}")
            result = tuple(value)
        elif field.kind == "choice":
            if value not in field.choices:
                return bad("one of " + ", ".join(f'"{choice}"' for choice in field.choices))
            result = value
        elif field.kind == "table":
            if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
                return bad("a table of strings")
            result = dict(value)
        elif field.kind == "scalars":
            if not isinstance(value, dict):
                return bad("a table")
            result = {}
            for name, item in value.items():
                if not isinstance(item, (str, bool, int, float)):
                    self._report(
                        (*path, name), f"expected a string, number or boolean, got {_describe(item)}"
                    )
                    continue
                result[name] = item
        else:  # cmake-define
            if not isinstance(value, dict):
                return bad("a table")
            result = {}
            for name, item in value.items():
                converted = _cmake_value(item)
                if converted is None:
                    expected = "a string, boolean, number or array"
                    self._report((*path, name), f"expected {expected}, got {_describe(item)}")
                    continue
                problem = define_problem(converted)
                if problem is not None:
                    self._report((*path, name), problem)
                    continue
                result[name] = converted
        if field.check is not None:
            problem = field.check(result)
            if problem:
                return self._report(path, problem)
        return result

    def text(self, values: Sequence[str], field: Field, path: Path) -> Any:
        """Turn the string(s) from -C or an environment variable into a checked value."""
        if field.kind == "list":
            return self.value([item for value in values for item in value.split(";") if item], field, path)
        if field.kind in ("cmake-define", "scalars"):
            table: dict[str, Any] = {}
            for value in values:
                for pair in value.split(";"):
                    name, sep, item = pair.partition("=")
                    if not sep or not name:
                        return self._report(
                            path, f'expected NAME=VALUE pairs separated by ";", got "{value}"'
                        )
                    table[name] = scalar(item) if field.kind == "scalars" else item
            return self.value(table, field, path)
        if field.is_table:
            return self._report(path, "is a table; set its keys one by one")
        if len(values) != 1:
            return self._report(path, "given more than once")
        text = values[0]
        parsed: object = text
        if field.kind == "boolean":
            lowered = text.strip().lower()
            if lowered not in TRUE_WORDS | FALSE_WORDS:
                return self._report(path, f'expected true or false, got "{text}"')
            parsed = lowered in TRUE_WORDS
        elif field.kind == "integer":
            try:
                parsed = int(text)
            except ValueError:
                return self._report(path, f'expected an integer, got "{text}"')
        return self.value(parsed, field, path)


def assign(tree: dict[str, Any], path: Sequence[str], value: Any) -> None:
    """Set ``tree[path[0]][path[1]]... = value``, creating tables on the way."""
    node = tree
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """Overlay one checked tree on another: tables merge key by key, values replace."""
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def build(cls: type[Any], raw: Mapping[str, Any]) -> Any:
    """Instantiate a settings class from a checked tree."""
    arguments: dict[str, Any] = {}
    for key, field in fields_of(cls).items():
        if key not in raw:
            continue
        value = raw[key]
        if field.kind == "section":
            assert field.section is not None
            value = build(field.section, value)
        elif field.kind == "sections":
            assert field.section is not None
            section = field.section
            value = {name: build(section, body) for name, body in value.items()}
        elif field.kind == "section-list":
            assert field.section is not None
            section = field.section
            value = tuple(build(section, body) for body in value)
        arguments[field.attr] = value
    return cls(**arguments)
