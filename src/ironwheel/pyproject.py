"""Read pyproject.toml, turning every way it can be broken into a clear error."""

from __future__ import annotations

import codecs
import re
import stat
from pathlib import Path
from typing import Any

from ironwheel._compat import tomllib
from ironwheel.errors import ConfigError

__all__ = ["read_pyproject"]

_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def _syntax_error(path: Path, text: str, error: tomllib.TOMLDecodeError) -> ConfigError:
    reason = str(error)
    match = _POSITION.search(reason)
    if not match:
        return ConfigError(
            f"{path.name} is not valid TOML: {reason}",
            hint=f"fix the syntax of {path}",
        )
    line, column = int(match.group(1)), int(match.group(2))
    reason = reason[: match.start()].rstrip()
    source_lines = text.splitlines()
    details: list[str] = []
    if 0 < line <= len(source_lines):
        gutter = f"{line} | "
        details = [gutter + source_lines[line - 1], " " * (len(gutter) + column - 1) + "^"]
    return ConfigError(
        f"{path.name}:{line}:{column}: invalid TOML: {reason}",
        details=details,
        hint=f"fix the syntax at line {line}, column {column} of {path}",
    )


def read_pyproject(project_dir: Path) -> dict[str, Any]:
    """Parse ``project_dir/pyproject.toml`` and check the tables ironwheel needs."""
    path = project_dir / "pyproject.toml"
    try:
        # Looked at before it is read: a named pipe would block the read forever.
        if not stat.S_ISREG(path.stat().st_mode):
            what = "a directory" if path.is_dir() else "not a regular file"
            raise ConfigError(f"{path.name} is {what}", hint=f"make {path} a regular file")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"no pyproject.toml in {project_dir}",
            hint="run the build from the project's root directory, which holds "
            "pyproject.toml with a [build-system] table and a [project] table",
        ) from None
    if raw.startswith(codecs.BOM_UTF8):
        raise ConfigError(
            f"{path.name} starts with a byte order mark, which TOML does not allow",
            hint="save pyproject.toml as UTF-8 without a BOM (pip and build refuse it too)",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path.name} is not UTF-8 (byte {error.start} cannot be decoded)",
            hint="save pyproject.toml as UTF-8",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(path, text, error) from None
    except RecursionError:
        raise ConfigError(
            f"{path.name}: invalid TOML: arrays or tables nested too deeply to read",
            hint=f"fix the nesting in {path}",
        ) from None
    if "project" not in data:
        raise ConfigError(
            f"{path.name} has no [project] table",
            hint='add [project] with at least name = "..." and version = "..." '
            "(see https://packaging.python.org/en/latest/specifications/pyproject-toml/)",
        )
    if not isinstance(data["project"], dict):
        raise ConfigError(
            f"{path.name}: project must be a table, not {type(data['project']).__name__}",
            hint="write it as a [project] table",
        )
    return data
