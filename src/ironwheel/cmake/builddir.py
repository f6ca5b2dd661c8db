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
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from ironwheel import _layout
from ironwheel._fs import clean_stale, write_if_changed
from ironwheel._lock import file_lock
from ironwheel._records import Record
from ironwheel.cmake.environment import BuildEnvironment
from ironwheel.cmake.envview import EnvironmentView, sync_view

__all__ = ["STAGING_TREES", "BuildDir", "RecordName"]

log = logging.getLogger("ironwheel")

# Subdirectories of the staging tree, by the name CMake sees them under.
STAGING_TREES = ("platlib", "data", "scripts", "headers", "metadata", "null")

RecordName = Literal[
    "state", "tools", "metadata", "entry-points", "env-files", "repair-check", "install", "wheel"
]
_RECORDS: dict[RecordName, str] = {
    "state": _layout.STATE,
    "tools": _layout.TOOLS,
    "metadata": _layout.METADATA,
    "entry-points": _layout.ENTRY_POINTS,
    "env-files": _layout.ENV_FILES,
    "repair-check": _layout.REPAIR_CHECK,
    "install": _layout.INSTALL,
    "wheel": _layout.WHEEL,
}

_IGNORE_HEADER = "# Created by ironwheel."
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This directory is a build directory created by ironwheel.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


@dataclasses.dataclass
class BuildDir:
    """A CMake build tree plus ironwheel's state in ``<build>/.ironwheel``, whose every path it names.

    ``BuildDir(path)`` only names paths; :meth:`open` makes the directory.
    """

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
        return self.path / _layout.STATE_DIR

    def record(self, name: RecordName) -> Record:
        """One record of what earlier builds learnt; a temporary build dir keeps none."""
        return Record(None if self.temporary else self.state_dir / _RECORDS[name])

    @property
    def outputs(self) -> Path:
        """Where wheels are written before they are moved, finished, into the output directory."""
        return self.state_dir / _layout.OUTPUTS

    @property
    def last_wheel(self) -> Path:
        """The directory of the last wheel written (``builds/lastwheel.py``)."""
        return self.state_dir / _layout.LAST_WHEEL

    @property
    def staging(self) -> Path:
        return self.state_dir / _layout.STAGING

    @property
    def lock_file(self) -> Path:
        return self.state_dir / _layout.LOCK

    @property
    def generated(self) -> Path:
        """The directory of the CMake project written for the extension tables."""
        return self.state_dir / _layout.GENERATED

    @property
    def view(self) -> Path:
        """The view of the build environment (see ``envview``)."""
        return self.state_dir / _layout.ENV

    @property
    def tools(self) -> Path:
        """Kept copies of cmake and ninja (see ``cmake/tools.py``)."""
        return self.state_dir / _layout.TOOLS_DIR

    @property
    def repair_dir(self) -> Path:
        """The repair tool's work directory."""
        return self.state_dir / _layout.REPAIR

    @property
    def relink_marker(self) -> Path:
        """Lists the binaries of the last build that only patchelf could relink."""
        return self.state_dir / _layout.NEEDS_PATCHELF

    def cmake_file(self, name: str) -> Path:
        """A file written for CMake on every configure (``_layout.INIT_CACHE``, ...)."""
        return self.state_dir / name

    @property
    def editable_watch(self) -> Path:
        """The files an editable rebuild watches."""
        return self.state_dir / _layout.EDITABLE / _layout.EDITABLE_WATCH

    @property
    def editable_stamp(self) -> Path:
        """Its time is when the last successful build for an editable install started."""
        return self.state_dir / _layout.EDITABLE / _layout.EDITABLE_STAMP

    @property
    def editable_generated(self) -> Path:
        """``[[generate]]`` files with location "install", served to editable installs."""
        return self.state_dir / _layout.EDITABLE / _layout.EDITABLE_GENERATED

    def tree(self, name: str) -> Path:
        """One staging tree (``platlib``, ``data``, ...)."""
        return self.staging / name

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive use of this build dir by this process."""
        with file_lock(self.lock_file, what=str(self.path)):
            # What killed builds left half-written: theirs alone, since the lock is ours.
            shutil.rmtree(self.outputs, ignore_errors=True)
            for directory in (self.path, self.state_dir):
                for name in clean_stale(directory):
                    log.info("removed %s, left by a build that was killed", directory / name)
            self._mark()
            yield

    def read_state(self) -> dict[str, Any]:
        """What the last successful configure recorded (empty if nothing)."""
        return self._state.load(lambda data: data if isinstance(data, dict) else {}) or {}

    def write_state(self, state: dict[str, Any]) -> None:
        self._state.save(state)

    def forget_state(self) -> None:
        self._state.forget()

    @property
    def _state(self) -> Record:
        # Kept in a temporary build dir too: it describes the tree, for the build in progress.
        return Record(self.state_dir / _layout.STATE)

    def wipe_cache(self) -> None:
        """Drop CMake's cache and object files, keeping fetched dependencies."""
        (self.path / "CMakeCache.txt").unlink(missing_ok=True)
        shutil.rmtree(self.path / "CMakeFiles", ignore_errors=True)
        self.forget_state()

    def prepare_view(self, environment: BuildEnvironment, ninja: Path | None = None) -> EnvironmentView:
        """Bring the view of ``environment`` up to date (and ninja's stable path); CMake sees only it.

        A step of its own, before the configure is planned: it writes into
        the build dir, the plan only reads what it returns.
        """
        sites = environment.site_dirs
        if os.name == "nt" or self.temporary:
            return EnvironmentView(environment.executable, sites, sites, ninja)
        view = self.view
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
            f'if [ -x "{environment.executable}" ]; then exec "{environment.executable}" "$@"; fi\n'
            f'exec "{environment.base_executable}" "$@"\n',
            mode=0o755,
        )
        make_program = self._stable_program("ninja", ninja) if ninja is not None else None
        return EnvironmentView(launcher, tuple(links), sites, make_program)

    def _stable_program(self, name: str, path: Path) -> Path:
        """A fixed path for a program that may live in a temporary environment (ninja from PyPI)."""
        link = self.view / name
        link.parent.mkdir(exist_ok=True)
        if not (link.is_symlink() and os.readlink(link) == str(path)):
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(path)
        return link
