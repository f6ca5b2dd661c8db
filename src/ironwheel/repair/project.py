"""Repair in the wheel build: the settings, the build's knowledge, and the mode, put together."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ironwheel.cmake.fileapi import CodeModel
from ironwheel.project import Project
from ironwheel.repair.base import Options
from ironwheel.repair.internal import link_internal_libraries, search_dirs
from ironwheel.repair.mode import decide
from ironwheel.repair.pipeline import finish
from ironwheel.repair.platforms import repairer_for
from ironwheel.wheel import Source

__all__ = ["repair_may_request", "repair_requirements", "repair_wheel_entries"]


def repair_requirements(project: Project, *, state: str = "wheel", release: bool = False) -> list[str]:
    """What repair needs from PyPI for this build: its tool only when it repairs.

    A check uses the tool when the environment has it; requesting it for every
    build would turn it into a build dependency of every project (and of every
    distribution package generated from get_requires_for_build_wheel).
    """
    decision = decide(project.settings.repair.mode, state=state, release=release)
    repairer = repairer_for(project.tag[0].platform)
    if decision.mode == "off" or repairer is None:
        return []
    return repairer.requirements(os.environ, decision.mode)


def repair_may_request(project: Project, *, state: str = "wheel") -> bool:
    """Whether :func:`repair_requirements` depends on what the environment has installed."""
    decision = decide(project.settings.repair.mode, state=state)
    return decision.mode == "on" and repairer_for(project.tag[0].platform) is not None


def repair_wheel_entries(
    project: Project,
    entries: dict[str, Source],
    wheel_name: str,
    *,
    model: CodeModel | None,
    build_dir: Path,
    state: str,
    release: bool,
) -> tuple[dict[str, Source], str]:
    """Link the internal libraries, then repair or check as decided; the final entries and name."""
    settings = project.settings.repair
    work_dir = build_dir / ".ironwheel" / "repair"
    shutil.rmtree(work_dir, ignore_errors=True)
    decision = decide(settings.mode, state=state, release=release)
    repairer = repairer_for(project.tag[0].platform)
    internal = []
    lib_dirs: tuple[Path, ...] = ()
    if model is not None:
        lib_dirs = search_dirs(model)
        if repairer is not None:
            internal = link_internal_libraries(
                entries,
                model,
                linker=repairer.linker,
                libs_dir=project.dist_info.split("-")[0] + ".libs",
                work_dir=work_dir / "relinked",
                build_roots=(build_dir, project.root, project.source_dir),
                required=decision.mode == "on",
            )
    options = Options(
        manylinux=settings.manylinux,
        exclude=settings.exclude,
        macos_archs=settings.macos_archs,
        lib_dirs=lib_dirs + tuple((project.root / item).resolve() for item in settings.dll_dirs),
        environ=dict(os.environ),
    )
    return finish(
        entries,
        wheel_name=wheel_name,
        dist_info=project.dist_info,
        decision=decision,
        options=options,
        work_dir=work_dir / "tool",
        check_cache=build_dir / ".ironwheel" / "repair-check.json",
        name=project.core.name,
        version=str(project.version),
        internal=internal,
    )
