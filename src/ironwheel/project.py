"""A project on disk: its pyproject.toml, settings and metadata, read once."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from packaging.version import Version

from ironwheel.errors import ConfigError
from ironwheel.metadata import Metadata, dist_info_name, load_metadata
from ironwheel.pyproject import read_pyproject
from ironwheel.settings import ConfigSettings, Settings, load_settings
from ironwheel.settings.model import CMakeSettings
from ironwheel.tags import StableABI, WheelTag, compute_tag

__all__ = ["Project"]

log = logging.getLogger("ironwheel")


class Project:
    """The project being built: settings now, metadata when first needed."""

    def __init__(
        self,
        root: Path,
        pyproject: Mapping[str, Any],
        settings: Settings,
    ) -> None:
        self.root = root
        self.pyproject = pyproject
        self.settings = settings

    @classmethod
    def load(
        cls, root: Path, config_settings: ConfigSettings | None = None, *, state: str = "wheel"
    ) -> Project:
        """Read and check pyproject.toml and every settings source for a build of ``state``."""
        root = root.resolve()
        pyproject = read_pyproject(root)
        settings = load_settings(pyproject, config_settings, project_dir=root, state=state)
        project = cls(root, pyproject, settings)
        source_dir = settings.cmake.source_dir
        if source_dir != CMakeSettings.source_dir and not (project.source_dir / "CMakeLists.txt").is_file():
            raise ConfigError(
                f'tool.ironwheel.cmake.source-dir: no CMakeLists.txt in "{source_dir}"',
                hint="point it at the directory holding the top-level CMakeLists.txt",
            )
        return project

    @property
    def source_dir(self) -> Path:
        return (self.root / self.settings.cmake.source_dir).resolve()

    @property
    def has_cmakelists(self) -> bool:
        """Whether the project's own CMakeLists.txt is built (``wheel.cmake`` not false)."""
        return self.settings.wheel.cmake and (self.source_dir / "CMakeLists.txt").is_file()

    @property
    def native(self) -> bool:
        """Whether CMake builds part of this project: its CMakeLists.txt or extension tables."""
        return self.has_cmakelists or (self.settings.wheel.cmake and bool(self.settings.extension))

    @functools.cached_property
    def metadata(self) -> Metadata:
        return load_metadata(self.pyproject, self.root, self.settings)

    @property
    def version(self) -> Version:
        version = self.metadata.version
        assert version is not None, "load_metadata always resolves the version"
        return version

    @property
    def name(self) -> str:
        return str(self.pyproject["project"].get("name", ""))

    @property
    def dist_info(self) -> str:
        return f"{dist_info_name(self.metadata)}.dist-info"

    @functools.cached_property
    def tag(self) -> tuple[WheelTag, StableABI | None]:
        from ironwheel.extensions import derived_py_api

        py_api = derived_py_api(self.pyproject, self.settings, self.has_cmakelists)
        return compute_tag(native=self.native, py_api=py_api)

    def build_dir(self) -> Path | None:
        """The persistent build directory, or None to build in a temporary one."""
        template = self.settings.build.dir
        if not template:
            return None
        tag, _ = self.tag
        path = Path(
            os.path.abspath(
                self.root / template.format(wheel_tag=str(tag), build_type=self.settings.cmake.build_type)
            )
        )
        for protected in (self.root, self.source_dir):
            if path == protected or path in protected.parents:
                raise ConfigError(
                    f'tool.ironwheel.build.dir: "{template}" is the project directory or contains it',
                    hint='use a directory of its own, such as "build/{wheel_tag}" (the default)',
                )
        return path
