"""The one exception hierarchy, and the one place that turns it into text.

Every user-facing failure is an :class:`IronwheelError`. It carries a one-line
``message``, optional ``details`` (one line per problem when several are
reported at once) and a ``hint`` that says how to fix it. Exit codes are
stable per class and documented in the README.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from typing import ClassVar

__all__ = [
    "BuildError",
    "CommandError",
    "ConfigError",
    "IronwheelError",
    "PackagingError",
    "ProjectDirError",
    "ToolError",
    "format_error",
    "from_os_error",
    "printable",
]


class IronwheelError(Exception):
    """Base class for every error ironwheel reports to a user."""

    exit_code: ClassVar[int] = 1

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        details: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = tuple(details)


class ConfigError(IronwheelError):
    """pyproject.toml, [tool.ironwheel], -C settings or IRONWHEEL_* variables are wrong."""

    exit_code = 2


class ToolError(IronwheelError):
    """A required program (cmake, ninja, a compiler) is missing or unusable."""

    exit_code = 3


class BuildError(IronwheelError):
    """A build step (configure, compile, install) failed."""

    exit_code = 4


class CommandError(BuildError):
    """A subprocess exited non-zero; ``output`` holds the tail of what it printed."""

    def __init__(
        self,
        command: Sequence[str],
        returncode: int,
        output: Sequence[str],
        *,
        message: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.command = tuple(command)
        self.returncode = returncode
        self.output = tuple(output)
        name = command[0].rsplit("/", 1)[-1] if command else "command"
        super().__init__(message or f"{name} failed with exit code {returncode}", hint=hint)


class PackagingError(IronwheelError):
    """The project cannot be turned into a valid wheel or sdist."""

    exit_code = 5


class ProjectDirError(IronwheelError):
    """``new`` or ``init`` cannot write there: the directory exists, is missing or holds a project."""

    exit_code = 6


# Errors that can only come from writing: the file was reachable, its disk was not.
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EFBIG})


def from_os_error(error: OSError) -> IronwheelError:
    """A file-system failure (permissions, a full disk) as an error for the user."""
    what = f" {error.filename}" if error.filename else ""
    verb = "write" if error.errno in _WRITE_ERRORS else "access"
    hint = (
        "check that the project and output directories are writable and the disk is not full "
        "(-C build.dir= builds in a temporary directory)"
    )
    if error.errno == errno.ENAMETOOLONG:
        hint = (
            "shorten the name: file systems allow 255 bytes for one name (the project name is part of many)"
        )
    return IronwheelError(f"cannot {verb}{what}: {error.strerror or error}", hint=hint)


# Control characters (C0, DEL, C1) as escapes: a newline or a terminal escape that came from a
# setting, a file name or a tool's output must not start a line of its own or drive the terminal.
_CONTROL = {code: f"\\x{code:02x}" for code in (*range(32), *range(127, 160))}
_CONTROL.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
# A file name that is not UTF-8 reaches Python with its bytes as lone surrogates: shown as the bytes.
_CONTROL.update({code: f"\\u{code:04x}" for code in range(0xD800, 0xE000)})
_CONTROL.update({0xDC00 + byte: f"\\x{byte:02x}" for byte in range(0x80, 0x100)})


def printable(text: str) -> str:
    """``text`` on one line, with control characters and undecodable bytes escaped."""
    return text.translate(_CONTROL)


def format_error(error: IronwheelError, *, color: bool = False) -> str:
    """Render an error as ``error: ...`` lines followed by ``hint: ...``."""
    red, yellow, bold, reset = ("\033[31m", "\033[33m", "\033[1m", "\033[0m") if color else ("", "", "", "")
    lines = [f"{bold}{red}error:{reset} {printable(error.message)}"]
    lines.extend(f"  {printable(detail)}" for detail in error.details)
    if error.hint:
        lines.append(f"{bold}{yellow}hint:{reset} {printable(error.hint)}")
    return "\n".join(lines)
