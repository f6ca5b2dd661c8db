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
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        # mkstemp creates files readable by their owner only.
        temporary.chmod(_default_mode() if mode is None else mode)
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


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
