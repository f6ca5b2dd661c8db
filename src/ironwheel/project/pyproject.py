"""pyproject.toml, read once: every way it can be broken is a clear error, and what it says is typed.

:class:`Pyproject` gives typed access to what ironwheel reads from it. Raw
tables leave it only for the libraries and parsers that own them: the
``[project]`` table for pyproject-metadata, the whole file for the settings
(``[tool.ironwheel]``, ``[tool.scikit-build]``), the setuptools-scm table and
hatch-fancy-pypi-readme's table for those libraries. The accessors are as
tolerant as the readers they serve: a value of the wrong type reads as
absent, and the reader that owns it reports it.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ironwheel._compat import tomllib
from ironwheel.errors import ConfigError

__all__ = ["DEFAULT_LICENSE_GLOBS", "SCM_SECTIONS", "Pyproject", "ScmTable", "read_pyproject"]

# PEP 639: what a tool may pick up when project.license-files is absent.
DEFAULT_LICENSE_GLOBS = ("LICEN[CS]E*", "COPYING*", "NOTICE*", "AUTHORS*")

# The tables the version library reads, in its order of preference for setuptools-scm projects.
SCM_SECTIONS = ("setuptools_scm", "vcs-versioning")

_FANCY_README = ("hatch", "metadata", "hooks", "fancy-pypi-readme")


@dataclasses.dataclass(frozen=True)
class ScmTable:
    """``[tool.setuptools_scm]`` (or ``[tool.vcs-versioning]``), read by the version library itself."""

    section: str  # which of SCM_SECTIONS, as keys in messages name it
    table: Mapping[str, Any]

    def get(self, key: str) -> object:
        return self.table.get(key)

    @property
    def root(self) -> object:
        """``root``: where the checkout is, relative to the project (a string, if valid)."""
        return self.table.get("root", ".")


@dataclasses.dataclass(frozen=True)
class Pyproject:
    """The parsed pyproject.toml."""

    data: Mapping[str, Any]  # the whole file: for the settings, which parse their own tables

    @property
    def project(self) -> Mapping[str, Any]:
        """The raw ``[project]`` table, for pyproject-metadata (checked to be a table)."""
        table: Mapping[str, Any] = self.data["project"]
        return table

    @property
    def name(self) -> str:
        return str(self.project.get("name", ""))

    @property
    def static_version(self) -> str:
        """``project.version`` as written, or ""."""
        return str(self.project.get("version", ""))

    @property
    def dynamic(self) -> tuple[str, ...]:
        """``project.dynamic`` (empty when it is not an array: pyproject-metadata reports that)."""
        dynamic = self.project.get("dynamic", [])
        return tuple(str(field) for field in dynamic) if isinstance(dynamic, list) else ()

    def declares(self, field: str) -> bool:
        """Whether ``[project]`` sets ``field`` statically."""
        return field in self.project

    @property
    def requires_python(self) -> str | None:
        text = self.project.get("requires-python")
        return text if isinstance(text, str) else None

    @property
    def readme_file(self) -> str | None:
        """The file ``project.readme`` names, if it names one."""
        value = self.project.get("readme")
        if isinstance(value, str):
            return value
        return value["file"] if isinstance(value, dict) and isinstance(value.get("file"), str) else None

    @property
    def license_file(self) -> str | None:
        """The file of a ``project.license = {file = ...}`` table."""
        value = self.project.get("license")
        return value["file"] if isinstance(value, dict) and isinstance(value.get("file"), str) else None

    @property
    def license_files(self) -> tuple[str, ...] | None:
        """``project.license-files``: () when absent, None when it is not an array of strings."""
        patterns = self.project.get("license-files", [])
        if not isinstance(patterns, list) or not all(isinstance(pattern, str) for pattern in patterns):
            return None
        return tuple(patterns)

    @property
    def build_requires(self) -> tuple[str, ...]:
        """``build-system.requires``."""
        system = self.data.get("build-system")
        requires = system.get("requires") if isinstance(system, dict) else None
        return tuple(str(item) for item in requires) if isinstance(requires, list) else ()

    def _tool(self, name: str) -> object:
        tool = self.data.get("tool")
        return tool.get(name) if isinstance(tool, dict) else None

    @property
    def has_scikit_build(self) -> bool:
        """Whether there is a ``[tool.scikit-build]`` (read at the lowest precedence, see settings)."""
        tool = self.data.get("tool")
        return isinstance(tool, dict) and "scikit-build" in tool

    @property
    def scm(self) -> ScmTable | None:
        """The first of ``[tool.setuptools_scm]`` and ``[tool.vcs-versioning]`` that is a table."""
        for name in SCM_SECTIONS:
            table = self._tool(name)
            if isinstance(table, dict):
                return ScmTable(name, table)
        return None

    @property
    def mentions_scm(self) -> bool:
        """Whether either version-library table is present at all (a version from git is wanted)."""
        tool = self.data.get("tool")
        return isinstance(tool, dict) and any(name in tool for name in SCM_SECTIONS)

    @property
    def fancy_readme(self) -> Any:
        """``[tool.hatch.metadata.hooks.fancy-pypi-readme]``, raw for the library, or None."""
        node: Any = self._tool(_FANCY_README[0])
        for key in _FANCY_README[1:]:
            node = node.get(key) if isinstance(node, dict) else None
        return node

    def provider_tables(self) -> dict[str, object]:
        """What the metadata providers read besides the settings, for the metadata cache's key."""
        return {name: self._tool(name) for name in (*SCM_SECTIONS, "hatch")}


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


def read_pyproject(project_dir: Path) -> Pyproject:
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
    return Pyproject(data)
