"""The four sources of settings, each turned into a checked raw tree.

Lowest to highest precedence: the ``[tool.ironwheel]`` table, the matching
``[[tool.ironwheel.overrides]]`` (in file order), ``IRONWHEEL_*`` environment
variables, and ``-C`` config-settings. Defaults are the model's own.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Union

from ironwheel.settings._convert import INVALID, Checker, Issue, assign, define_problem, scalar, suggest
from ironwheel.settings._fields import Field, env_name, fields_of, walk
from ironwheel.settings.keys import KeyPath as Path
from ironwheel.settings.keys import fixed, prefixed
from ironwheel.settings.model import Settings
from ironwheel.settings.overrides import Override, parse_overrides

__all__ = [
    "NON_SETTING_VARIABLES",
    "ConfigSettings",
    "from_config_settings",
    "from_environment",
    "from_table",
]

log = logging.getLogger("ironwheel")

ConfigSettings = Mapping[str, Union[str, list[str], None]]

# IRONWHEEL_* variables that are read elsewhere and are not settings. The
# IRONWHEEL_EDITABLE_* ones are read by the import hook of editable installs.
NON_SETTING_VARIABLES = frozenset(
    {
        "IRONWHEEL_DEBUG",
        "IRONWHEEL_QUIET",
        "IRONWHEEL_EDITABLE_VERBOSE",
        "IRONWHEEL_EDITABLE_SKIP",
        "IRONWHEEL_EXTENSION_OPTIONAL",
        "IRONWHEEL_RELEASE",  # set by `ironwheel build` for its hooks: a release build (repair/mode.py)
        "IRONWHEEL_CACHE_DIR",  # the user cache (_usercache.py)
    }
)


def from_table(table: object, issues: list[Issue]) -> tuple[dict[str, Any], list[Override]]:
    """Check ``[tool.ironwheel]``; return its tree and its overrides."""
    if table is None:
        return {}, []
    if not isinstance(table, dict):
        issues.append(Issue("tool.ironwheel", f"expected a table, got {type(table).__name__}"))
        return {}, []
    body = dict(table)
    overrides = parse_overrides(body.pop("overrides", []), issues)
    return Checker(prefixed("tool.ironwheel"), issues, Settings).table(body, Settings), overrides


def _leaves() -> dict[str, tuple[Path, Field]]:
    return {env_name(path): (path, field) for path, field in walk(Settings) if not field.has_sections}


def from_environment(environ: Mapping[str, str], issues: list[Issue]) -> dict[str, Any]:
    """Read ``IRONWHEEL_<SECTION>_<KEY>`` variables."""
    leaves = _leaves()
    tree: dict[str, Any] = {}
    for name in sorted(environ):
        if not name.startswith("IRONWHEEL_") or name in NON_SETTING_VARIABLES:
            continue
        if name not in leaves:
            import difflib

            close = difflib.get_close_matches(name, list(leaves), n=1, cutoff=0.8)
            hint = f" (did you mean {close[0]}?)" if close else ""
            log.warning("ignoring %s: no such setting%s", name, hint)
            continue
        path, field = leaves[name]
        value = Checker(fixed(name), issues, Settings).text([environ[name]], field, path)
        if value is not INVALID:
            assign(tree, path, value)
    return tree


def _resolve(key: str) -> tuple[Path, Field, str] | None:
    """Map a ``-C`` key to (path, field, mapping key) or None if unknown."""
    parts = key.split(".")
    cls: type[Any] = Settings
    path: Path = ()
    for index, raw_part in enumerate(parts):
        part = raw_part.strip().replace("_", "-").lower()
        field = fields_of(cls).get(part)
        if field is None:
            return None
        path = (*path, part)
        rest = parts[index + 1 :]
        if field.kind == "section":
            if not rest:
                return path, field, ""
            assert field.section is not None
            cls = field.section
            continue
        if field.kind in ("table", "cmake-define", "scalars"):
            return path, field, ".".join(rest)
        if rest:
            return None
        return path, field, ""
    return None  # pragma: no cover - the loop always returns


def from_config_settings(config_settings: ConfigSettings | None, issues: list[Issue]) -> dict[str, Any]:
    """Read ``-C key=value`` settings given to the frontend."""
    tree: dict[str, Any] = {}
    for key, raw in (config_settings or {}).items():
        # PEP 517 promises strings (or lists of them); a frontend that passes other types
        # gets an error, not a traceback.
        if not isinstance(key, str) or not (
            raw is None
            or isinstance(raw, str)
            or (isinstance(raw, list) and all(isinstance(v, str) for v in raw))
        ):
            got = f"the key {key!r}" if not isinstance(key, str) else f"{raw!r} ({type(raw).__name__})"
            issues.append(
                Issue(f"-C {key}", f"config settings are strings, got {got}", "pass -C KEY=VALUE strings")
            )
            continue
        values = [] if raw is None else [raw] if isinstance(raw, str) else list(raw)
        where_key = f"-C {key}"
        resolved = _resolve(key)
        if resolved is not None and resolved[1].kind == "section":
            assert resolved[1].section is not None
            first = next(iter(fields_of(resolved[1].section)))
            issues.append(
                Issue(
                    where_key,
                    "names a table, not a setting",
                    f"set one of its keys, e.g. -C {key}.{first}=...",
                )
            )
            continue
        if resolved is not None and resolved[1].kind in ("sections", "section-list"):
            kind = "a table of tables" if resolved[1].kind == "sections" else "an array of tables"
            issues.append(Issue(where_key, f"is {kind}", "set it in pyproject.toml"))
            continue
        top = fields_of(Settings).get(key.split(".", 1)[0].strip().replace("_", "-").lower())
        if resolved is None and top is not None and top.kind == "sections":
            # Their names hold dots ("pkg._core"), which a -C key cannot tell apart.
            issues.append(
                Issue(
                    where_key,
                    f"{top.key} tables cannot be set with -C",
                    "set them in pyproject.toml, or in [[tool.ironwheel.overrides]]",
                )
            )
            continue
        if resolved is not None and raw is None:
            issues.append(Issue(where_key, "needs a value", f"write -C {key}=VALUE"))
            continue
        if resolved is None:
            path = tuple(part.replace("_", "-").lower() for part in key.split("."))
            hint = suggest(Settings, path, lambda p: "-C " + ".".join(p)) if path else ""
            issues.append(Issue(where_key, "unknown setting", hint))
            continue
        path, field, name = resolved
        checker = Checker(fixed(where_key), issues, Settings)
        if name:
            value = checker.text(values, _as_string(field), (*path, name))
            if value is not INVALID:
                assign(tree, (*path, name), _cmake_bool(field, value))
            continue
        value = checker.text(values, field, path)
        if value is not INVALID:
            assign(tree, path, value)
    return tree


def _as_string(field: Field) -> Field:
    """The field of one entry of a string table."""
    check = define_problem if field.kind == "cmake-define" else None
    return Field(key=field.key, attr=field.attr, kind="string", doc=field.doc, check=check)


def _cmake_bool(field: Field, value: str) -> str | bool | int:
    # -C cmake.define.X=true means the same as X = true in TOML.
    if field.kind == "cmake-define" and value.lower() in ("true", "false"):
        return "ON" if value.lower() == "true" else "OFF"
    if field.kind == "scalars":
        return scalar(value)
    return value
