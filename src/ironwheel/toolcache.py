"""Tool versions earlier builds of a tree learnt, kept in its build directory.

Asking cmake and ninja for their versions costs a process each in every
hook that looks for them, and the answer only changes when the program
does. ``.ironwheel/tools.json`` keeps the version of each program by
(path, modification time, size); an isolated build, whose PATH differs each
time, finds the same programs and asks nothing.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from ironwheel import toolchain

__all__ = ["ToolCache"]

log = logging.getLogger("ironwheel")

_NAME = "tools.json"


class ToolCache:
    """The record of one build directory (nothing for a temporary build)."""

    def __init__(self, state_dir: Path | None) -> None:
        self.path = state_dir / _NAME if state_dir is not None else None
        self._saved: dict[str, str] = {}
        if self.path is None:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        versions = data.get("versions") if isinstance(data, dict) else None
        if isinstance(versions, dict):
            self._saved = {key: value for key, value in versions.items() if isinstance(value, str)}
            toolchain.known_versions.update(self._saved)

    def save(self) -> None:
        """Write what was learnt, if anything, into an existing build directory."""
        if self.path is None or not self.path.parent.is_dir():
            return
        versions = dict(toolchain.known_versions)
        if versions == self._saved:
            return
        temporary = self.path.with_name(f".{_NAME}.{os.getpid()}.tmp")
        try:
            temporary.write_text(
                json.dumps({"versions": versions}, indent=1, sort_keys=True), encoding="utf-8"
            )
            os.replace(temporary, self.path)
        except OSError as error:
            log.debug("cannot write %s: %s", self.path, error)
            temporary.unlink(missing_ok=True)
            return
        self._saved = versions
