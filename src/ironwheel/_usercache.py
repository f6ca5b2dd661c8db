"""ironwheel's user cache: what any build on this machine may learn once for all.

``IRONWHEEL_CACHE_DIR`` when set (empty: no user cache), else
``$XDG_CACHE_HOME/ironwheel`` (else ``~/.cache/ironwheel``; on macOS
``~/Library/Caches/ironwheel``, on Windows ``%LOCALAPPDATA%\\ironwheel\\Cache``).
It holds records (``_records.Record``) only, each a saving and never a
source of truth: a cache that is missing, read-only, damaged or left by
another version is the same as an empty one, and deleting it at any time
is safe. Builds in a new directory (a fresh checkout, an unpacked sdist, a
deleted build dir) find there what an earlier build learnt, such as the
versions of the tools on PATH.

Like ``_records``, this imports nothing but ``os`` and ``sys``.
"""

from __future__ import annotations

import os
import sys

from ironwheel._records import _FOREIGN, Record, _plain

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, TypeVar

    _T = TypeVar("_T")

__all__ = ["Memo", "cache_dir", "user_record"]

_NAME = "ironwheel"
_VARIABLE = "IRONWHEEL_CACHE_DIR"


def cache_dir(environ: Mapping[str, str] | None = None) -> str | None:
    """The user cache directory (which may not exist), or None where there is no home to put it in."""
    environ = os.environ if environ is None else environ
    if _VARIABLE in environ:
        chosen = environ[_VARIABLE]
        return os.path.abspath(chosen) if chosen else None
    xdg = environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, _NAME)
    if sys.platform == "win32":
        local = environ.get("LOCALAPPDATA", "")
        return os.path.join(local, _NAME, "Cache") if os.path.isabs(local) else None
    home = environ.get("HOME", "")
    if not os.path.isabs(home):
        return None
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", _NAME)
    return os.path.join(home, ".cache", _NAME)


def user_record(name: str, environ: Mapping[str, str] | None = None) -> Record:
    """The record ``name`` in the user cache, made on first save; a record of nothing without a home."""
    directory = cache_dir(environ)
    return _UserRecord(os.path.join(directory, name) if directory is not None else None)


class _UserRecord(Record):
    """A record whose directory is made when it is first saved (a build dir's exists already)."""

    def save(self, data: object) -> bool:
        if self.path is not None:
            try:
                os.makedirs(os.path.dirname(self.path), exist_ok=True)
            except OSError:
                return False  # read-only, or not a directory: only a lost saving
        return super().save(data)


class Memo:
    """A few answers by their inputs, in one record of the user cache; the newest ``size`` are kept.

    For answers that depend on the environment rather than on a project (one
    per environment the user builds in, so the record stays small).
    """

    def __init__(self, name: str, size: int = 16, environ: Mapping[str, str] | None = None) -> None:
        self.record = user_record(name, environ)
        self.size = size

    def entries(self) -> list[list[Any]]:
        """Every ``[key, answer]`` kept, newest first (as they read back from JSON)."""
        entries = self.record.load(
            lambda data: [entry for entry in data if isinstance(entry, list) and len(entry) == 2]
        )
        return entries if isinstance(entries, list) else []

    def recall(self, key: object, decode: Callable[[Any], _T]) -> _T | None:
        """The answer kept for ``key``, decoded; None when there is none (or it is damaged)."""
        wanted = _plain(key)
        for found, value in self.entries():
            if found == wanted:
                try:
                    return decode(value)
                except _FOREIGN:
                    return None
        return None

    def keep(self, key: object, value: object) -> None:
        """Keep ``value`` for ``key``, first, dropping the oldest beyond ``size``."""
        wanted = _plain(key)
        entries = [entry for entry in self.entries() if entry[0] != wanted]
        self.record.save([[wanted, _plain(value)], *entries][: self.size])
