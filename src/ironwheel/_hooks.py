"""What the PEP 517 hooks do; ``ironwheel/__init__.py`` only forwards here."""

from __future__ import annotations

import logging
from pathlib import Path

from ironwheel.project import Project
from ironwheel.settings import ConfigSettings
from ironwheel.toolchain import build_requirements, cmake_requirement

__all__ = [
    "build_sdist",
    "build_wheel",
    "get_requires_for_build_sdist",
    "get_requires_for_build_wheel",
    "prepare_metadata_for_build_wheel",
]

log = logging.getLogger("ironwheel")


def _project(config_settings: ConfigSettings | None, state: str = "wheel") -> Project:
    return Project.load(Path.cwd(), config_settings, state=state)


def get_requires_for_build_wheel(config_settings: ConfigSettings | None) -> list[str]:
    project = _project(config_settings)
    if not project.native:
        return []
    from ironwheel.cmake.helpers import helpers_used
    from ironwheel.extensions import language_requirements
    from ironwheel.repair.project import repair_requirements

    spec = cmake_requirement(project.settings.cmake.version, project.source_dir)
    helpers = helpers_used(project.source_dir) if project.has_cmakelists else frozenset()
    return build_requirements(spec) + language_requirements(project, helpers) + repair_requirements(project)


def get_requires_for_build_sdist(config_settings: ConfigSettings | None) -> list[str]:
    _project(config_settings, "sdist")
    return []


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

    return build(_project(config_settings, "sdist"), Path(sdist_directory).absolute())
