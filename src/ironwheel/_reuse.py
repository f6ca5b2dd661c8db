"""``build_wheel`` answered with the last wheel, when nothing it was built from changed.

A build in which nothing changed still costs a new interpreter the import of
most of ironwheel before it finds out. After a full wheel build that can be
told again (see ``builds/reusable.py``), ``<build dir>/.ironwheel/reuse.json``
records everything that build depended on, and the next ``build_wheel`` in
the same tree checks it with the standard library alone:

1. the process: ironwheel's version, the interpreter and ``sys.path``, the
   directory, the machine (host name and ``os.uname()``: overrides and the
   target read them), the ``-C`` settings and the whole environment (but for a few
   variables that change from one shell or frontend run to the next and that
   nothing reads: ``_IGNORED``);
2. the signature (``_records.signature``) of every file and directory of the
   project (version-control data, bytecode, build trees and environments
   apart), of the directories of ``sys.path`` and ``PATH``, of the programs
   the build ran or chose from (cmake, ninja, the compilers, the compiler
   launcher), of the packages CMake reads from the environment through
   copies (programs, and files the view holds hard links to, without their
   status-change time, which links to them change), of ironwheel's own
   modules and of its records in the build dir;
3. then, with the build dir locked, it runs the build commands (ninja: only
   ninja knows what it has to do, with every header and generated file), and
   checks what that may have changed: every file ``cmake --install`` would
   read and the staging trees it left (``cmake/staged.py``), CMake's File API
   reply, every file the wheel's entries and its metadata were read from
   (wherever they are: a force-include from a tree the project's walk
   skips, a file ninja writes in the build dir), and the kept wheel
   (``builds/lastwheel.py``).

When every one of them is the same, the kept wheel is copied into the output
directory and the warnings the full build gave are given again. Any
difference, and any failure, falls back to the full build, which records
afresh. Only build directories under ``<project>/build/`` are looked at.
"""

from __future__ import annotations

import json
import os
import sys

from ironwheel import _layout
from ironwheel._records import read_text, signature, write_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

__all__ = ["process_key", "recall", "save"]

_RECORD = os.path.join(_layout.STATE_DIR, _layout.REUSE)
# Set by shells and frontends to something new on each run, and read by nothing in a build.
_IGNORED = frozenset({"_", "OLDPWD", "SHLVL", "COLUMNS", "LINES", "PIP_BUILD_TRACKER", "PIP_REQ_TRACKER"})


def process_key(config_settings: Mapping[str, Any] | None, environ: Mapping[str, str]) -> str:
    """What the build depends on in the process that runs it, as text."""
    import platform

    from ironwheel._version import __version__

    settings = sorted((str(key), repr(value)) for key, value in (config_settings or {}).items())
    variables = sorted((name, value) for name, value in environ.items() if name not in _IGNORED)
    # The machine: overrides match the host name (if.platform-node), the target its kind.
    machine = [platform.node(), list(os.uname()) if hasattr(os, "uname") else platform.uname()[:5]]
    key = [__version__, sys.executable, sys.version, sys.prefix, sys.path, os.getcwd(), settings, variables]
    key.append(machine)
    return json.dumps(key)


def _same(entries: Sequence[Sequence[Any]], *, ctime: bool = True) -> bool:
    return all(signature(path, ctime=ctime) == recorded for path, recorded in entries)


def _staged(trees: str) -> list[list[Any]]:
    """Every file in the staging trees, as ``cmake/staged.py`` records them."""
    found: list[list[Any]] = []
    for tree in sorted(os.listdir(trees)) if os.path.isdir(trees) else ():
        root = os.path.join(trees, tree)
        for directory, _dirs, files in os.walk(root):
            for name in files:
                path = os.path.join(directory, name)
                relative = os.path.relpath(path, root).replace(os.sep, "/")
                found.append([tree, relative, signature(path)])
    return sorted(found, key=lambda item: (item[0], item[1]))


def _lock(path: str) -> int | None:
    """The build dir's lock (see ``_lock``), if no other build has it; its descriptor."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _unlock(fd: int) -> None:
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _run(command: Sequence[str], environ: Mapping[str, str], lock: int) -> bool:
    """Run a build command as the full build does, its output on stderr; whether it succeeded.

    The lock goes with it, as ``_run.run`` passes it on: a build killed meanwhile
    leaves the build dir locked until the command is done.
    """
    sys.stderr.flush()
    if not hasattr(os, "posix_spawn"):
        import subprocess

        completed = subprocess.run(
            list(command), env=dict(environ), stdin=subprocess.DEVNULL, stdout=sys.stderr, check=False
        )
        return completed.returncode == 0
    os.set_inheritable(lock, True)
    try:
        actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0), (os.POSIX_SPAWN_DUP2, 2, 1)]
        pid = os.posix_spawn(command[0], list(command), dict(environ), file_actions=actions)
    except OSError:
        return False
    finally:
        os.set_inheritable(lock, False)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _say(message: str) -> None:
    if os.environ.get("IRONWHEEL_QUIET"):
        return
    stream = sys.stderr
    color = not os.environ.get("NO_COLOR") and (bool(os.environ.get("FORCE_COLOR")) or stream.isatty())
    prefix = "\033[1;36mironwheel:\033[0m" if color else "ironwheel:"
    stream.write(f"{prefix} {message}\n")


def _replay(warnings: Sequence[str]) -> None:
    """Give again the warnings the full build gave, as it gave them."""
    if not warnings:
        return
    import logging

    from ironwheel._output import configure_logging

    configure_logging()
    for message in warnings:
        logging.getLogger("ironwheel").warning("%s", message)


def _copy(source: str, directory: str, name: str) -> None:
    """``source`` to ``directory/name``, through a new file there that no one else can have made.

    As ``_fs.atomic_output`` does it (and its stale-file cleanup knows the name): made
    exclusively under a name no one can tell before (a link planted there is not followed),
    given the mode a new file gets, then renamed.
    """
    import shutil
    import tempfile

    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.{os.getpid()}-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as output, open(source, "rb") as wheel:
            shutil.copyfileobj(wheel, output)
            umask = os.umask(0o022)
            os.umask(umask)
            if hasattr(os, "fchmod"):
                os.fchmod(output.fileno(), 0o666 & ~umask)
            else:
                os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, os.path.join(directory, name))
    finally:
        try:  # noqa: SIM105 - contextlib is one import more
            os.unlink(temporary)
        except OSError:
            pass


def _reusable(
    data: Mapping[str, Any], key: str, state_dir: str, environ: Mapping[str, str], wheel_directory: str
) -> str | None:
    """Copy the kept wheel out when the record still describes this build; the wheel, else None."""
    if (
        data.get("process") != key
        or not _same(data["before"])
        or not _same(data["without_ctime"], ctime=False)
    ):
        return None
    lock = _lock(os.path.join(state_dir, _layout.LOCK))
    if lock is None:
        return None  # another build is running: the full build waits for it
    try:
        child = {**environ, **data["environment"]}
        for command in data["commands"]:
            if not _run(command, child, lock):
                return None
        if not _same(data["after"]) or _staged(os.path.join(state_dir, _layout.STAGING)) != data["staged"]:
            return None
        wheel = os.path.join(state_dir, _layout.LAST_WHEEL, data["wheel"])
        if signature(wheel) != data["wheel_signature"]:
            return None
        # Under the lock: a build started meanwhile may replace the kept wheel.
        _copy(wheel, wheel_directory, str(data["wheel"]))
        return wheel
    finally:
        _unlock(lock)


def recall(
    wheel_directory: str, config_settings: Mapping[str, Any] | None, environ: Mapping[str, str] | None = None
) -> str | None:
    """Copy the last wheel into ``wheel_directory`` if nothing it was built from changed; its name or None."""
    environ = os.environ if environ is None else environ
    builds = os.path.join(os.getcwd(), "build")
    try:
        entries = sorted(os.listdir(builds))
    except OSError:
        return None
    key = ""
    for entry in entries:
        state_dir = os.path.join(builds, entry, _layout.STATE_DIR)
        text = read_text(os.path.join(state_dir, _layout.REUSE))
        if text is None:
            continue
        key = key or process_key(config_settings, environ)
        try:
            data = json.loads(text)
            name = str(data["wheel"])
            warnings = [str(message) for message in data["warnings"]]
            wheel = _reusable(data, key, state_dir, environ, wheel_directory)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError, OSError):
            continue  # a damaged or foreign record, or no copy: the full build writes (and says) anew
        if wheel is None:
            continue
        _replay(warnings)
        _say(f"nothing changed since the last build of {name}: handed it out again")
        return name
    return None


def save(state_dir: str, data: Mapping[str, Any]) -> bool:
    """Write the record (see ``builds/reusable.py`` for what it holds)."""
    return write_text(os.path.join(state_dir, _layout.REUSE), json.dumps(data))


def forget(state_dir: str) -> None:
    """Before a build changes anything the record describes."""
    try:  # noqa: SIM105 - contextlib is one import more
        os.unlink(os.path.join(state_dir, _layout.REUSE))
    except OSError:
        pass
