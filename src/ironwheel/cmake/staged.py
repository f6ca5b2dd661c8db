"""The staging trees the last ``cmake --install`` left, kept while nothing the install rules take changed.

``cmake --install`` copies what its rules name into freshly emptied staging
trees. When nothing it would copy changed since it last ran, its result is
the tree it left, and the install is skipped. That is decided from CMake's
own list of the rules (the File API's code model, whose install rules CMake
lists from codemodel 2.2, CMake 3.19) and only for rules whose inputs are
files: ``install(TARGETS)`` (the artifacts ninja builds),
``install(FILES|PROGRAMS)``, ``install(DIRECTORY)`` (every entry below its
directories), ``FILE_SET`` and ``install(EXPORT)`` (files CMake generated).
``install(CODE)`` and ``install(SCRIPT)`` run code that may read anything,
and ``install(RUNTIME_DEPENDENCY_SET)`` and
``install(IMPORTED_RUNTIME_ARTIFACTS)`` take files from outside the
project: with any of them the install always runs.

``.ironwheel/install.json`` keeps, with ironwheel's version, the install
prefix, the configuration and the cmake program: the signature
(``_records.signature``) of every ``cmake_install.cmake`` script and of
every file and directory the rules install from, taken before the install
read them, and the signature of every file the install left in the staging
trees. The trees are reused only when all of those are the same: a file
added to, removed from or touched in the trees, in what the rules take or
in the scripts makes the install run again into emptied trees. A file of the
sources that changed in the moment before the install read it may not show
in its signature; such a file makes the record useless (it is asked again
next time).
"""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path
from typing import Any

from ironwheel._records import is_racy, signature
from ironwheel._version import __version__
from ironwheel.cmake.builddir import STAGING_TREES, BuildDir
from ironwheel.cmake.fileapi import CodeModel
from ironwheel.cmake.plan import Plan
from ironwheel.tools.toolchain import Program, program_key

__all__ = ["Installed", "forget", "recall", "remember", "staged_files"]

# Rules whose every input is a file or directory the code model names.
_FILE_RULES = frozenset({"target", "file", "directory", "fileSet", "export"})
# The signature of a file changed a moment before it was taken (see _records.is_racy).
_RACY: list[int] = [-2]


@dataclasses.dataclass(frozen=True)
class Installed:
    """A file ``cmake --install`` placed in one of the staging trees."""

    tree: str
    path: str  # POSIX, relative to the tree
    source: Path


def _key(plan: Plan, cmake: Program) -> list[Any]:
    configuration = plan.build_type if plan.multi_config else ""
    return [__version__, str(plan.install_prefix), configuration, program_key(cmake.path)]


def _below(directory: Path) -> list[Path]:
    """A directory rule's directory and every entry below it (links not followed)."""
    found = [directory]
    for parent, dirs, files in os.walk(directory):
        found += [Path(parent, name) for name in sorted(dirs + files)]
    return found


def install_inputs(model: CodeModel) -> list[Path] | None:
    """The scripts and every path the install rules take; None when a rule may take anything else."""
    if not model.lists_installers:
        return None
    paths = [directory / "cmake_install.cmake" for directory in model.directories]
    for rule in model.installers:
        if rule.kind not in _FILE_RULES:
            return None
        for source in rule.sources:
            paths += _below(source) if rule.kind == "directory" else [source]
    return list(dict.fromkeys(paths))


def _signatures(paths: list[Path], build_dir: BuildDir, now: int) -> list[list[Any]]:
    """Each path with its signature; outside the build dir, one changed a moment ago counts as unknown.

    Inside it only this build, holding its lock, writes.
    """
    inside = build_dir.path
    found: list[list[Any]] = []
    for path in paths:
        sig = signature(path)
        outside = not (path == inside or inside in path.parents)
        if sig is not None and outside and is_racy(sig, now):
            sig = _RACY
        found.append([str(path), sig])
    return found


def staged_files(build_dir: BuildDir) -> list[Installed]:
    """Every file in the staging trees (a link is a file of its own), as the install leaves them."""
    installed: list[Installed] = []
    for tree in STAGING_TREES:
        root = Path(os.path.abspath(build_dir.tree(tree)))
        for directory, _dirs, files in os.walk(root):
            for name in files:
                path = Path(directory, name)
                installed.append(Installed(tree, path.relative_to(root).as_posix(), path))
    return sorted(installed, key=lambda item: (item.tree, item.path))


def _staged(installed: list[Installed]) -> list[list[Any]]:
    return [[item.tree, item.path, signature(item.source)] for item in installed]


def forget(build_dir: BuildDir) -> None:
    """Before the staging trees change: no record may describe a tree half installed."""
    build_dir.record("install").forget()


def inputs_now(build_dir: BuildDir, model: CodeModel | None) -> list[list[Any]] | None:
    """What the install is about to read, with signatures; taken before it runs. None: not kept."""
    paths = install_inputs(model) if model is not None else None
    return _signatures(paths, build_dir, time.time_ns()) if paths is not None else None


def remember(build_dir: BuildDir, plan: Plan, cmake: Program, inputs: list[list[Any]] | None) -> None:
    """Keep the record of the install that just ran (``inputs`` as :func:`inputs_now` gave them)."""
    if inputs is None or any(sig == _RACY for _path, sig in inputs):
        return
    build_dir.record("install").keep(_key(plan, cmake), [inputs, _staged(staged_files(build_dir))])


def recall(
    build_dir: BuildDir, plan: Plan, cmake: Program, model: CodeModel | None
) -> list[Installed] | None:
    """What the staging trees hold, when the install would leave them exactly as they are; else None."""
    kept = build_dir.record("install").recall(_key(plan, cmake), lambda data: (list(data[0]), list(data[1])))
    if kept is None:
        return None
    inputs, staged = kept
    if inputs_now(build_dir, model) != inputs:
        return None
    installed = staged_files(build_dir)
    return installed if _staged(installed) == staged else None
