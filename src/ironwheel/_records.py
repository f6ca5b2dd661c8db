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

__all__ = ["Record", "file_stat", "is_racy", "read_text", "signature", "write_text"]

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


def signature(path: str | os.PathLike[str], *, ctime: bool = True) -> list[int] | None:
    """What tells a file's content apart without reading it, or None when it cannot be seen.

    Type and mode, device and inode, size, and the modification and
    status-change times: a file rewritten in place, even one given back its
    old modification time, has a new status-change time, and one moved into
    its place a new inode. For a symbolic link, the link's and its target's
    (or -1 for a broken link). A directory's times change when an entry is
    added, removed or renamed. A list, as it reads back from JSON.

    ``ctime=False`` leaves the status-change time out (0), for programs:
    linking one (as builds keep copies of tools) changes it, while nothing
    replaces a program without a new inode or modification time.
    """
    try:
        info = os.lstat(path)
    except OSError:
        return None
    found = [
        info.st_mode,
        info.st_dev,
        info.st_ino,
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns if ctime else 0,
    ]
    if (info.st_mode & 0o170000) == 0o120000:  # S_ISLNK, without importing stat
        try:
            target = os.stat(path)
        except OSError:
            return [*found, -1]
        found += [target.st_mode, target.st_dev, target.st_ino, target.st_size]
        found += [target.st_mtime_ns, target.st_ctime_ns if ctime else 0]
    return found


# How close to "now" a file's times may be before its signature proves nothing: a file system
# keeps times in ticks (a clock tick of milliseconds; one or two seconds on some), and a file
# changed again within the tick of the signature keeps its times.
_FINE_RACY_NS = 100_000_000
_COARSE_RACY_NS = 2_000_000_000


def is_racy(found: list[int], now_ns: int) -> bool:
    """Whether a :func:`signature` taken at ``now_ns`` (``time.time_ns()``) may miss a change to come.

    Times in whole seconds mean a file system that keeps no finer ones.
    """
    times = [value for value in found[4:6] + found[10:12] if value]
    coarse = all(value % 1_000_000_000 == 0 for value in times)
    return now_ns - max(times) < (_COARSE_RACY_NS if coarse else _FINE_RACY_NS)


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
        try:  # noqa: SIM105 - one left by an earlier process of this pid
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        # "x": never through a link or a file someone else put at the name.
        with open(temporary, "x", encoding="utf-8") as handle:
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
