"""The build directory's view of the build environment, at paths that never change.

Each site-packages directory of the (possibly temporary) environment gets a
directory ``<build>/.ironwheel/env/site-<n>``. Most of its entries are
symbolic links to the environment's. Packages that CMake can find through
the prefix path (a ``<pkg>/cmake/*Config.cmake`` or
``<pkg>/{share,lib,lib64}/cmake/*/*Config.cmake``, CMake's own search
locations) are *copied* instead, and kept in sync by content: some of them
resolve their real path (nanobind does), which a symbolic link cannot hide,
and a copied file whose content did not change keeps its old time, so ninja
does not rebuild what includes it. A file new to the view is a hard link
where the file system allows (the first build of a tree makes them at
once); one whose content changed is replaced by a copy, whose time is that
of the copy, so that ninja sees the change. None is ever written through.
Packages too large to copy stay links.
"""

from __future__ import annotations

import dataclasses
import filecmp
import logging
import os
import shutil
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["MIRROR_LIMIT", "EnvironmentView", "materialize", "materialize_environment", "sync_view"]

log = logging.getLogger("ironwheel")


@dataclasses.dataclass(frozen=True)
class EnvironmentView:
    """What CMake is shown of the build environment: paths that stay put from one build to the next.

    Where no view is kept (Windows, a temporary build dir) these are the environment's own paths.
    """

    python: Path  # the interpreter, or the view's launcher of it
    sites: tuple[Path, ...]  # a stand-in for each site-packages directory, in order
    real_sites: tuple[Path, ...]  # the environment's site-packages directories
    make_program: Path | None = None  # ninja, at a path of the view

    def stable(self, path: Path) -> str:
        """A path inside the environment, seen through the view."""
        for real, link in zip(self.real_sites, self.sites):
            if path == real or real in path.parents:
                return (link / path.relative_to(real)).as_posix()
        return path.as_posix()


MIRROR_LIMIT = 64 * 1024 * 1024  # bytes; larger CMake packages are linked, not copied
_CONFIG_DIRS = ("cmake", "CMake", "share/cmake/*", "lib/cmake/*", "lib64/cmake/*")


def _is_cmake_package(path: Path) -> bool:
    if not path.is_dir() or path.name.endswith((".dist-info", ".data")) or path.name == "__pycache__":
        return False
    for pattern in _CONFIG_DIRS:
        for directory in path.glob(pattern):
            if any(directory.glob("*Config.cmake")) or any(directory.glob("*-config.cmake")):
                return True
    return False


def _size(path: Path, limit: int) -> int:
    total = 0
    for directory, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.stat(os.path.join(directory, name)).st_size
            except OSError:
                continue
            if total > limit:
                return total
    return total


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _link(link: Path, target: Path) -> None:
    if link.is_symlink() and os.readlink(link) == str(target):
        return
    if link.is_symlink() or link.exists():
        _remove(link)
    link.symlink_to(target, target_is_directory=target.is_dir())


def _unchanged(source: os.DirEntry[str], copy: Path) -> bool:
    """Whether ``copy`` holds what ``source`` holds.

    A link to the very file is; any other is compared by content (the file may
    come from another environment that the build dir saw, and its times tell nothing).
    """
    try:
        mine = copy.lstat()
        theirs = source.stat()
    except OSError:
        return False
    if not stat.S_ISREG(mine.st_mode) or mine.st_size != theirs.st_size:
        return False
    same_file = (mine.st_ino, mine.st_dev) == (theirs.st_ino, theirs.st_dev)
    return same_file or filecmp.cmp(source.path, copy, shallow=False)


def _mirror(source: Path, copy: Path) -> None:
    """Make ``copy`` a copy of ``source``, rewriting only files whose content differs."""
    if copy.is_symlink() or copy.is_file():
        copy.unlink()
    copy.mkdir(exist_ok=True)
    wanted = {entry.name: entry for entry in os.scandir(source)}
    for stale in os.scandir(copy):
        if stale.name not in wanted:
            _remove(Path(stale.path))
    for name, entry in wanted.items():
        target = copy / name
        if entry.is_dir(follow_symlinks=True):
            _mirror(Path(entry.path), target)
        elif entry.is_file(follow_symlinks=True):
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            if not _unchanged(entry, target):
                replaced = target.is_symlink() or target.exists()
                if replaced:
                    # Never written through: the file there may be a link to another environment's.
                    target.unlink()
                    # A copy, whose time is now: ninja must see that what it read before changed,
                    # and an environment's file may be older than the build (installers keep times).
                    shutil.copyfile(entry.path, target)
                    shutil.copymode(entry.path, target)
                else:
                    _link_or_copy(entry.path, str(target))


def sync_view(view: Path, sites: Sequence[Path]) -> list[Path]:
    """Bring ``view/site-<n>`` up to date with ``sites``; return those directories."""
    directories: list[Path] = []
    for index, site in enumerate(sites):
        directory = view / f"site-{index}"
        if directory.is_symlink():  # the layout of earlier versions
            directory.unlink()
        directory.mkdir(parents=True, exist_ok=True)
        names = {entry.name for entry in os.scandir(site)}
        for stale in os.scandir(directory):
            if stale.name not in names:
                _remove(Path(stale.path))
        for name in sorted(names):
            source = site / name
            if _is_cmake_package(source) and _size(source, MIRROR_LIMIT) <= MIRROR_LIMIT:
                _mirror(source, directory / name)
            else:
                _link(directory / name, source)
        directories.append(directory)
    for leftover in view.glob("site-*"):
        if leftover not in directories:
            _remove(leftover)
    return directories


def _link_or_copy(source: str, target: str) -> None:
    """A hard link where possible, else a copy; either keeps the file's time (ninja saw it)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def materialize(view: Path, paths: Iterable[str]) -> list[str]:
    """Replace the linked entries of the view that hold any of ``paths`` by copies.

    For builds that must outlive their environment (editable installs): the
    headers ninja read through a link (numpy's, say) stay where the compile
    commands expect them after the environment is deleted. Returns the names
    of the entries copied.
    """
    prefix = view.as_posix() + "/"
    copied: list[str] = []
    for path in sorted(paths):
        if not path.startswith(prefix):
            continue
        parts = path[len(prefix) :].split("/")
        if len(parts) < 2:
            continue
        entry = view / parts[0] / parts[1]
        if not entry.is_symlink():
            continue
        target = Path(os.readlink(entry))
        if not target.exists():
            continue
        entry.unlink()
        if target.is_dir():
            shutil.copytree(target, entry, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(target), str(entry))
        copied.append(parts[1])
    return copied


def materialize_environment(view: Path, roots: Sequence[Path], skip: Iterable[str] = ()) -> list[str]:
    """Copy every linked entry of the view that lives in one of ``roots``.

    For builds that must outlive a temporary environment: a custom command
    of the build (Cython, f2py, a project's own code generator) runs the
    view's Python, and imports whatever the environment had. ``skip`` names
    top-level entries not to copy (tools kept elsewhere), with their
    ``.dist-info`` directories. Returns the names of the entries copied.
    """
    skipped = {name.lower() for name in skip}
    paths: list[str] = []
    for site in sorted(view.glob("site-*")):
        for entry in sorted(site.iterdir()):
            name = entry.name.split("-")[0] if entry.name.endswith(".dist-info") else entry.name
            if not entry.is_symlink() or name.lower() in skipped or name == "__pycache__":
                continue
            target = Path(os.readlink(entry))
            if any(root == target or root in target.parents for root in roots):
                paths.append(f"{entry.as_posix()}/")
    return materialize(view, paths)
