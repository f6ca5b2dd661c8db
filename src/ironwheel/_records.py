"""Records kept in the build directory: read tolerantly, written atomically.

A record is what an earlier build learnt, kept to spare the next one work.
Reading one never fails: a missing, damaged or foreign record (another
version's layout, a half-written file of a killed build) means "unknown",
and the caller works the answer out again. Writing one replaces the file in
a single rename, and a record that cannot be written is only a lost saving.

This module imports nothing but ``os`` until a record is read, so that the
import-light ``_requires.py`` can share it.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    _T = TypeVar("_T")

__all__ = ["Record", "file_stat", "read_text", "write_text"]

# What a foreign or damaged record raises while it is decoded.
_FOREIGN = (KeyError, TypeError, ValueError, AttributeError, IndexError)


def file_stat(path: str | os.PathLike[str]) -> list[int] | None:
    """``[mtime_ns, size]`` of a file, or None when it cannot be seen: what records compare.

    A list, as it reads back from JSON.
    """
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_size]


def read_text(path: str | os.PathLike[str]) -> str | None:
    """The text of a record file, or None."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def _debug(message: str, *args: object) -> None:
    import logging  # only a failure pays for it

    logging.getLogger("ironwheel").debug(message, *args)


def write_text(path: str | os.PathLike[str], text: str) -> bool:
    """Replace the file with ``text`` in one rename (never in a directory that is missing).

    The temporary file is named like ``_fs``'s, so that one left by a killed
    build is removed by the next build that takes the lock. Returns whether
    the record was written.
    """
    path = os.fspath(path)
    directory, name = os.path.split(path)
    temporary = os.path.join(directory, f".{name}.{os.getpid()}-record.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as error:
        _debug("cannot write %s: %s", path, error)
        try:  # noqa: SIM105 - contextlib is one import more for _requires.py
            os.unlink(temporary)
        except OSError:
            pass
        return False
    return True


def _plain(value: object) -> Any:
    """``value`` as it reads back from JSON (tuples become lists), so that keys compare equal."""
    import json

    return json.loads(json.dumps(value, sort_keys=True))


class Record:
    """One JSON record; ``path`` None keeps nothing (a temporary build directory)."""

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = None if path is None else os.fspath(path)

    def __repr__(self) -> str:
        return f"Record({self.path!r})"

    def load(self, decode: Callable[[Any], _T]) -> _T | None:
        """The record decoded, or None when it is missing, damaged or foreign."""
        import json

        text = read_text(self.path) if self.path is not None else None
        if text is None:
            return None
        try:
            return decode(json.loads(text))
        except _FOREIGN:
            return None

    def save(self, data: object) -> bool:
        """Write ``data`` (unless the record already holds exactly it); return whether it is kept."""
        import json

        if self.path is None:
            return False
        text = json.dumps(data, indent=1, sort_keys=True) + "\n"
        return read_text(self.path) == text or write_text(self.path, text)

    def recall(self, key: object, decode: Callable[[Any], _T]) -> _T | None:
        """The value kept with ``key``; None when the record was kept for other inputs."""

        def matching(data: Any) -> _T | None:
            return decode(data["value"]) if data["key"] == _plain(key) else None

        return self.load(matching)

    def keep(self, key: object, value: object) -> bool:
        """Keep ``value`` for ``key``: :meth:`recall` gives it back while the key is the same."""
        return self.save({"key": key, "value": value})

    def forget(self) -> None:
        if self.path is not None:
            try:  # noqa: SIM105 - contextlib is one import more for _requires.py
                os.unlink(self.path)
            except OSError:
                pass
