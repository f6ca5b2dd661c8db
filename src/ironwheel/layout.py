"""Which Python packages the wheel ships, and the files in them.

Explicit ``wheel.packages`` wins. Otherwise: every top-level package and
module in ``src/`` (the src layout), else ``python/<name>``, else
``<name>/`` or ``<name>.py`` beside pyproject.toml, where ``<name>`` is the
project name with dashes turned into underscores.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from pathlib import Path

from packaging.utils import canonicalize_name

from ironwheel.errors import ConfigError
from ironwheel.files import Selection, select_files

__all__ = ["Package", "discover_packages", "import_name", "package_files"]

log = logging.getLogger("ironwheel")


@dataclasses.dataclass(frozen=True)
class Package:
    """A package directory or a single module file in the source tree."""

    source: Path  # absolute
    name: str  # its name at the root of the wheel ("pkg" or "mod.py")

    @property
    def is_module(self) -> bool:
        return self.source.is_file()


def import_name(project_name: str) -> str:
    """``my-project`` -> ``my_project``."""
    return canonicalize_name(project_name).replace("-", "_")


def _explicit(root: Path, entries: Sequence[str]) -> list[Package]:
    packages: list[Package] = []
    for index, entry in enumerate(entries):
        path = (root / entry).resolve()
        where = f"tool.ironwheel.wheel.packages[{index}]"
        if not path.exists():
            raise ConfigError(
                f'{where}: "{entry}" does not exist',
                hint="list package directories or .py modules relative to the project root",
            )
        if root.resolve() not in path.parents:
            raise ConfigError(
                f'{where}: "{entry}" is outside the project', hint="ship packages from inside the project"
            )
        if path.is_file() and path.suffix != ".py":
            raise ConfigError(f'{where}: "{entry}" is neither a directory nor a .py module')
        packages.append(Package(path, path.name))
    return packages


def _in_src(src: Path) -> list[Package]:
    found: list[Package] = []
    for child in sorted(src.iterdir()):
        if child.name.startswith((".", "_")) and child.name != "__init__.py":
            continue
        if (child.is_dir() and child.name.isidentifier() and any(child.glob("*.py"))) or (
            child.is_file() and child.suffix == ".py" and child.stem.isidentifier()
        ):
            found.append(Package(child.resolve(), child.name))
    return found


def discover_packages(root: Path, project_name: str, explicit: Sequence[str]) -> list[Package]:
    """The packages to ship; may be empty for a project that only builds extensions."""
    if explicit:
        return _explicit(root, explicit)
    name = import_name(project_name)
    src = root / "src"
    if src.is_dir():
        found = _in_src(src)
        if found:
            return found
    candidates = [root / "python" / name, root / name, root / f"{name}.py"]
    for candidate in candidates:
        if candidate.is_file() or (candidate.is_dir() and (candidate / "__init__.py").is_file()):
            return [Package(candidate.resolve(), candidate.name)]
    return []


def package_files(root: Path, packages: Sequence[Package], selection: Selection) -> dict[str, Path]:
    """Wheel path -> source file for every selected file of every package.

    ``selection`` is the sdist's: the wheel ships a package's files exactly
    when the sdist would, so a wheel built from the sdist is the same wheel.
    """
    files: dict[str, Path] = {}
    for package in packages:
        if package.is_module:
            files[package.name] = package.source
            continue
        prefix = package.source.relative_to(root.resolve()).as_posix()
        for relative in select_files(root, selection, start=package.source):
            inner = relative[len(prefix) + 1 :]
            files[f"{package.name}/{inner}"] = package.source / inner
    return files
