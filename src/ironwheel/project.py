"""A project on disk: its pyproject.toml, settings and metadata, read once."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.version import Version

from ironwheel.errors import ConfigError, PackagingError
from ironwheel.pyproject import read_pyproject
from ironwheel.settings import ConfigSettings, Settings, load_settings
from ironwheel.settings.model import CMakeSettings
from ironwheel.tags import StableABI, WheelTag, target_tag

if TYPE_CHECKING:
    from ironwheel.metacache import Core
    from ironwheel.metadata import Metadata
    from ironwheel.target import Target

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
        self._checked_build_dirs: set[Path] = set()
        self._said: set[str] = set()

    @classmethod
    def load(
        cls, root: Path, config_settings: ConfigSettings | None = None, *, state: str = "wheel"
    ) -> Project:
        """Read and check pyproject.toml and every settings source for a build of ``state``."""
        root = root.resolve()
        pyproject = read_pyproject(root)
        settings = load_settings(pyproject, config_settings, project_dir=root, state=state)
        project = cls(root, pyproject, settings)
        from ironwheel.files import check_inside

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
        """Whether CMake builds part of this project: its CMakeLists.txt or extension tables."""
        enabled = any(table.enabled for table in self.settings.extension.values())
        return self.has_cmakelists or (self.settings.wheel.cmake and enabled)

    def _warn(self, messages: Sequence[str]) -> None:
        """Show each warning about the metadata once, whether it was read or recalled."""
        for message in messages:
            if message not in self._said:
                self._said.add(message)
                log.warning("%s", message)

    @functools.cached_property
    def metadata(self) -> Metadata:
        # Imported when needed: get_requires_for_build_wheel never is, and pays no import.
        from ironwheel.metadata import read_metadata

        metadata, said = read_metadata(self.pyproject, self.root, self.settings)
        self._warn(said)
        return metadata

    @functools.cached_property
    def core(self) -> Core:
        """What a wheel needs of the metadata, kept in the build dir while its inputs last."""
        from ironwheel.metacache import load_core

        try:
            build_dir = self.build_dir()
        except ConfigError:
            build_dir = None  # reported by the build that needs the build dir
        state = build_dir / ".ironwheel" if build_dir is not None else None
        record = state / "metadata.json" if state is not None and state.is_dir() else None
        core = load_core(self.pyproject, self.root, self.settings, record)
        self._warn(core.warnings)
        return core

    @property
    def version(self) -> Version:
        return self.core.version

    @property
    def name(self) -> str:
        return str(self.pyproject["project"].get("name", ""))

    @property
    def dist_info(self) -> str:
        return f"{self.core.dist_info_name}.dist-info"

    @functools.cached_property
    def tag(self) -> tuple[WheelTag, StableABI | None]:
        py_api = self.settings.wheel.py_api
        if self.settings.extension:
            from ironwheel.extensions import derived_py_api

            py_api = derived_py_api(self.pyproject, self.settings, self.has_cmakelists)
        return target_tag(self.target, native=self.native, py_api=py_api)

    @functools.cached_property
    def target(self) -> Target:
        """What the wheel is built for (see ironwheel.target)."""
        from ironwheel.target import load_target

        target = load_target(self.settings, self.root)
        log.debug("target: %s", target.describe())
        return target

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
            from ironwheel.sourcedirs import check_build_dir

            check_build_dir(self, path, template, setting)
            self._checked_build_dirs.add(path)
        return path
