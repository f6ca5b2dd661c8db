"""Which Python packages the wheel ships, and the files in them.

Explicit ``wheel.packages`` wins. Otherwise the package named after the
project (``<name>`` is the project name with ``-`` and ``.`` turned into
``_``) is looked for as ``src/<name>``, ``src/<name>.py``, ``python/<name>``,
``<name>`` (with an ``__init__.py``) and ``<name>.py``; failing that, every
package in ``src/`` (any directory holding Python files or stubs, namespace
packages included) ships.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from ironwheel.archive.files import Selection, check_inside, select_files
from ironwheel.errors import ConfigError

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


# PEP 503's normalization (packaging.utils.canonicalize_name, whose import costs
# every build the whole of packaging.tags).
_SEPARATORS = re.compile(r"[-_.]+")


def import_name(project_name: str) -> str:
    """``my-project`` -> ``my_project``."""
    return _SEPARATORS.sub("_", project_name).lower()


def _explicit(root: Path, entries: Sequence[str], setting: str) -> list[Package]:
    packages: list[Package] = []
    for index, entry in enumerate(entries):
        path = Path(os.path.abspath(root / entry))
        where = f"{setting}[{index}]"
        if not path.exists():
            raise ConfigError(
                f'{where}: "{entry}" does not exist',
                hint="list package directories or .py modules relative to the project root",
            )
        if path == root:
            raise ConfigError(
                f'{where}: "{entry}" is the project directory itself',
                hint='list the package directories inside it, such as "src/<package>"',
            )
        if root not in path.parents:
            raise ConfigError(
                f'{where}: "{entry}" is outside the project', hint="ship packages from inside the project"
            )
        if path.is_file() and path.suffix != ".py":
            raise ConfigError(
                f'{where}: "{entry}" is neither a directory nor a .py module',
                hint="list package directories or .py modules relative to the project root",
            )
        packages.append(Package(path, path.name))
    return packages


def _holds_python(directory: Path) -> bool:
    """A package, regular or namespace: Python files or stubs somewhere below."""
    for _path, _dirs, files in os.walk(directory):
        if any(name.endswith((".py", ".pyi")) for name in files):
            return True
    return False


def _renamed(root: Path, renamed: Mapping[str, str]) -> list[Package]:
    packages: list[Package] = []
    for name, entry in renamed.items():
        where = f"tool.ironwheel.wheel.package-dirs.{name}"
        path = Path(os.path.abspath(root / entry))
        # PEP 561 stub-only packages are named "<package>-stubs".
        if not name.removesuffix("-stubs").isidentifier():
            raise ConfigError(
                f'{where}: "{name}" is not a package name', hint="name the package as it is imported"
            )
        if not path.is_dir() or root not in path.parents:
            raise ConfigError(
                f'{where}: "{entry}" is not a directory of the project',
                hint="give the package's directory relative to the project root",
            )
        packages.append(Package(path, name))
    return packages


def discover_packages(
    root: Path,
    project_name: str,
    explicit: Sequence[str],
    renamed: Mapping[str, str] | None = None,
    *,
    where: str = "tool.ironwheel.wheel.packages",
) -> list[Package]:
    """The packages to ship; may be empty for a project that only builds extensions.

    ``where`` names the setting ``explicit`` comes from, for messages.
    """
    root = Path(os.path.abspath(root))
    extra = _renamed(root, renamed or {})
    if explicit or extra:
        found = _explicit(root, explicit, where) if explicit else _discovered(root, project_name)
        return [*(p for p in found if p.name not in {e.name for e in extra}), *extra]
    return _discovered(root, project_name)


def _discovered(root: Path, project_name: str) -> list[Package]:
    name = import_name(project_name)
    for candidate in (root / "src" / name, root / "python" / name):
        if candidate.is_dir() and _holds_python(candidate):
            return [Package(candidate, name)]
    for candidate in (root / "src" / f"{name}.py", root / f"{name}.py"):
        if candidate.is_file():
            return [Package(candidate, candidate.name)]
    package = root / name
    if (package / "__init__.py").is_file() or (package / "__init__.pyi").is_file():
        return [Package(package, name)]
    src = root / "src"
    if not src.is_dir():
        return []
    return [
        Package(child, child.name)
        for child in sorted(src.iterdir())
        if child.is_dir() and child.name.isidentifier() and _holds_python(child)
    ]


def package_files(
    root: Path, packages: Sequence[Package], selection: Selection, generated: Sequence[str] = ()
) -> dict[str, Path]:
    """Wheel path -> source file for every selected file of every package.

    ``selection`` is the sdist's: the wheel ships a package's files exactly
    when the sdist would, so a wheel built from the sdist is the same wheel;
    like the sdist, it always takes ``generated`` files (relative to ``root``).
    """
    files: dict[str, Path] = {}
    for package in packages:
        if package.is_module:
            check_inside(root, package.source, follow_external_links=selection.follow_external_links)
            files[package.name] = package.source
            continue
        prefix = package.source.relative_to(os.path.abspath(root)).as_posix()
        found = select_files(root, selection, start=package.source)
        found += [path for path in generated if path.startswith(prefix + "/")]
        for relative in found:
            inner = relative[len(prefix) + 1 :]
            files[f"{package.name}/{inner}"] = package.source / inner
    return files
