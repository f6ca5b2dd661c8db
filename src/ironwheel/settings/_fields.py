"""Introspection of the settings model: one :class:`Field` per key."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator, Mapping
from typing import Any, Literal, Optional, Union

from ironwheel.settings.model import Check

__all__ = ["Field", "Kind", "env_name", "fields_of", "walk"]

Kind = Literal[
    "string",
    "boolean",
    "integer",
    "list",
    "choice",
    "table",
    "cmake-define",
    "section",
    "sections",
    "section-list",
    "scalars",
]


@dataclasses.dataclass(frozen=True)
class Field:
    """One key of a settings table."""

    key: str
    attr: str
    kind: Kind
    doc: str
    default: Any = None
    check: Optional[Check] = None  # noqa: UP045 - evaluated at runtime on Python 3.9
    choices: tuple[str, ...] = ()
    section: Optional[type[Any]] = None  # noqa: UP045 - evaluated at runtime on Python 3.9
    required: bool = False

    @property
    def is_table(self) -> bool:
        return self.kind in ("section", "sections", "section-list", "table", "cmake-define", "scalars")

    @property
    def has_sections(self) -> bool:
        """Whether the value holds settings tables (no environment variable)."""
        return self.kind in ("section", "sections", "section-list")


def _kind_of(hint: Any, metadata: Mapping[str, Any]) -> tuple[Kind, tuple[str, ...], type[Any] | None]:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        return "section", (), typing.cast("type[Any]", hint)
    if hint is str:
        return "string", (), None
    if hint is bool:
        return "boolean", (), None
    if hint is int:
        return "integer", (), None
    if origin is tuple and args == (str, ...):
        return "list", (), None
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis and dataclasses.is_dataclass(args[0]):
        return "section-list", (), typing.cast("type[Any]", args[0])
    if origin is Literal:
        return "choice", tuple(str(arg) for arg in args), None
    if origin in (Mapping, dict):
        value = args[1]
        if dataclasses.is_dataclass(value):
            return "sections", (), typing.cast("type[Any]", value)
        if typing.get_origin(value) is Union:
            return "scalars", (), None
        if metadata.get("kind") == "cmake-define":
            return "cmake-define", (), None
        return "table", (), None
    msg = f"unsupported settings type {hint!r}"  # pragma: no cover - a model bug
    raise TypeError(msg)  # pragma: no cover


_FIELDS: dict[type[Any], dict[str, Field]] = {}


def fields_of(cls: type[Any]) -> dict[str, Field]:
    """The keys of one settings table, by their TOML name."""
    cached = _FIELDS.get(cls)
    if cached is not None:
        return cached
    hints = typing.get_type_hints(cls)
    result: dict[str, Field] = {}
    for item in dataclasses.fields(cls):
        if item.metadata.get("origin"):
            continue  # where the values came from, not a key
        kind, choices, section = _kind_of(hints[item.name], item.metadata)
        if item.default is not dataclasses.MISSING:
            default: Any = item.default
        elif item.default_factory is not dataclasses.MISSING:
            default = item.default_factory()
        else:  # pragma: no cover - every setting has a default
            default = None
        key = item.name.replace("_", "-")
        result[key] = Field(
            key=key,
            attr=item.name,
            kind=kind,
            doc=item.metadata.get("doc", ""),
            default=default,
            check=item.metadata.get("check"),
            choices=choices,
            section=section,
            required=bool(item.metadata.get("required")),
        )
    _FIELDS[cls] = result
    return result


def walk(cls: type[Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Field]]:
    """Every key below ``cls`` with its path, sections before their contents."""
    for key, field in fields_of(cls).items():
        path = (*prefix, key)
        yield path, field
        if field.kind == "section":
            assert field.section is not None
            yield from walk(field.section, path)


def env_name(path: tuple[str, ...]) -> str:
    """``("cmake", "build-type")`` -> ``IRONWHEEL_CMAKE_BUILD_TYPE``."""
    return "IRONWHEEL_" + "_".join(path).upper().replace("-", "_").replace(".", "_")
