"""What earlier builds learnt about their tools, kept in the build directory and the user cache.

Asking cmake and ninja for their versions costs a process each in every
hook that looks for them, and choosing them needs packaging's specifiers;
neither answer changes while the programs stay the same.
``.ironwheel/tools.json`` keeps the version of each program by
``toolchain.program_key`` (path, size, modification time, inode), and the cmake and
ninja the last build chose with everything that decided the choice: the
project's cmake requirement and ``cmake_minimum_required``, the programs
found on PATH with their stats, ``CMAKE_EXECUTABLE`` and
``CMAKE_GENERATOR``. An isolated build, whose PATH differs each time, finds
the same programs and asks nothing.

The versions are kept in the user cache too (``tools.json`` there, see
``_usercache``), so that the first build of a tree, and its first
``get_requires_for_build_wheel`` before any build directory exists, run no
``--version`` for programs another build asked already. Entries whose
program changed or went are dropped when it is written.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from packaging.version import Version

from ironwheel._records import Record, file_stat
from ironwheel._requires import programs
from ironwheel._usercache import user_record
from ironwheel.tools.toolchain import Program, Versions, program_key

__all__ = ["ToolCache", "choice_key"]

log = logging.getLogger("ironwheel")


def choice_key(configured: str, source_dir: Path, environ: Mapping[str, str] | None = None) -> str:
    """Everything the choice of cmake and ninja depends on, as text."""
    environ = os.environ if environ is None else environ
    lists = file_stat(source_dir / "CMakeLists.txt")
    variables = [environ.get(name) for name in ("CMAKE_EXECUTABLE", "CMAKE_GENERATOR")]
    return json.dumps([configured, lists, variables, programs(environ)])


def _encode(program: Program) -> list[str]:
    return [program.name, str(program.path), str(program.version), program.origin]


def _decode(data: Any) -> Program:
    name, path, version, origin = data
    return Program(str(name), Path(path), Version(str(version)), str(origin))


def _load(data: Any) -> tuple[dict[str, str], dict[str, Any]]:
    versions = data.get("versions")
    choice = data.get("choice")
    return (
        {str(key): value for key, value in versions.items() if isinstance(value, str)}
        if isinstance(versions, dict)
        else {},
        choice if isinstance(choice, dict) else {},
    )


_USER_RECORD = "tools.json"


class ToolCache:
    """The record of one build directory (a record of nothing for a temporary build), and the user's.

    ``user`` is the user cache's record of versions (by default ``tools.json`` there).
    """

    def __init__(self, record: Record, user: Record | None = None) -> None:
        self.record = record
        self._user = user_record(_USER_RECORD) if user is None else user
        self._user_known, _ = self._user.load(_load) or ({}, {})
        known, self._choice = record.load(_load) or ({}, {})
        self.versions = Versions({**self._user_known, **known})  # what finding the tools asks and learns
        self._saved = self._data()

    def _data(self) -> dict[str, Any]:
        return {"versions": dict(self.versions.known), "choice": self._choice}

    def chosen(self, key: str) -> tuple[Program, Program | None] | None:
        """The cmake and ninja the last build chose, if ``key`` is what decided it."""
        if self._choice.get("key") != key:
            return None
        try:
            ninja = self._choice["ninja"]
            return _decode(self._choice["cmake"]), _decode(ninja) if ninja is not None else None
        except (KeyError, ValueError, TypeError):
            return None

    def choose(self, key: str, cmake: Program, ninja: Program | None) -> None:
        self._choice = {"key": key, "cmake": _encode(cmake), "ninja": _encode(ninja) if ninja else None}

    def save(self) -> None:
        """Write what was learnt, if anything, into an existing build directory and the user cache."""
        data = self._data()
        if data != self._saved and self.record.save(data):
            self._saved = data
        learnt = {
            key: value for key, value in self.versions.known.items() if self._user_known.get(key) != value
        }
        if learnt:
            # What is kept there is what still describes a program at its path.
            merged = {**self._user_known, **learnt}
            current = {
                key: value for key, value in merged.items() if program_key(key.rsplit("|", 3)[0]) == key
            }
            if self._user.save({"versions": current}):
                self._user_known = current
