"""The one way ironwheel runs a subprocess.

``run`` echoes ``+ command``, streams the child's output to stderr as it
arrives, and keeps the tail so that a failure can quote it. ``capture`` is for
short queries (``cmake --version``) whose output is parsed, not shown.
"""

from __future__ import annotations

import collections
import logging
import os
import re
import shlex
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from ironwheel._lock import held
from ironwheel.errors import CommandError, ToolError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess

__all__ = ["capture", "run"]

log = logging.getLogger("ironwheel")

_TAIL_LINES = 2000
_QUIET_TAIL = 60  # lines of a failed command's output shown when the output was not streamed
_PROGRESS = re.compile(r"^\[\d+/\d+\] ")


def _display(command: Sequence[str]) -> str:
    return " ".join(shlex.quote(str(part)) for part in command)


def _environ(env: Mapping[str, str] | None) -> dict[str, str] | None:
    if env is None:
        return None
    merged = dict(os.environ)
    merged.update(env)
    return merged


def _dies_with_parent() -> Callable[[], None]:
    """For a child on Linux: SIGTERM when the build's process dies (PR_SET_PDEATHSIG), killed or not.

    ninja stops its compilers on SIGTERM; without it they would go on after a
    killed build and race the next one.
    """
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getpid()

    def child() -> None:
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the request was made
            os._exit(1)

    return child


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a child when the build is interrupted or terminated: SIGTERM, then SIGKILL."""
    import subprocess

    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class _Progress:
    """Streams a command's output; on a terminal, ninja's ``[n/N]`` lines share one updating line.

    Under pip, in CI logs and in files every line stays, as the program wrote it.
    """

    def __init__(self, stream: TextIO) -> None:
        from ironwheel._output import use_color

        isatty = getattr(stream, "isatty", None)
        self.stream = stream
        self.live = bool(isatty and isatty())
        self.color = self.live and use_color(stream)
        self.pending = False

    def write(self, line: str) -> None:
        match = _PROGRESS.match(line) if self.live else None
        if match is None:
            if self.pending:
                self.stream.write("\n")
                self.pending = False
            self.stream.write(line)
        else:
            import shutil

            width = shutil.get_terminal_size((100, 24)).columns - 1
            text = line.rstrip("\r\n")[:width]
            if self.color:
                text = f"\033[1;36m{text[: match.end()]}\033[0m{text[match.end() :]}"
            self.stream.write(f"\r{text}\033[K")
            self.pending = True
        self.stream.flush()

    def close(self) -> None:
        if self.pending:
            self.stream.write("\n")
            self.stream.flush()
            self.pending = False


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
            # The build dir's lock goes with the program (see _lock), and it goes when the build does.
            pass_fds=held() if os.name != "nt" else (),
            preexec_fn=_dies_with_parent() if sys.platform == "linux" else None,  # noqa: PLW1509
        )
    except OSError as error:
        raise ToolError(
            f"cannot run {argv[0]}: {error.strerror or error}",
            hint=f"check that {argv[0]} is installed and on PATH",
        ) from error
    assert process.stdout is not None
    shown = log.isEnabledFor(logging.INFO)  # quiet: the output is shown only if the command fails
    progress = _Progress(sys.stderr) if shown else None
    with process:
        try:
            for raw in iter(process.stdout.readline, b""):
                line = raw.decode("utf-8", errors="replace")
                tail.append(line.rstrip("\r\n"))
                if progress is not None:
                    progress.write(line)
            returncode = process.wait()
        except BaseException:
            _stop(process)
            raise
        finally:
            if progress is not None:
                progress.close()
    if returncode != 0:
        if not shown:
            sys.stderr.write("".join(f"{line}\n" for line in list(tail)[-_QUIET_TAIL:]))
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
