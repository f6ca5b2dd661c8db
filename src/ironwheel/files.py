"""Choosing the project's files: .gitignore-aware, with include/exclude patterns.

Used by the sdist (the whole project) and by the wheel (the files of each
Python package). Version-control directories, virtual environments, build
and cache directories (anything with a CACHEDIR.TAG) and bytecode are never
selected, whatever the patterns say.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from ironwheel._gitignore import Rules

__all__ = ["Selection", "select_files"]

log = logging.getLogger("ironwheel")

_VCS_DIRS = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", ".jj"})
_NEVER_FILES = (".pyc", ".pyo")
# Left out by default; sdist.include can bring them back.
DEFAULT_EXCLUDES = (
    "__pycache__/",
    ".tox/",
    ".nox/",
    ".eggs/",
    "*.egg-info/",
    ".mypy_cache/",
    ".pytest_cache/",
    ".ruff_cache/",
    ".DS_Store",
    "/dist/",
)


@dataclasses.dataclass(frozen=True)
class Selection:
    """What to pick from a directory tree."""

    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    never: Sequence[Path] = ()  # absolute directories never entered (build dirs)
    use_gitignore: bool = True


def _never_enter(path: Path) -> bool:
    """Virtual environments and tagged cache directories (ironwheel's build dirs)."""
    return any((path / marker).exists() for marker in ("pyvenv.cfg", "conda-meta", "CACHEDIR.TAG"))


def _ancestor_rules(root: Path, start: Path) -> list[tuple[str, Rules]]:
    """The ignore rules of ``root`` and every directory down to ``start``."""
    stack: list[tuple[str, Rules]] = []
    exclude = Rules.from_file(root / ".git" / "info" / "exclude")
    if exclude:
        stack.append(("", exclude))
    relative = start.relative_to(root).parts
    for depth in range(len(relative)):
        directory = root.joinpath(*relative[:depth])
        rules = Rules.from_file(directory / ".gitignore")
        if rules:
            stack.append(("/".join(relative[:depth]), rules))
    return stack


def _ignored(stack: list[tuple[str, Rules]], path: str, is_dir: bool) -> bool:
    for base, rules in reversed(stack):
        relative = path[len(base) + 1 :] if base else path
        verdict = rules.match(relative, is_dir)
        if verdict is not None:
            return verdict
    return False


def select_files(root: Path, selection: Selection, start: Path | None = None) -> list[str]:
    """Sorted POSIX paths, relative to ``root``, of the files selected under ``start``.

    Symbolic links are followed (their targets are packed as files), except a
    link back to a directory the walk is already inside.
    """
    root = Path(os.path.abspath(root))
    start = Path(os.path.abspath(start or root))
    include = Rules(selection.include)
    exclude = Rules((*DEFAULT_EXCLUDES, *selection.exclude))
    never = {path.resolve() for path in selection.never}
    stack = _ancestor_rules(root, start) if selection.use_gitignore else []

    def walk(
        directory: Path, relative: str, stack: list[tuple[str, Rules]], hidden: bool, chain: frozenset[Path]
    ) -> Iterator[str]:
        real = directory.resolve()
        if real in chain:
            log.warning("not following %s: it loops back to %s", directory, real)
            return
        chain = chain | {real}
        if selection.use_gitignore:
            rules = Rules.from_file(directory / ".gitignore")
            if rules:
                stack = [*stack, (relative, rules)]
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            log.warning("cannot list %s: %s", directory, error.strerror)
            return
        for entry in entries:
            path = f"{relative}/{entry.name}" if relative else entry.name
            full = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name in _VCS_DIRS or full.resolve() in never or _never_enter(full):
                    continue
            elif entry.name.endswith(_NEVER_FILES) or not entry.is_file():
                if entry.is_symlink() and not full.exists():
                    log.warning("leaving out %s: the symbolic link is broken", path)
                continue
            dropped = hidden or exclude.match(path, is_dir) or _ignored(stack, path, is_dir)
            if is_dir:
                # An ignored directory is still entered when includes may pick files in it.
                if not dropped or include:
                    yield from walk(full, path, stack, bool(dropped), chain)
            elif not dropped or include.ignores(path):
                yield path

    relative = "" if start == root else start.relative_to(root).as_posix()
    return sorted(walk(start, relative, stack, False, frozenset()))
