"""The JSON schema and the Markdown reference table, both generated from the model."""

from __future__ import annotations

from typing import Any

from ironwheel.settings._fields import Field, env_name, fields_of
from ironwheel.settings.model import Settings

__all__ = ["json_schema", "reference_table"]

_STRING_OR_NUMBER: list[dict[str, Any]] = [{"type": "string"}, {"type": "number"}]


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


def _field_schema(field: Field) -> dict[str, Any]:
    schema: dict[str, Any]
    if field.kind == "section":
        assert field.section is not None
        schema = _table_schema(field.section)
    elif field.kind == "sections":
        assert field.section is not None
        schema = {"type": "object", "additionalProperties": _table_schema(field.section)}
    elif field.kind == "section-list":
        assert field.section is not None
        schema = {"type": "array", "items": _table_schema(field.section)}
    elif field.kind == "string":
        schema = {"type": "string"}
    elif field.kind == "boolean":
        schema = {"type": "boolean"}
    elif field.kind == "integer":
        schema = {"type": "integer"}
    elif field.kind == "list":
        schema = {"type": "array", "items": {"type": "string"}}
    elif field.kind == "choice":
        schema = {"enum": list(field.choices)}
    elif field.kind == "table":
        schema = {"type": "object", "additionalProperties": {"type": "string"}}
    elif field.kind == "scalars":
        schema = {
            "type": "object",
            "additionalProperties": {"oneOf": [*_STRING_OR_NUMBER, {"type": "boolean"}]},
        }
    else:
        schema = {
            "type": "object",
            "additionalProperties": {
                "oneOf": [
                    {"type": "string"},
                    {"type": "boolean"},
                    {"type": "number"},
                    {"type": "array", "items": {"oneOf": _STRING_OR_NUMBER}},
                ]
            },
        }
    if field.doc:
        schema["description"] = field.doc
    if not field.has_sections:
        schema["default"] = _jsonable(field.default)
    return schema


def _table_schema(cls: type[Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    fields = {key: field for key, field in fields_of(cls).items() if key not in skip}
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {key: _field_schema(field) for key, field in fields.items()},
    }
    required = [key for key, field in fields.items() if field.required]
    if required:
        schema["required"] = required
    return schema


def json_schema() -> dict[str, Any]:
    """A JSON schema (draft 7) for ``[tool.ironwheel]``."""
    root = _table_schema(Settings)
    override = _table_schema(Settings, skip=("minimum-version",))
    override["properties"] = {
        "if": {
            "type": "string",
            "description": "A PEP 508 marker; the override applies when it holds.",
        },
        **override["properties"],
    }
    override["required"] = ["if"]
    root["properties"]["overrides"] = {
        "type": "array",
        "description": "Settings that apply when a PEP 508 marker holds, in order.",
        "items": override,
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://ironwheel.readthedocs.io/schema/ironwheel.schema.json",
        "title": "[tool.ironwheel]",
        "description": "Settings of the ironwheel build backend.",
        **root,
    }


def _format_default(field: Field) -> str:
    value = field.default
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, str):
        return f'`"{value}"`' if len(value) < 40 else "(see description)"
    if isinstance(value, tuple):
        return "`[]`" if not value else "`" + repr(list(value)) + "`"
    if isinstance(value, dict):
        return "`{}`"
    return f"`{value}`"


def reference_table() -> str:
    """A Markdown table of every key, its default and its environment variable."""
    rows = ["| Key | Default | Environment variable | Description |", "| --- | --- | --- | --- |"]

    def visit(cls: type[Any], prefix: str, listed: bool) -> None:
        for key, field in fields_of(cls).items():
            path = f"{prefix}.{key}" if prefix else key
            if field.kind == "section":
                assert field.section is not None
                visit(field.section, path, listed)
                continue
            if field.kind == "section-list":
                assert field.section is not None
                rows.append(f"| `[[{path}]]` | `[]` |  | {field.doc} |")
                visit(field.section, f"{path}[]", True)
                continue
            if field.kind == "sections":
                assert field.section is not None
                rows.append(f"| `[{path}.<name>]` | `{{}}` |  | {field.doc} |")
                visit(field.section, f"{path}.<name>", True)
                continue
            variable = "" if listed or field.has_sections else f"`{env_name(tuple(path.split('.')))}`"
            doc = field.doc.replace("|", "\\|")
            rows.append(f"| `{path}` | {_format_default(field)} | {variable} | {doc} |")

    visit(Settings, "", False)
    return "\n".join(rows) + "\n"
