"""Presentation: logging to stderr, colour, and reporting errors.

The library only logs (``logging.getLogger("ironwheel")``); this module, used
by the hook wrapper and the CLI, decides how that looks.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

from ironwheel._signals import Terminated, interruption
from ironwheel.errors import IronwheelError, format_error, from_os_error, printable

__all__ = ["PRESENTED", "configure_logging", "present", "report_error", "use_color"]

# What the hook wrapper and the command line turn into output and an exit code, never a traceback.
PRESENTED: tuple[type[BaseException], ...] = (IronwheelError, OSError, KeyboardInterrupt, Terminated)

_HANDLER_NAME = "ironwheel-stderr"


def use_color(stream: TextIO) -> bool:
    """Colour only for a terminal, honouring NO_COLOR and FORCE_COLOR."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class _Formatter(logging.Formatter):
    def __init__(self, color: bool) -> None:
        super().__init__()
        self._color = color

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            message = printable(message)
            label = "warning:" if record.levelno == logging.WARNING else "error:"
            if self._color:
                label = f"\033[1;33m{label}\033[0m"
            return f"{label} {message}"
        prefix = "ironwheel:"
        if self._color:
            prefix = f"\033[1;36m{prefix}\033[0m"
        return f"{prefix} {message}"


def configure_logging(*, verbose: bool = False, quiet: bool = False, stream: TextIO | None = None) -> None:
    """Send ironwheel's log records to stderr (idempotent).

    ``verbose`` (or IRONWHEEL_DEBUG) adds debug records; ``quiet`` (or
    IRONWHEEL_QUIET) keeps warnings and errors only, and the output of the
    programs run is then shown only when one fails.
    """
    logger = logging.getLogger("ironwheel")
    stream = stream or sys.stderr
    for handler in logger.handlers:
        if handler.get_name() == _HANDLER_NAME:
            logger.removeHandler(handler)
    handler = logging.StreamHandler(stream)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(_Formatter(use_color(stream)))
    logger.addHandler(handler)
    if verbose or os.environ.get("IRONWHEEL_DEBUG"):
        logger.setLevel(logging.DEBUG)
    elif quiet or os.environ.get("IRONWHEEL_QUIET"):
        logger.setLevel(logging.WARNING)
    else:
        logger.setLevel(logging.INFO)
    logger.propagate = False


def report_error(error: IronwheelError, stream: TextIO | None = None) -> None:
    """Print an error the one way errors are printed."""
    stream = stream or sys.stderr
    stream.write(format_error(error, color=use_color(stream)) + "\n")
    stream.flush()


def present(caught: BaseException, stream: TextIO | None = None) -> int:
    """Print a user error, a file-system failure or an interruption (one of PRESENTED); its exit code.

    The one presentation for the hook wrapper and the command line.
    """
    if isinstance(caught, (KeyboardInterrupt, Terminated)):
        # The frontend decides what its own exit means; ours is 128 + the signal.
        problem, code = interruption(caught)
    elif isinstance(caught, IronwheelError):
        problem, code = caught, caught.exit_code
    elif isinstance(caught, OSError):
        problem = from_os_error(caught)
        code = problem.exit_code
    else:
        raise caught
    report_error(problem, stream)
    return code
