"""Keep ninja from rebuilding because an isolated environment was reinstalled.

A frontend installs the build requirements afresh for every isolated build,
so pybind11's headers or nanobind's sources come back with new modification
times though their content is the same, and ninja, which compares times,
would recompile everything that includes them and re-run CMake. After each
build ironwheel records the content hash and time of every file it read from
the environment (through the build dir's view of it); before the next build
it puts the recorded time back on each file whose content has not changed.
A changed file keeps its new time, and ninja rebuilds what depends on it.

A file of the view that is a hard link to the environment's becomes a copy
of its own with the recorded time: the view's copies are never written
through. A file reached through a package the view links to gets its time
back where it is, in the environment (numpy's headers, say: the view links
to numpy); that is its time only, as it was when ninja read it, and only a
file no other name shares (not one an installer links from its cache):
such a file keeps its time, and ninja rebuilds what includes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import struct
import tempfile
from pathlib import Path
from typing import Any

from ironwheel.cmake.builddir import BuildDir

__all__ = ["environment_inputs", "remember", "restore"]

log = logging.getLogger("ironwheel")


def _ninja_deps_paths(path: Path) -> list[str]:
    """Every path in ninja's binary dependency log (``.ninja_deps``)."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    if not data.startswith(b"# ninjadeps\n") or len(data) < 16:
        return []
    paths: list[str] = []
    position = 16
    while position + 4 <= len(data):
        (size,) = struct.unpack_from("<I", data, position)
        position += 4
        is_dependency_record = size >> 31
        size &= 0x7FFFFFFF
        payload = data[position : position + size]
        position += size
        if not is_dependency_record and len(payload) >= 4:
            paths.append(payload[:-4].rstrip(b"\0").decode("utf-8", errors="replace"))
    return paths


# A path in build.ninja: ninja escapes spaces, colons and dollars with "$".
_NINJA_PATH = r"(?:[^\s$:|]|\$[ :$])+"
_NINJA_ESCAPE = re.compile(r"\$([ :$])")


# A path in a make-style dependency file: backslash escapes spaces.
_DEPFILE_PATH = re.compile(r"(?:[^\s\\]|\\.)+")
_DEPFILE_LINE = re.compile(r"^\s*depfile = (.+)$", re.MULTILINE)


def _depfile_paths(manifest: str, build_dir: Path) -> list[str]:
    """The paths in the dependency files of custom commands (Cython's), which ninja reads each time."""
    found: list[str] = []
    for text in _DEPFILE_LINE.findall(manifest):
        depfile = Path(_NINJA_ESCAPE.sub(r"\1", text.strip()))
        try:
            content = (build_dir / depfile).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        _target, _sep, dependencies = content.partition(": ")
        found += [re.sub(r"\\(.)", r"\1", item) for item in _DEPFILE_PATH.findall(dependencies)]
    return found


def environment_inputs(build_dir: BuildDir) -> set[str]:
    """Absolute paths of the files under the view that ninja depends on.

    Those ninja knows from the manifest, from its dependency log and from the
    dependency files of custom commands, which stay files of their own.
    """
    view = build_dir.view
    absolute = view.as_posix() + "/"
    relative = view.relative_to(build_dir.path).as_posix() + "/"
    found = {path for path in _ninja_deps_paths(build_dir.path / ".ninja_deps") if path.startswith(absolute)}
    try:
        manifest = (build_dir.path / "build.ninja").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return found
    # CMake writes paths inside the build dir relative to it, others absolute.
    for prefix, base in ((absolute, ""), (relative, build_dir.path.as_posix() + "/")):
        for match in re.findall(r"(?<![\w/.])" + re.escape(prefix) + _NINJA_PATH, manifest):
            found.add(base + _NINJA_ESCAPE.sub(r"\1", match))
    for path in _depfile_paths(manifest, build_dir.path):
        if path.startswith(absolute):
            found.add(path)
        elif path.startswith(relative):
            found.add(build_dir.path.as_posix() + "/" + path)
    return found


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def remember(build_dir: BuildDir) -> None:
    """Record hash and time of the environment files the last build read."""
    record: dict[str, list[object]] = {}
    for name in sorted(environment_inputs(build_dir)):
        path = Path(name)
        try:
            record[name] = [_digest(path), path.stat().st_mtime_ns]
        except OSError:
            continue
    build_dir.record("env-files").save(record)


def _decode(data: Any) -> list[tuple[str, str, int]]:
    return [(str(name), str(digest), int(mtime_ns)) for name, (digest, mtime_ns) in data.items()]


def _retime(path: Path, mtime_ns: int, view: str) -> bool:
    """Give ``path`` the time ``mtime_ns``, never writing into a file another name shares.

    Returns whether it was given.
    """
    info = path.lstat()
    if info.st_nlink == 1:
        os.utime(path, ns=(info.st_atime_ns, mtime_ns))
        return True
    if not (os.path.realpath(path.parent) + os.sep).startswith(view):
        return False  # the environment's, and shared: left as it is
    # A file of the view linked to the environment's: a copy of its own, with the time ninja
    # saw (as ``envview`` replaces a file whose content changed: atomically, never through).
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as output, path.open("rb") as source:
            shutil.copyfileobj(source, output)
        shutil.copymode(path, temporary)
        os.utime(temporary, ns=(info.st_atime_ns, mtime_ns))
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return True


def restore(build_dir: BuildDir) -> None:
    """Give unchanged environment files back the times ninja last saw (see the module's docstring)."""
    record = build_dir.record("env-files").load(_decode) or []
    view = os.path.realpath(build_dir.view) + os.sep
    restored = 0
    for name, digest, mtime_ns in record:
        path = Path(name)
        try:
            info = path.stat()
            if info.st_mtime_ns == mtime_ns or _digest(path) != digest or not _retime(path, mtime_ns, view):
                continue
        except OSError:
            continue
        restored += 1
    if restored:
        log.debug("restored the times of %d unchanged files of the build environment", restored)
