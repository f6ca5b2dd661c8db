"""The incremental rebuild of an editable install: when, and how.

Editable wheels carry a copy of this file (``_ironwheel_editable_<name>_rebuild.py``)
next to the finder. It runs in the environment the package was installed
into, where ironwheel itself may be missing, so it uses the standard library
only and starts its subprocesses itself.

*When*: after every build the files ninja knows the build depends on (the
inputs of ``build.ninja`` and the headers in ``.ninja_deps``, outside the
build directory) are listed in the *watch* file, and the *stamp* file gets the
time the build started (the build directory names both, and its lock, in
the hook's configuration). Something may need rebuilding exactly when a listed file is as
new as the stamp, or gone. Deciding that costs one ``stat`` per file, no
subprocess.

*How*: under the build directory's lock (the one ironwheel's own builds
take), ninja, then ``cmake --install`` (which copies only what changed), with
output on stderr once something compiles; a failure raises
:class:`RebuildError`, an ImportError carrying the compiler's first errors.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence
    from typing import Any

__all__ = [
    "SKIP",
    "VERBOSE",
    "RebuildError",
    "Rebuilder",
    "commit_stamp",
    "first_change",
    "ninja_inputs",
    "start_stamp",
    "write_watch_list",
]

SKIP = "IRONWHEEL_EDITABLE_SKIP"  # build dirs being rebuilt: their finders do not rebuild again
VERBOSE = "IRONWHEEL_EDITABLE_VERBOSE"


def _say(message: str) -> None:
    sys.stderr.write(f"ironwheel: {message}\n")
    sys.stderr.flush()


def _verbose() -> bool:
    return os.environ.get(VERBOSE, "").lower() not in ("", "0", "false", "no", "off")


class RebuildError(ImportError):
    """Rebuilding an editable install failed."""


def _ninja_deps(path: str) -> tuple[list[str], dict[int, list[int]]]:
    """Paths and, per output id, the dependency ids of ninja's binary log (``.ninja_deps``)."""
    import struct

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return [], {}
    if not data.startswith(b"# ninjadeps\n") or len(data) < 16:
        return [], {}
    (version,) = struct.unpack_from("<i", data, 12)
    header = 12 if version >= 4 else 8  # output id, then a 64-bit (v4) or 32-bit mtime
    paths: list[str] = []
    deps: dict[int, list[int]] = {}
    position = 16
    while position + 4 <= len(data):
        (size,) = struct.unpack_from("<I", data, position)
        position += 4
        is_deps, size = size >> 31, size & 0x7FFFFFFF
        payload = data[position : position + size]
        position += size
        if len(payload) < size:
            break
        if not is_deps:
            paths.append(payload[:-4].rstrip(b"\0").decode("utf-8", "surrogateescape"))
        elif size >= header:
            (output,) = struct.unpack_from("<i", payload, 0)
            count = (size - header) // 4
            deps[output] = list(struct.unpack_from(f"<{count}i", payload, header))  # the latest wins
    return paths, deps


def _ninja_manifest(path: str, base: str, seen: set[str]) -> Iterator[tuple[list[str], list[str]]]:
    """(files built, inputs) of every ``build`` statement, following include and subninja."""
    import re

    if path in seen:
        return
    seen.add(path)
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            text = handle.read()
    except OSError:
        return
    text = re.sub(r"(?<!\$)((?:\$\$)*)\$\r?\n[ \t]*", r"\1", text)  # line continuations
    token = re.compile(r"(?:\$.|[^\s$])+")
    for line in text.splitlines():
        if line.startswith(("include ", "subninja ")):
            name = line.split(None, 1)[1].strip()
            yield from _ninja_manifest(os.path.join(base, name), base, seen)
            continue
        if not line.startswith("build "):
            continue
        tokens = token.findall(line[6:])
        outputs: list[str] = []
        inputs: list[str] = []
        rest: list[str] = []
        for index, item in enumerate(tokens):
            if _ends_statement_outputs(item):
                if item[:-1]:
                    outputs.append(item[:-1])
                rest = tokens[index + 1 :]
                break
            outputs.append(item)
        for item in rest[1:]:  # rest[0] is the rule
            if item in ("||", "|@"):
                break  # order-only dependencies and validations never make an output stale
            if item != "|":
                inputs.append(item)
        # A phony statement builds nothing: CMake declares its input files as phony
        # outputs (so that ninja tolerates their deletion), and aliases targets.
        yield ([] if rest[:1] == ["phony"] else outputs), inputs


def _ends_statement_outputs(token: str) -> bool:
    """Whether a token ends in the unescaped colon after a build statement's outputs."""
    if not token.endswith(":"):
        return False
    dollars = len(token) - 1 - len(token[:-1].rstrip("$"))
    return dollars % 2 == 0  # "$:" is an escaped colon, "$$:" a dollar and a colon


def _unescape(path: str, base: str) -> str | None:
    import re

    plain = re.sub(r"\$([ :$])", r"\1", path)
    if "$" in plain:
        return None  # a variable: CMake never writes one into a path, others may
    return os.path.normpath(os.path.join(base, plain))


def ninja_inputs(build_dir: str) -> list[str]:
    """The files (not built by ninja) that the build in ``build_dir`` depends on."""
    outputs: set[str] = set()
    inputs: set[str] = set()
    for produced, consumed in _ninja_manifest(os.path.join(build_dir, "build.ninja"), build_dir, set()):
        outputs.update(filter(None, (_unescape(item, build_dir) for item in produced)))
        inputs.update(filter(None, (_unescape(item, build_dir) for item in consumed)))
    paths, deps = _ninja_deps(os.path.join(build_dir, ".ninja_deps"))
    for output, dependencies in deps.items():
        if 0 <= output < len(paths) and os.path.normpath(os.path.join(build_dir, paths[output])) in outputs:
            inputs.update(
                os.path.normpath(os.path.join(build_dir, paths[item]))
                for item in dependencies
                if 0 <= item < len(paths)
            )
    return sorted(inputs - outputs)


def write_watch_list(build_dir: str, watch: str) -> int:
    """List the existing files outside ``build_dir`` the build depends on in ``watch``; return how many."""
    inside = os.path.join(os.path.normpath(build_dir), "")
    watched = [path for path in ninja_inputs(build_dir) if not path.startswith(inside)]
    watched = [path for path in watched if os.path.exists(path)]  # ninja built without them
    os.makedirs(os.path.dirname(watch), exist_ok=True)
    temporary = watch + ".tmp"
    with open(temporary, "w", encoding="utf-8", errors="surrogateescape") as handle:
        handle.write("".join(path + "\n" for path in watched))
    os.replace(temporary, watch)
    return len(watched)


def first_change(watch: str, stamp: str) -> str | None:
    """A watched file changed since the last successful build started (or why that is unknown)."""
    try:
        started = os.stat(stamp).st_mtime_ns
        with open(watch, encoding="utf-8", errors="surrogateescape") as handle:
            watched = handle.read().splitlines()
    except OSError:
        return "no record of the last build"
    stat = os.stat
    for path in watched:
        try:
            if stat(path).st_mtime_ns >= started:
                return path
        except OSError:
            return path
    return None


def start_stamp(stamp: str) -> str:
    """Mark the start of a build; :func:`commit_stamp` makes it the last successful one."""
    os.makedirs(os.path.dirname(stamp), exist_ok=True)
    pending = stamp + ".new"
    with open(pending, "w", encoding="utf-8"):
        pass  # a new file: its time comes from the file system's clock, like the sources'
    return pending


def commit_stamp(pending: str, stamp: str) -> None:
    os.replace(pending, stamp)


class _Lock:
    """The build directory's inter-process lock (the one ironwheel's own builds take)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd = -1

    def __enter__(self) -> _Lock:
        import time

        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not self._try():
            _say(f"waiting for another build of {os.path.dirname(os.path.dirname(self.path))}")
            while not self._try():
                time.sleep(0.05)
        return self

    def _try(self) -> bool:
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(self.fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def __exit__(self, *exc: object) -> None:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(self.fd, 0, os.SEEK_SET)
            msvcrt.locking(self.fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _error_lines(output: Sequence[str], limit: int = 6) -> list[str]:
    import re

    error = re.compile(r"(^|[\s:])(fatal )?error[:\s]|^FAILED:|Error \d+|undefined reference", re.IGNORECASE)
    found = [
        line.strip() for line in output if error.search(line) and not line.startswith("ninja: build stopped")
    ]
    compiler = [line for line in found if not line.startswith("FAILED:")]
    return (compiler or found or [line.strip() for line in output if line.strip()][-limit:])[:limit]


def _outdate_installed(build_dir: str) -> None:
    """Make ``cmake --install`` copy every file again.

    It skips a file whose copy has the time of the built one, compared to the
    second, so a module rebuilt within the second of the last install would
    keep its old copy. Copying is cheap next to the compile that preceded it.
    """
    try:
        with open(os.path.join(build_dir, "install_manifest.txt"), encoding="utf-8") as handle:
            installed = handle.read().splitlines()
    except OSError:
        return
    for path in installed:
        try:
            os.utime(path, ns=(0, 0))
        except OSError:
            continue


class Rebuilder:
    """Runs ninja and ``cmake --install`` for one build directory, when something changed."""

    def __init__(self, name: str, config: Mapping[str, Any]) -> None:
        self.name = name
        self.build_dir: str = config["build_dir"]
        self.watch: str = config["watch"]
        self.stamp: str = config["stamp"]
        self.lock: str = config["lock"]
        self.build: list[str] = list(config["build"])
        self.build_verbose: list[str] = list(config.get("build_verbose", self.build))
        self.install: list[str] = list(config["install"])
        self.environment: dict[str, str] = dict(config.get("environment", {}))
        self.project: str = config.get("project", "")
        self.platlib: str = config.get("platlib", "")

    def _gone(self) -> RebuildError:
        where = f" {self.project}" if self.project else " ."
        return RebuildError(
            f"the build directory {self.build_dir} of the editable install of {self.name} is gone; "
            f"reinstall it: pip install -e{where}",
            name=self.name,
        )

    def _run(self, command: Sequence[str], *, quiet_until_work: bool) -> tuple[int, list[str], bool, bool]:
        """Run ``command`` in the build dir; stream its output to stderr once it does work.

        Returns the exit code, the output, whether it did work (a ninja status
        line) and whether its output was shown.
        """
        import subprocess

        environment = dict(os.environ)
        environment.update(self.environment)
        environment[SKIP] = os.pathsep.join(filter(None, (environment.get(SKIP), self.build_dir)))
        environment.setdefault("NINJA_STATUS", "[%f/%t] ")
        verbose = _verbose()
        if verbose:
            _say("+ " + " ".join(command))
        try:
            process = subprocess.Popen(
                list(command),
                cwd=self.build_dir,
                env=environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        except OSError as error:
            raise RebuildError(
                f"rebuilding {self.name} failed: cannot run {command[0]}: {error.strerror or error}; "
                "reinstall the package (pip install -e) with the tools on PATH",
                name=self.name,
            ) from None
        output: list[str] = []
        shown = verbose or not quiet_until_work
        worked = False
        assert process.stdout is not None
        with process:
            for raw in iter(process.stdout.readline, b""):
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                output.append(line)
                if not worked and line.startswith("["):
                    worked = True
                    if not shown:
                        _say(f"rebuilding {self.name} in {self.build_dir}")
                        shown = True
                        for earlier in output[:-1]:
                            sys.stderr.write(earlier + "\n")
                if shown:
                    sys.stderr.write(line + "\n")
                    sys.stderr.flush()
            returncode = process.wait()
        return returncode, output, worked, shown

    def _fail(self, what: str, output: Sequence[str], shown: bool) -> RebuildError:
        if not shown:
            for line in output:
                sys.stderr.write(line + "\n")
        lines = _error_lines(output)
        message = f"rebuilding {self.name} failed ({what})"
        if lines:
            message += ": " + lines[0] + "".join("\n  " + line for line in lines[1:])
        message += f"\nhint: fix the error and import again ({VERBOSE}=1 shows every command)"
        return RebuildError(message, name=self.name)

    def run(self, *, force: bool = False) -> bool:
        """Rebuild if a watched file changed (always when ``force``); return whether ninja ran."""
        import time

        if not force and self.build_dir in os.environ.get(SKIP, "").split(os.pathsep):
            return False  # this process is part of a rebuild of this very build dir
        if not os.path.isdir(self.build_dir):
            raise self._gone()
        if not force and first_change(self.watch, self.stamp) is None:
            return False  # the common case: nothing to do, decided without a lock or a subprocess
        with _Lock(self.lock):
            changed = first_change(self.watch, self.stamp)  # again: another process may have just rebuilt
            if changed is None and not force:
                return False
            if _verbose():
                _say(f"{self.name}: {changed or 'rebuild requested'}")
            started = time.monotonic()
            pending = start_stamp(self.stamp)
            command = self.build_verbose if _verbose() else self.build
            returncode, output, worked, shown = self._run(command, quiet_until_work=not force)
            if returncode != 0:
                raise self._fail("compile", output, shown)
            _outdate_installed(self.build_dir)
            returncode, output, _, shown = self._run(self.install, quiet_until_work=True)
            if returncode != 0:
                raise self._fail("cmake --install", output, shown)
            write_watch_list(self.build_dir, self.watch)
            commit_stamp(pending, self.stamp)
            if worked or force or _verbose():
                _say(f"rebuilt {self.name} in {time.monotonic() - started:.1f} s")
            return True
