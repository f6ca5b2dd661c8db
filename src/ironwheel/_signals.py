"""Interrupts and termination: cleanups run, and the user sees one line.

Ctrl-C raises KeyboardInterrupt; SIGTERM (a frontend's timeout, a cancelled
CI job) is turned into :class:`Terminated`, so that the same ``finally``
blocks run: subprocesses are stopped and no half-written output is left
(see ``_fs.atomic_output``). Both are BaseExceptions, never caught by the
handlers of ordinary errors.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from ironwheel.errors import IronwheelError

__all__ = ["Terminated", "interruption", "terminable"]


class Terminated(BaseException):
    """The process received SIGTERM (a signal, like KeyboardInterrupt, not an error)."""


def _raise(signum: int, frame: FrameType | None) -> None:
    del signum, frame
    raise Terminated


@contextmanager
def terminable() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` (in the main thread; elsewhere nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def interruption(caught: BaseException) -> tuple[IronwheelError, int]:
    """The one-line error for KeyboardInterrupt or :class:`Terminated`, and the exit code (128 + signal)."""
    if isinstance(caught, Terminated):
        return IronwheelError("terminated"), 128 + signal.SIGTERM
    return IronwheelError("interrupted"), 128 + signal.SIGINT
