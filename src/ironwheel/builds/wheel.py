"""The wheel build: the packages, the native build if any, the contents, repair, one deterministic zip."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from pathlib import Path

from ironwheel import _reuse
from ironwheel.archive.files import Selection
from ironwheel.archive.layout import Package, discover_packages, import_name
from ironwheel.archive.reproducible import source_date_epoch
from ironwheel.archive.wheel import write_wheel
from ironwheel.builds import reusable
from ironwheel.builds.contents import Contents, dist_info_files, wheel_contents
from ironwheel.builds.lastwheel import LastWheel
from ironwheel.builds.native import NativeBuild, build_native
from ironwheel.builds.timings import step
from ironwheel.cmake.builddir import BuildDir
from ironwheel.errors import PackagingError
from ironwheel.project.generate import render_project
from ironwheel.project.project import Project
from ironwheel.project.sourcedirs import warn_marked_sources

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ironwheel.builds.reusable import Recorder

__all__ = ["build_wheel", "find_packages", "write_metadata"]

log = logging.getLogger("ironwheel")


def write_metadata(project: Project, metadata_directory: Path) -> str:
    """``prepare_metadata_for_build_wheel``: the .dist-info directory, nothing compiled."""
    tag, _ = project.tag
    target = metadata_directory / project.dist_info
    for name, source in dist_info_files(project, tag).items():
        path = metadata_directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(source if isinstance(source, bytes) else source.read_bytes())
    return target.name


def find_packages(project: Project) -> list[Package]:
    """The project's Python packages; an error when there is nothing at all to build."""
    name = project.core.name
    warn_marked_sources(project)
    settings = project.settings
    packages = discover_packages(
        project.root,
        name,
        settings.wheel.packages,
        settings.wheel.package_dirs,
        where=settings.where("wheel.packages"),
    )
    if not packages and not project.native:
        module = import_name(name)
        raise PackagingError(
            f"nothing to build: no CMakeLists.txt in {project.source_dir} and no Python package "
            f"(looked for src/, python/{module}/, {module}/ and {module}.py)",
            hint=f"create src/{module}/__init__.py, or list packages in tool.ironwheel.wheel.packages",
        )
    return packages


@contextlib.contextmanager
def _build_dir(project: Project) -> Iterator[BuildDir | None]:
    """The locked build directory of a project CMake builds; None for one that is pure Python."""
    if not project.native:
        yield None
        return
    with BuildDir.open(project.build_dir()) as build_dir, build_dir.lock():
        yield build_dir


def build_wheel(project: Project, wheel_directory: Path, *, recorder: Recorder | None = None) -> str:
    """Build the wheel into ``wheel_directory``; return its file name.

    With a ``recorder`` (the build_wheel hook's), the build is recorded for
    ``_reuse`` when it can be (``builds/reusable.py``).
    """
    started = time.monotonic()
    tag, _ = project.tag
    packages = find_packages(project)
    log.info("building %s %s (%s)", project.core.name, project.version, tag)
    build_root = project.build_dir()
    never = [build_root] if build_root is not None else []
    never += [wheel_directory.resolve()] if project.root in wheel_directory.resolve().parents else []
    sdist = project.settings.sdist
    selection = Selection(
        include=sdist.include,
        exclude=sdist.exclude,
        never=never,
        follow_external_links=sdist.follow_external_links,
        dist_name=project.name,
    )
    generated = render_project(project)
    with _build_dir(project) as build_dir:
        if build_dir is not None:
            _reuse.forget(str(build_dir.state_dir))  # it describes the last build, not this one
        native = build_native(project, build_dir, generated) if build_dir is not None else None
        contents = wheel_contents(
            project,
            tag,
            packages,
            selection,
            generated,
            installed=native.installed if native is not None else None,
            consumed=native.consumed if native is not None else frozenset(),
        )
        target, files = _pack(project, contents, wheel_directory, build_dir, native)
        if recorder is not None and build_dir is not None:
            reusable.record(project, build_dir, native, target.name, never, recorder)
    log.info(
        "built %s (%d files, %.1f kB) in %.1f s",
        target.name,
        files,
        target.stat().st_size / 1000,
        time.monotonic() - started,
    )
    return target.name


def _pack(
    project: Project,
    contents: Contents,
    wheel_directory: Path,
    build_dir: BuildDir | None,
    native: NativeBuild | None,
) -> tuple[Path, int]:
    """Repair what CMake built (as decided, once, for this build), then write the one zip.

    Returns the wheel and the number of its files.
    """
    tag, _ = project.tag
    entries = contents.entries
    filename = f"{project.core.dist_info_name}-{tag}.whl"
    if build_dir is not None and native is not None:
        from ironwheel.repair.mode import decide
        from ironwheel.repair.project import repair_wheel_entries

        with step("repair"):
            entries, filename = repair_wheel_entries(
                project,
                entries,
                filename,
                model=native.model,
                build_dir=build_dir,
                decision=decide(project.settings.repair.mode, project.request),
            )
    with step("pack"):
        target = wheel_directory / filename
        epoch = source_date_epoch()
        if build_dir is not None and not build_dir.temporary:
            # A wheel whose entries are those of the last one is that wheel (builds/lastwheel.py).
            last = LastWheel(build_dir)
            key = last.key(
                entries, contents.executables, dist_info=project.dist_info, epoch=epoch, name=filename
            )
            if not last.take(key, target):
                last.write(
                    key, target, entries, contents.executables, dist_info=project.dist_info, epoch=epoch
                )
        else:
            write_wheel(
                target,
                entries,
                dist_info=project.dist_info,
                epoch=epoch,
                executables=contents.executables,
                work_dir=build_dir.outputs if build_dir is not None else None,
            )
    return target, len(entries) + 1  # RECORD
