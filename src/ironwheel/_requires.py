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

__all__ = ["programs", "recall", "record"]

_RECORD = os.path.join(_layout.STATE_DIR, _layout.REQUIRES)
_PROGRAMS = ("cmake", "cmake3", "ninja", "ninja-build", "samu")
_VARIABLES = ("CMAKE_EXECUTABLE", "CMAKE_GENERATOR")


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


def _key(
    root: str,
    inputs: list[str],
    config_settings: Mapping[str, Any] | None,
    state: str,
    environ: Mapping[str, str],
) -> str:
    from ironwheel._version import __version__

    settings = sorted((str(key), repr(value)) for key, value in (config_settings or {}).items())
    variables = sorted(
        (name, value)
        for name, value in environ.items()
        if name.startswith("IRONWHEEL_") or name in _VARIABLES
    )
    key = (
        __version__,
        sys.executable,
        sys.version,
        state,
        file_stat(os.path.join(root, "pyproject.toml")),
        [(path, file_stat(path)) for path in inputs],
        settings,
        variables,
        programs(environ),
    )
    return repr(key)


def recall(
    config_settings: Mapping[str, Any] | None, state: str, environ: Mapping[str, str] | None = None
) -> list[str] | None:
    """The recorded answer, if every input is as it was; else None."""
    environ = os.environ if environ is None else environ
    root = os.getcwd()
    builds = os.path.join(root, "build")
    try:
        entries = os.listdir(builds)
    except OSError:
        return None
    key: dict[str, str] = {}
    for entry in entries:
        text = read_text(os.path.join(builds, entry, _RECORD))
        try:
            inputs, recorded, *answer = (text or "").split("\n")
        except ValueError:
            continue
        if inputs not in key:
            key[inputs] = _key(root, inputs.split("\t"), config_settings, state, environ)
        if recorded == key[inputs]:
            return [line for line in answer if line]
    return None


def record(
    root: str,
    build_dir: str,
    inputs: Sequence[str],
    config_settings: Mapping[str, Any] | None,
    state: str,
    answer: list[str],
    environ: Mapping[str, str] | None = None,
) -> None:
    """Record a full answer in an existing build directory under ``<root>/build/``.

    ``inputs`` are the files the answer was derived from, the CMakeLists.txt first.
    """
    environ = os.environ if environ is None else environ
    state_dir = os.path.join(build_dir, _layout.STATE_DIR)
    if os.path.dirname(os.path.normpath(build_dir)) != os.path.join(root, "build") or not os.path.isdir(
        state_dir
    ):
        return
    if not inputs or any("\t" in path or "\n" in path for path in inputs):
        return
    files = list(dict.fromkeys(inputs))
    text = "\n".join(["\t".join(files), _key(root, files, config_settings, state, environ), *answer]) + "\n"
    write_text(os.path.join(build_dir, _RECORD), text)
