"""Repair in the wheel build: the settings, the build's knowledge, and the mode, put together.

What repair requests of the frontend is in ``repair/requests.py`` (and named here too).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from ironwheel._faults import stall
from ironwheel.archive.wheel import Source
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.fileapi import CodeModel
from ironwheel.errors import ToolError
from ironwheel.project.project import Project
from ironwheel.repair.base import Options
from ironwheel.repair.internal import link_internal_libraries, search_dirs
from ironwheel.repair.mode import Decision
from ironwheel.repair.pipeline import finish
from ironwheel.repair.platforms import repairer_for
from ironwheel.repair.requests import relink_requirements, repair_may_request, repair_requirements

__all__ = [
    "relink_requirements",
    "repair_may_request",
    "repair_requirements",
    "repair_wheel_entries",
]

log = logging.getLogger("ironwheel")


def _policy(project: Project) -> str:
    """repair.manylinux; with zig on Linux the policy of the C library the binaries were built for."""
    settings = project.settings
    if settings.build.toolchain == "zig" and project.target.system == "linux":
        from ironwheel.tools.zig import plan_zig

        return plan_zig(project.target, settings.repair.manylinux).policy
    return settings.repair.manylinux


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
