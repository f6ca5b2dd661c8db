"""A project on disk: its pyproject.toml, settings and metadata, read once."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.version import Version

from ironwheel.archive.tags import StableABI, WheelTag, target_tag
from ironwheel.errors import ConfigError, PackagingError
from ironwheel.project.pyproject import Pyproject, read_pyproject
from ironwheel.request import BuildRequest
from ironwheel.settings import ConfigSettings, Settings, load_settings
from ironwheel.settings.model import CMakeSettings

if TYPE_CHECKING:
    from ironwheel.extensions.tables import Extension
    from ironwheel.project.metacache import Core
    from ironwheel.project.metadata import Metadata
    from ironwheel.target import WheelTarget

__all__ = ["Project"]

log = logging.getLogger("ironwheel")


class Project:
    """The project being built for one request: settings now, metadata when first needed."""

    def __init__(
        self,
        root: Path,
        pyproject: Pyproject,
        settings: Settings,
        request: BuildRequest = BuildRequest(),
    ) -> None:
        self.root = root
        self.pyproject = pyproject
        self.settings = settings
        self.request = request
        self._checked_build_dirs: set[Path] = set()
        self._said: set[str] = set()

    @classmethod
    def load(
        cls,
        root: Path,
        config_settings: ConfigSettings | None = None,
        *,
        request: BuildRequest = BuildRequest(),
    ) -> Project:
        """Read and check pyproject.toml and every settings source for ``request``."""
        root = root.resolve()
        pyproject = read_pyproject(root)
        settings = load_settings(pyproject.data, config_settings, project_dir=root, request=request)
        project = cls(root, pyproject, settings, request)
        from ironwheel.archive.files import check_inside

        # The sdist carries it, and the metadata comes from it: the same rule as every file.
        try:
            check_inside(
                root, root / "pyproject.toml", follow_external_links=settings.sdist.follow_external_links
            )
        except PackagingError as error:
            raise PackagingError(
                error.message,
                hint="copy the file into the project instead of linking to it, or set "
                "tool.ironwheel.sdist.follow-external-links = true to read what the link points to",
            ) from None
        source_dir = settings.cmake.source_dir
        if source_dir != CMakeSettings.source_dir and not (project.source_dir / "CMakeLists.txt").is_file():
            raise ConfigError(
                f'{settings.where("cmake.source-dir")}: no CMakeLists.txt in "{source_dir}"',
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
        """Whether CMake builds part of this project: its CMakeLists.txt or extension tables.

        ``wheel.cmake = false`` leaves out the CMakeLists.txt, not the tables.
        """
        enabled = any(table.enabled for table in self.settings.extension.values())
        return self.has_cmakelists or enabled

    def _warn(self, messages: Sequence[str]) -> None:
        """Show each warning about the metadata once, whether it was read or recalled."""
        for message in messages:
            if message not in self._said:
                self._said.add(message)
                log.warning("%s", message)

    @functools.cached_property
    def metadata(self) -> Metadata:
        # Imported when needed: get_requires_for_build_wheel never is, and pays no import.
        from ironwheel.project.metadata import read_metadata

        metadata, said = read_metadata(self.pyproject, self.root, self.settings)
        self._warn(said)
        return metadata

    @functools.cached_property
    def core(self) -> Core:
        """What a wheel needs of the metadata, kept in the build dir while its inputs last."""
        from ironwheel.cmake.builddir import BuildDir
        from ironwheel.project.metacache import load_core

        try:
            build_dir = self.build_dir()
        except ConfigError:
            build_dir = None  # reported by the build that needs the build dir
        # Kept only in a build dir that exists: reading the metadata makes none.
        record = BuildDir(build_dir).record("metadata") if build_dir is not None else None
        core = load_core(self.pyproject, self.root, self.settings, record)
        self._warn(core.warnings)
        return core

    @property
    def version(self) -> Version:
        return self.core.version

    @property
    def name(self) -> str:
        return self.pyproject.name

    @property
    def dist_info(self) -> str:
        return f"{self.core.dist_info_name}.dist-info"

    @functools.cached_property
    def tag(self) -> tuple[WheelTag, StableABI | None]:
        py_api = self.settings.wheel.py_api
        if self.settings.extension:
            from ironwheel.extensions.tables import derived_py_api

            py_api = derived_py_api(self.pyproject.requires_python, self.settings, self.has_cmakelists)
        return target_tag(self.target, native=self.native, py_api=py_api)

    @functools.cached_property
    def target(self) -> WheelTarget:
        """What the wheel is built for: platform, architectures, libc, Python (see ironwheel.target)."""
        from ironwheel.target import load_target

        target = load_target(self.settings, self.root)
        log.debug("target: %s", target.describe())
        return target

    def extensions(self) -> list[Extension]:
        """The extension tables, checked (ConfigError lists every problem)."""
        from ironwheel.extensions.tables import load_extensions

        stable_abi = self.tag[1]
        return load_extensions(
            self.root,
            self.settings,
            requires_python=self.pyproject.requires_python,
            stable_abi=stable_abi,
            target=self.target,
        )

    def build_dir(self, template: str | None = None) -> Path | None:
        """The persistent build directory, or None to build in a temporary one."""
        # An explicit template is ironwheel's own default, used where the setting does not apply.
        setting = self.settings.where("build.dir") if template is None else "tool.ironwheel.build.dir"
        template = self.settings.build.dir if template is None else template
        if not template:
            return None
        tag, _ = self.tag
        path = Path(
            os.path.abspath(
                self.root / template.format(wheel_tag=str(tag), build_type=self.settings.cmake.build_type)
            )
        )
        if path not in self._checked_build_dirs:
            from ironwheel.project.sourcedirs import check_build_dir

            check_build_dir(self, path, template, setting)
            self._checked_build_dirs.add(path)
        return path
