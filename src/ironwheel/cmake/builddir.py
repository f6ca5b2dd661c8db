"""The build directory: persistent, locked while in use, stable across isolated envs.

Frontends build in a new temporary environment every time (pip's build
isolation), so the interpreter and site-packages paths change between two
builds of the same tree. CMake caches such paths, and ninja records the
headers it read through them. The build directory therefore holds a *view*
of the current environment at fixed paths — a ``python`` launcher and one
directory per site-packages directory (see ``envview``) — and CMake only
ever sees those. A new environment updates the view; the cache stays valid.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ironwheel._fs import clean_stale, write_if_changed
from ironwheel._lock import file_lock
from ironwheel.cmake.envview import sync_view

__all__ = ["STAGING_TREES", "BuildDir", "site_directories"]

log = logging.getLogger("ironwheel")

# Subdirectories of the staging tree, by the name CMake sees them under.
STAGING_TREES = ("platlib", "data", "scripts", "headers", "metadata", "null")

_IGNORE_HEADER = "# Created by ironwheel."
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This directory is a build directory created by ironwheel.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def site_directories() -> list[Path]:
    """The site-packages directories of the running (possibly isolated) environment."""
    found: list[Path] = []
    for entry in sys.path:
        if not entry or Path(entry).name not in ("site-packages", "dist-packages"):
            continue
        path = Path(entry)
        if path.is_dir() and path not in found:
            found.append(path)
    return found


@dataclasses.dataclass
class BuildDir:
    """A CMake build tree plus ironwheel's state in ``<build>/.ironwheel``."""

    path: Path
    temporary: bool = False

    @classmethod
    @contextmanager
    def open(cls, path: Path | None) -> Iterator[BuildDir]:
        """A persistent build dir at ``path``, or a temporary one when None."""
        if path is not None:
            build_dir = cls(path.resolve())
            build_dir._prepare()
            yield build_dir
            return
        with tempfile.TemporaryDirectory(prefix="ironwheel-build-") as name:
            build_dir = cls(Path(name).resolve(), temporary=True)
            build_dir._prepare()
            yield build_dir

    def _prepare(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)

    def _mark(self) -> None:
        """Tell git (and sdists) to leave the build dir alone, without overwriting the user's files."""
        if self.temporary:
            return
        ignore = self.path / ".gitignore"
        if not ignore.exists() or ignore.read_text(encoding="utf-8", errors="replace").startswith(
            _IGNORE_HEADER
        ):
            write_if_changed(ignore, f"{_IGNORE_HEADER}\n*\n")
        write_if_changed(self.path / "CACHEDIR.TAG", _CACHEDIR_TAG)

    @property
    def state_dir(self) -> Path:
        return self.path / ".ironwheel"

    @property
    def outputs(self) -> Path:
        """Where wheels are written before they are moved, finished, into the output directory."""
        return self.state_dir / "outputs"

    @property
    def staging(self) -> Path:
        return self.state_dir / "staging"

    def tree(self, name: str) -> Path:
        """One staging tree (``platlib``, ``data``, ...)."""
        return self.staging / name

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive use of this build dir by this process."""
        with file_lock(self.state_dir / "lock", what=str(self.path)):
            # What killed builds left half-written: theirs alone, since the lock is ours.
            shutil.rmtree(self.outputs, ignore_errors=True)
            for directory in (self.path, self.state_dir):
                for name in clean_stale(directory):
                    log.info("removed %s, left by a build that was killed", directory / name)
            self._mark()
            yield

    def read_state(self) -> dict[str, Any]:
        """What the last successful configure recorded (empty if nothing)."""
        try:
            data = json.loads((self.state_dir / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_state(self, state: dict[str, Any]) -> None:
        write_if_changed(self.state_dir / "state.json", json.dumps(state, indent=2, sort_keys=True) + "\n")

    def forget_state(self) -> None:
        (self.state_dir / "state.json").unlink(missing_ok=True)

    def wipe_cache(self) -> None:
        """Drop CMake's cache and object files, keeping fetched dependencies."""
        (self.path / "CMakeCache.txt").unlink(missing_ok=True)
        shutil.rmtree(self.path / "CMakeFiles", ignore_errors=True)
        self.forget_state()

    def stable_program(self, name: str, path: Path) -> Path:
        """A fixed path for a program that may live in a temporary environment (ninja from PyPI)."""
        if os.name == "nt" or self.temporary:
            return path
        link = self.state_dir / "env" / name
        link.parent.mkdir(exist_ok=True)
        if not (link.is_symlink() and os.readlink(link) == str(path)):
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(path)
        return link

    def environment_view(
        self, python: Path, base_python: Path, sites: Sequence[Path]
    ) -> tuple[Path, list[Path]]:
        """Stable stand-ins for ``python`` and ``sites``: (interpreter, prefix paths)."""
        if os.name == "nt" or self.temporary:
            return python, list(sites)
        view = self.state_dir / "env"
        view.mkdir(exist_ok=True)
        links = sync_view(view, sites)
        # Packages are imported through the view, so that what they report to
        # CMake (`python -m nanobind --cmake_dir`) is a path that stays put.
        search = ":".join(link.as_posix() for link in links)
        launcher = view / "python"
        write_if_changed(
            launcher,
            "#!/bin/sh\n"
            "# Written by ironwheel: the interpreter of the latest build of this tree.\n"
            f'PYTHONPATH="{search}${{PYTHONPATH:+:$PYTHONPATH}}"\n'
            "export PYTHONPATH\n"
            f'if [ -x "{python}" ]; then exec "{python}" "$@"; fi\n'
            f'exec "{base_python}" "$@"\n',
            mode=0o755,
        )
        return launcher, links
