"""Writing files safely: atomically, with normal permissions, only when changed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_output", "write_if_changed"]


def _default_mode() -> int:
    """What open() would give a new file: 0o666 minus the umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_output(target: Path, mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place on success only."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise _about(error, target) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        # mkstemp creates files readable by their owner only.
        temporary.chmod(_default_mode() if mode is None else mode)
        os.replace(temporary, target)
    except OSError as error:
        # A failed write (a full disk says no file name) is about the target, not its temporary.
        if error.filename is None or error.filename == name:
            raise _about(error, target) from None
        raise
    finally:
        if temporary.exists():
            temporary.unlink()


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
    with atomic_output(path, mode) as temporary:
        temporary.write_bytes(data)
    return True
