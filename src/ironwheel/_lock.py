"""An inter-process lock on a file, so two builds never share a build dir at once.

The lock's file descriptor is inherited by the programs the build runs
(``_run.run`` passes it on), and by theirs: a build that is killed keeps its
build dir locked until the last of its compilers has exited, and the next
build waits for them instead of racing them.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["file_lock", "held"]

log = logging.getLogger("ironwheel")

_held: list[int] = []
_NAME_AFTER = 5.0  # seconds of waiting before the lock's holders are named


def held() -> tuple[int, ...]:
    """The file descriptors of the locks this process holds, for the programs it runs."""
    return tuple(_held)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _holders(path: Path) -> list[str]:
    """The processes that have ``path`` open, as "pid (name)" (Linux; elsewhere none are named)."""
    found: list[str] = []
    try:
        pids = [entry for entry in os.listdir("/proc") if entry.isdigit() and int(entry) != os.getpid()]
    except OSError:
        return found
    real = os.path.realpath(path)
    for pid in pids:
        try:
            if any(os.path.realpath(f"/proc/{pid}/fd/{fd}") == real for fd in os.listdir(f"/proc/{pid}/fd")):
                with open(f"/proc/{pid}/comm", encoding="utf-8") as handle:
                    found.append(f"{pid} ({handle.read().strip()})")
        except OSError:
            continue
    return found


@contextmanager
def file_lock(path: Path, *, what: str) -> Iterator[None]:
    """Hold an exclusive lock on ``path``; wait (and say so) while another process has it.

    A build that is interrupted leaves the lock to the programs it started that
    still run (they share it; see the module's docstring): it is released when
    the last of them exits. Otherwise it is released when the build ends, even
    if a daemon one of them started (a compiler cache's server) shares it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            log.info("waiting for another build using %s", what)
            started = time.monotonic()
            named = False
            while not _try_lock(fd):
                if not named and time.monotonic() - started > _NAME_AFTER:
                    named = True
                    holders = _holders(path)
                    if holders:
                        log.info("the build dir's lock is held by %s", ", ".join(holders))
                time.sleep(0.1)
        _held.append(fd)
        interrupted = False
        try:
            yield
        except Exception:
            raise
        except BaseException:
            # Ctrl-C, SIGTERM: what still runs keeps the lock, and the next build waits for it.
            interrupted = True
            raise
        finally:
            _held.remove(fd)
            if not interrupted:
                _unlock(fd)
    finally:
        os.close(fd)
