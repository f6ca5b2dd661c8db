"""Writing files safely: atomically, with normal permissions, only when changed.

An output (a wheel, an sdist) is written in a work directory and moved into
place when it is complete, so the output directory never holds anything but
finished files, even when the build is killed. Where the move would cross
file systems, the file is copied to a hidden temporary file beside the
target and renamed. Temporary files carry the writing process's id
(``.<name>.<pid>-<random>.tmp``): those of processes that are gone (killed
builds) are removed by the next build that writes there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_output", "clean_stale", "write_if_changed"]

_TEMPORARY = re.compile(r"^\..+\.(?P<pid>\d+)-[A-Za-z0-9_]+\.tmp$")


def _default_mode() -> int:
    """What open() would give a new file: 0o666 minus the umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _temporary(directory: Path, name: str) -> Path:
    """A new empty hidden file in ``directory`` named after ``name`` and this process."""
    handle, path = tempfile.mkstemp(prefix=f".{name}.{os.getpid()}-", suffix=".tmp", dir=directory)
    os.close(handle)
    return Path(path)


def _alive(pid: int) -> bool:
    if os.name == "nt" or pid == os.getpid():
        return True  # os.kill(pid, 0) is no probe on Windows; nothing is removed there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


def clean_stale(directory: Path) -> list[str]:
    """Remove the temporary files of processes that are gone from ``directory``; return their names."""
    removed: list[str] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None or _alive(int(match.group("pid"))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(entry.name)
    return removed


def _move(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``; across file systems, through a hidden copy beside the target."""
    try:
        os.replace(source, target)
        return
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
    beside = _temporary(target.parent, target.name)
    try:
        shutil.copyfile(source, beside)
        shutil.copymode(source, beside)
        os.replace(beside, target)
    finally:
        beside.unlink(missing_ok=True)


@contextmanager
def atomic_output(target: Path, mode: int | None = None, *, work_dir: Path | None = None) -> Iterator[Path]:
    """Yield a temporary path in ``work_dir`` (else a temporary directory); move it to ``target`` on success.

    Stale temporary files of killed builds beside ``target`` are removed first.
    A failure to write (a full disk, a read-only directory) names ``target``, not its temporary file.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _about(error, target) from None
    clean_stale(target.parent)
    with contextlib.ExitStack() as stack:
        if work_dir is None:
            work_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ironwheel-")))
        else:
            work_dir.mkdir(parents=True, exist_ok=True)
        temporary = _temporary(work_dir, target.name)
        try:
            yield temporary
            # mkstemp creates files readable by their owner only.
            temporary.chmod(_default_mode() if mode is None else mode)
            _move(temporary, target)
        except OSError as error:
            # A temporary file (ours, in the work dir or beside the target) is not what the user asked for.
            if error.filename is None or Path(str(error.filename)).name.startswith(f".{target.name}."):
                raise _about(error, target) from None
            raise
        finally:
            temporary.unlink(missing_ok=True)


def _about(error: OSError, target: Path) -> OSError:
    """The same error, naming the file the user asked for."""
    return type(error)(error.errno, error.strerror, str(target))


def write_if_changed(path: Path, content: str | bytes, mode: int | None = None) -> bool:
    """Write ``content`` unless the file already holds it, keeping its time for ninja.

    Returns whether the file was written.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    # Beside the file (no cleaning: the build dir is cleaned once, when a build takes its lock).
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(path.parent, path.name)
    try:
        temporary.write_bytes(data)
        temporary.chmod(_default_mode() if mode is None else mode)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return True
