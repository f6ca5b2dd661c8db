"""What a later ``build_wheel`` must find unchanged to hand out this build's wheel without building.

Written at the end of a full wheel build, under the build dir's lock, for
``_reuse.py`` to check (see it for the order of the checks). A build is
recorded only when all it depended on can be told by signatures:

- its build dir is persistent and under ``<project>/build/`` (the only ones looked at);
- it does not repair with the tool (``repair.mode`` on): the libraries
  grafted come from the system, whose every change no signature here shows;
- its version does not come from version control (git is asked for it);
- it writes no build timings page;
- its staging trees were kept (``cmake/staged.py``: no ``install(CODE)`` and the like);
- the project holds at most ``LIMIT`` files and directories;
- nothing it depends on outside the build dir changed since the build
  started, nor in the moment before (``_records.is_racy``): a change during
  the build may not show in its wheel.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ironwheel import _layout, _reuse
from ironwheel._records import is_racy, signature
from ironwheel._requires import programs
from ironwheel.archive.files import project_tree
from ironwheel.builds.native import NativeBuild
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.helpers import HELPERS_DIR
from ironwheel.project.metacache import input_files
from ironwheel.project.project import Project
from ironwheel.settings import ConfigSettings

__all__ = ["LIMIT", "Recorder", "capture", "record"]

log = logging.getLogger("ironwheel")

LIMIT = 20_000  # files and directories of a project whose every build is recorded
# Records of the build dir that a full build reads to decide what to do.
_RECORDS = (
    _layout.STATE,
    _layout.TOOLS,
    _layout.METADATA,
    _layout.ENTRY_POINTS,
    _layout.ENV_FILES,
    _layout.REPAIR_CHECK,
    _layout.NEEDS_PATCHELF,
    _layout.INSTALL,
    _layout.WHEEL,
)


@dataclasses.dataclass
class Recorder:
    """What the hook knows of a wheel build that the record needs: its start, settings, warnings."""

    started_ns: int
    config_settings: ConfigSettings | None
    warnings: list[str] = dataclasses.field(default_factory=list)


class _Warnings(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


def capture(recorder: Recorder) -> logging.Handler:
    """A handler collecting the warnings of the build, to be given again when its wheel is."""
    handler = _Warnings(recorder.warnings)
    logging.getLogger("ironwheel").addHandler(handler)
    return handler


def _files_below(directory: Path) -> list[Path]:
    found: list[Path] = []
    for parent, _dirs, files in os.walk(directory):
        found += [Path(parent, name) for name in files]
    return found


def _mirrored(build_dir: BuildDir, native: NativeBuild) -> tuple[list[Path], list[Path]]:
    """The environment's packages the view holds copies of (``envview``): their directories and
    copied files, and apart the files the view holds hard links to.

    A hard link is the environment's very file, ninja reads it, and other build dirs linking
    it change its status-change time: like a program, it is compared without it.
    """
    copied: list[Path] = []
    linked: list[Path] = []
    for index, site in enumerate(native.environment.site_dirs):
        view = build_dir.view / f"site-{index}"
        try:
            entries = list(os.scandir(view))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _split(site / entry.name, Path(entry.path), copied, linked)
    return copied, linked


def _split(source: Path, mine: Path, copied: list[Path], linked: list[Path]) -> None:
    """Below ``source``: what the view copied into ``copied``, the files it links to into ``linked``."""
    copied.append(source)
    try:
        entries = list(os.scandir(source))
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.is_dir():
            _split(path, mine / entry.name, copied, linked)
            continue
        try:
            theirs, ours = entry.stat(), os.lstat(mine / entry.name)
        except OSError:
            copied.append(path)
            continue
        same = (theirs.st_ino, theirs.st_dev) == (ours.st_ino, ours.st_dev)
        (linked if same else copied).append(path)


def _outside(project: Project, never: list[Path], mirrored: list[Path]) -> list[Path] | None:
    """What the build read outside its build dir, but programs; None when there is too much of it."""
    tree = project_tree(
        project.root,
        never,
        dist_name=project.name,
        follow_external_links=project.settings.sdist.follow_external_links,
        limit=LIMIT,
    )
    if tree is None:
        return None
    paths = [*tree, project.root / ".git" / "info" / "exclude"]
    paths += [Path(entry) for entry in sys.path if entry]
    paths += [Path(entry) for entry in os.environ.get("PATH", os.defpath).split(os.pathsep) if entry]
    paths += mirrored
    # The code that made the wheel: ironwheel's modules and CMake package.
    paths += [Path(str(module.__file__)) for _name, module in _modules()]
    paths += [HELPERS_DIR, *_files_below(HELPERS_DIR)]
    return list(dict.fromkeys(paths))


def _without_ctime(native: NativeBuild, linked: list[Path]) -> list[Path]:
    """What is compared without its status-change time, which links to it change.

    The programs the build ran or chose from (cmake and ninja, the compilers, the
    interpreter), and the environment's files the view links to.
    """
    paths = [Path(path) for path, _stat in programs(os.environ)]
    paths += [native.cmake.path, *([native.ninja.path] if native.ninja is not None else [])]
    launcher = native.plan.fresh_key.get("launcher")
    paths += [Path(launcher)] if launcher else []
    paths += [path for _language, path in native.model.compilers] if native.model is not None else []
    paths += native.compiler_programs
    paths += [Path(sys.executable), native.environment.base_executable]
    paths += linked
    return list(dict.fromkeys(paths))


def _modules() -> list[tuple[str, Any]]:
    """ironwheel's modules this process loaded from files."""
    return [
        (name, module)
        for name, module in sorted(sys.modules.items())
        if (name == "ironwheel" or name.startswith("ironwheel.")) and getattr(module, "__file__", None)
    ]


def _why_not(project: Project, build_dir: BuildDir) -> str:
    """Why this build cannot be handed out again, or ""."""
    path = project.build_dir()
    if path is None or build_dir.temporary or path.parent != project.root / "build":
        return "not a persistent build dir under build/"
    if project.request.editable or project.settings.build.timings:
        return "an editable build, or one that writes its timings"
    from ironwheel.repair.mode import decide

    if decide(project.settings.repair.mode, project.request).mode == "on":
        return "the repair grafts libraries from the system"
    if project.pyproject.dynamic:
        from ironwheel.project.dynamic import sources

        where = sources(project.pyproject, project.root, project.settings)
        if where.version == "vcs" and not where.from_sdist:
            return "the version comes from version control"
    return ""


def _signatures(paths: Iterable[Path], started_ns: int, *, ctime: bool = True) -> list[list[Any]] | None:
    entries: list[list[Any]] = []
    for path in paths:
        found = signature(path, ctime=ctime)
        if found is not None and is_racy(found, started_ns):
            log.debug("not recording this build for reuse: %s changed while it ran", path)
            return None
        entries.append([str(path), found])
    return entries


def _kept(build_dir: BuildDir, name: str) -> tuple[Mapping[str, Any], list[list[Any]]] | None:
    """The staged files' record and the kept wheel's, when this build kept both."""
    install = build_dir.record("install").load(lambda data: data["value"])
    wheel = build_dir.record("wheel").load(
        lambda data: (
            (data["signature"], dict(data["digests"]), list(data["sources"]))
            if data["name"] == name
            else None
        )
    )
    if install is None or wheel is None:
        return None
    inputs, staged = install
    kept, digests, sources = wheel
    # Every file an entry is read from, wherever it is (a force-include from a tool's tree, a
    # file ninja writes in the build dir), as the wheel was written from it; but those ironwheel
    # writes in its state dir from the rest (the staging trees are compared file by file, the
    # relinked binaries are made from them again by each full build).
    state = str(build_dir.state_dir) + os.sep
    sources = [str(source) for source in sources if not str(source).startswith(state)]
    if any(source not in digests for source in sources):
        return None  # a file changed in the moment before its digest was taken: not told by signature
    read = [[source, digests[source][0]] for source in sources]
    return {"signature": kept, "inputs": [*inputs, *read]}, staged


def _metadata_files(project: Project) -> list[Path] | None:
    """The files the metadata was read from, wherever they are; None when that cannot be told."""
    names = input_files(project.pyproject, project.root, project.settings)
    if names is None:
        return None
    return [project.root / name for name in dict.fromkeys([*names, *project.core.read])]


def _skip(why: str) -> None:
    log.debug("not recording this build for reuse: %s", why)


def record(
    project: Project,
    build_dir: BuildDir,
    native: NativeBuild | None,
    wheel_name: str,
    never: list[Path],
    recorder: Recorder,
) -> None:
    """Record the build just done for ``_reuse``, or say (in the debug log) why it cannot be."""
    if native is None:
        return _skip("nothing was built with CMake")
    why = _why_not(project, build_dir)
    if why:
        return _skip(why)
    root = signature(project.root)
    if root is None or is_racy(root, recorder.started_ns):
        # Seen before anything is walked: the first build of a tree makes its build dir there.
        return _skip(f"{project.root} changed while it ran")
    kept = _kept(build_dir, wheel_name)
    if kept is None:
        return _skip("its staging trees or its wheel, or the files it was written from, were not kept")
    metadata = _metadata_files(project)
    if metadata is None:
        return _skip("the files of its metadata cannot be told")
    copied, linked = _mirrored(build_dir, native)
    outside = _outside(project, never, copied)
    if outside is None:
        return _skip(f"the project holds more than {LIMIT} files and directories")
    before = _signatures(outside, recorder.started_ns)
    tools = _signatures(_without_ctime(native, linked), recorder.started_ns, ctime=False)
    # Compared after ninja ran, with the rest it may have changed (a readme in the build dir).
    read = _signatures(metadata, recorder.started_ns)
    if before is None or tools is None or read is None:
        return
    wheel, staged = kept
    records = [build_dir.state_dir / name for name in _RECORDS]
    reply = build_dir.path / ".cmake" / "api" / "v1" / "reply"
    _reuse.save(
        str(build_dir.state_dir),
        {
            "process": _reuse.process_key(recorder.config_settings, os.environ),
            "before": before + [[str(path), signature(path)] for path in records],
            "without_ctime": tools,
            "commands": [list(command) for command in native.commands],
            "environment": dict(native.plan.environment),
            "after": [*wheel["inputs"], *read, [str(reply), signature(reply)]],
            "staged": staged,
            "wheel": wheel_name,
            "wheel_signature": wheel["signature"],
            "warnings": recorder.warnings,
        },
    )
