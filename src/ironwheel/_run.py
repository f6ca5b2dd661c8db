"""The one way ironwheel runs a subprocess.

``run`` echoes ``+ command``, streams the child's output to stderr as it
arrives, and keeps the tail so that a failure can quote it. ``capture`` is for
short queries (``cmake --version``) whose output is parsed, not shown.
"""

from __future__ import annotations

import collections
import logging
import os
import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from ironwheel.errors import CommandError, ToolError

__all__ = ["capture", "run"]

log = logging.getLogger("ironwheel")

_TAIL_LINES = 2000


def _display(command: Sequence[str]) -> str:
    return " ".join(shlex.quote(str(part)) for part in command)


def _environ(env: Mapping[str, str] | None) -> dict[str, str] | None:
    if env is None:
        return None
    merged = dict(os.environ)
    merged.update(env)
    return merged


def run(
    command: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> list[str]:
    """Run ``command``, streaming its output; return the output's tail.

    Raises :class:`CommandError` (with the tail) when the command fails and
    :class:`ToolError` when the program cannot be started at all.
    """
    import subprocess  # not at the top: a hook that runs nothing does not pay for it

    argv = [os.fspath(part) for part in command]
    log.info("+ %s", _display(argv))
    tail: collections.deque[str] = collections.deque(maxlen=_TAIL_LINES)
    try:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=_environ(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    except OSError as error:
        raise ToolError(
            f"cannot run {argv[0]}: {error.strerror or error}",
            hint=f"check that {argv[0]} is installed and on PATH",
        ) from error
    assert process.stdout is not None
    with process:
        for raw in iter(process.stdout.readline, b""):
            line = raw.decode("utf-8", errors="replace")
            tail.append(line.rstrip("\r\n"))
            sys.stderr.write(line)
            sys.stderr.flush()
        returncode = process.wait()
    if returncode != 0:
        raise CommandError(argv, returncode, list(tail))
    return list(tail)


def capture(
    command: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 60.0,
) -> str:
    """Run a short query and return its stdout; failures raise :class:`CommandError`."""
    import subprocess

    argv = [os.fspath(part) for part in command]
    try:
        completed = subprocess.run(
            argv,
            cwd=cwd,
            env=_environ(env),
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ToolError(
            f"cannot run {_display(argv)}: {error}",
            hint=f"check that {argv[0]} is installed and works",
        ) from error
    stdout = completed.stdout.decode("utf-8", errors="replace")
    if completed.returncode != 0:
        stderr = completed.stderr.decode("utf-8", errors="replace")
        raise CommandError(argv, completed.returncode, (stdout + stderr).splitlines())
    return stdout
