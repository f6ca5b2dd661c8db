"""Raw values -> checked values -> the frozen settings model.

Every source first becomes a *checked raw tree*: nested dicts keyed by TOML
names whose leaves already have their final Python types. Problems are
collected as :class:`Issue` objects instead of raised, so that all of them
can be reported at once. Trees are merged in precedence order and the result
is turned into dataclasses by :func:`build`, which cannot fail.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ironwheel.settings._fields import Field, Kind, fields_of, walk
from ironwheel.settings.keys import FALSE_WORDS, TRUE_WORDS, Where
from ironwheel.settings.keys import KeyPath as Path

__all__ = [
    "INVALID",
    "Checker",
    "Issue",
    "assign",
    "build",
    "closest",
    "define_problem",
    "merge",
    "scalar",
    "suggest",
]


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

    def expected(self, path: Path, expected: str, value: object) -> Any:
        """Report a value of the wrong kind; INVALID."""
        return self._report(path, f"expected {expected}, got {_describe(value)}")

    def value(self, value: object, field: Field, path: Path) -> Any:
        """Check one TOML value against its field; return it in its final type.

        The field's kind chooses the converter; a value that converted is then
        held to the field's own check (tables of settings are checked key by key).
        """
        result = _CONVERTERS[field.kind](self, value, field, path)
        if result is INVALID or field.has_sections or field.check is None:
            return result
        problem = field.check(result)
        return self._report(path, problem) if problem else result

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


Converter = Callable[[Checker, Any, Field, Path], Any]


def _section_list(checker: Checker, value: Any, field: Field, path: Path) -> Any:
    if not isinstance(value, list):
        return checker.expected(path, "an array of tables", value)
    assert field.section is not None
    entries = []
    for index, body in enumerate(value):
        at = (*path, f"[{index}]")
        if not isinstance(body, dict):
            checker.expected(at, "a table", body)
            continue
        entries.append(checker.table(body, field.section, at))
    return tuple(entries)


def _section(checker: Checker, value: Any, field: Field, path: Path) -> Any:
    if not isinstance(value, dict):
        return checker.expected(path, "a table", value)
    assert field.section is not None
    return checker.table(value, field.section, path)


def _sections(checker: Checker, value: Any, field: Field, path: Path) -> Any:
    if not isinstance(value, dict):
        return checker.expected(path, "a table", value)
    assert field.section is not None
    result = {}
    for name, body in value.items():
        if not isinstance(body, dict):
            checker.expected((*path, name), "a table", body)
            continue
        result[name] = checker.table(body, field.section, (*path, name))
    return result


def _of_type(kind: type[Any] | tuple[type[Any], ...], expected: str) -> Converter:
    """A value taken as it is when it has the right type (a boolean is no integer)."""

    def convert(checker: Checker, value: Any, field: Field, path: Path) -> Any:
        del field
        if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
            return checker.expected(path, expected, value)
        return value

    return convert


def _strings(checker: Checker, value: Any, field: Field, path: Path) -> Any:
    del field
    if not isinstance(value, list):
        return checker.expected(path, "an array of strings", value)
    odd = next((item for item in value if not isinstance(item, str)), None)
    if odd is not None:
        return checker._report(path, f"expected an array of strings, got one holding {_describe(odd)}")
    return tuple(value)


def _choice(checker: Checker, value: Any, field: Field, path: Path) -> Any:
    if value not in field.choices:
        return checker.expected(path, "one of " + ", ".join(f'"{choice}"' for choice in field.choices), value)
    return value


def _string_table(checker: Checker, value: Any, field: Field, path: Path) -> Any:
    del field
    if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
        return checker.expected(path, "a table of strings", value)
    return dict(value)


def _table_of(
    convert: Callable[[object], Any], expected: str, problem: Callable[[Any], str | None] = lambda _: None
) -> Converter:
    """A table whose values ``convert`` turns into their final form, each refused on its own.

    ``convert`` gives None for a value of the wrong kind; ``problem`` says what
    else is wrong with a converted one.
    """

    def table(checker: Checker, value: Any, field: Field, path: Path) -> Any:
        del field
        if not isinstance(value, dict):
            return checker.expected(path, "a table", value)
        result = {}
        for name, item in value.items():
            converted = convert(item)
            if converted is None:
                checker.expected((*path, name), expected, item)
                continue
            why = problem(converted)
            if why is not None:
                checker._report((*path, name), why)
                continue
            result[name] = converted
        return result

    return table


def _scalar_value(item: object) -> object:
    return item if isinstance(item, (str, bool, int, float)) else None


# One converter per kind of field (see _fields.Kind).
_CONVERTERS: dict[Kind, Converter] = {
    "section-list": _section_list,
    "section": _section,
    "sections": _sections,
    "string": _of_type(str, "a string"),
    "boolean": _of_type(bool, "true or false"),
    "integer": _of_type(int, "an integer"),
    "list": _strings,
    "choice": _choice,
    "table": _string_table,
    "scalars": _table_of(_scalar_value, "a string, number or boolean"),
    "cmake-define": _table_of(_cmake_value, "a string, boolean, number or array", define_problem),
}


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
