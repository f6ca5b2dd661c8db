"""The build and install steps, and what the install put into the staging tree."""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from pathlib import Path

from ironwheel._run import run
from ironwheel.cmake.builddir import STAGING_TREES, BuildDir
from ironwheel.cmake.configure import Plan
from ironwheel.cmake.diagnose import build_error, install_error
from ironwheel.cmake.envfiles import remember, restore
from ironwheel.errors import CommandError, PackagingError
from ironwheel.settings import Settings
from ironwheel.toolchain import Program

__all__ = ["Installed", "build", "install"]

log = logging.getLogger("ironwheel")


@dataclasses.dataclass(frozen=True)
class Installed:
    """A file ``cmake --install`` placed in one of the staging trees."""

    tree: str
    path: str  # POSIX, relative to the tree
    source: Path


def build(build_dir: BuildDir, plan: Plan, settings: Settings, cmake: Program, ninja: Program | None) -> None:
    """Compile (incrementally): ninja directly, or ``cmake --build`` for other generators."""
    options = settings.build
    if ninja is not None and plan.generator == "Ninja":
        command = [str(ninja.path), "-C", str(build_dir.path)]
        if options.jobs:
            command += ["-j", str(options.jobs)]
        elif "CMAKE_BUILD_PARALLEL_LEVEL" in os.environ:
            command += ["-j", os.environ["CMAKE_BUILD_PARALLEL_LEVEL"]]
        if options.verbose:
            command.append("-v")
        command += list(settings.cmake.targets)
    else:
        command = [str(cmake.path), "--build", str(build_dir.path)]
        if plan.multi_config:
            command += ["--config", plan.build_type]
        if options.jobs:
            command += ["--parallel", str(options.jobs)]
        if options.verbose:
            command.append("--verbose")
        for target in settings.cmake.targets:
            command += ["--target", target]
    uses_ninja = ninja is not None and plan.generator.startswith("Ninja")
    if uses_ninja:
        restore(build_dir)
    try:
        run(command, env=plan.environment)
    except CommandError as error:
        raise build_error(error) from error
    if uses_ninja:
        remember(build_dir)


def _manifest(build_dir: BuildDir) -> list[Path]:
    manifest = build_dir.path / "install_manifest.txt"
    try:
        text = manifest.read_text(encoding="utf-8")
    except OSError:
        return []
    return [Path(line) for line in text.splitlines() if line.strip()]


def install(build_dir: BuildDir, plan: Plan, cmake: Program) -> list[Installed]:
    """``cmake --install`` into the staging trees; return this install's files.

    The staging tree persists between builds, so ``cmake --install`` only
    copies what changed. What the install manifest does not list (files of an
    earlier build that the project no longer installs) is deleted.
    """
    for tree in STAGING_TREES:
        build_dir.tree(tree).mkdir(parents=True, exist_ok=True)
    started = time.time()
    command = [str(cmake.path), "--install", str(build_dir.path), "--prefix", str(plan.install_prefix)]
    if plan.multi_config:
        command += ["--config", plan.build_type]
    try:
        run(command, env=plan.environment)
    except CommandError as error:
        raise install_error(error) from error
    # Normalised but not resolved: a symbolic link (libfoo.so -> libfoo.so.1) is a file of its own.
    listed = {Path(os.path.abspath(path)) for path in _manifest(build_dir)}
    staging = Path(os.path.abspath(build_dir.staging))
    outside = sorted(str(path) for path in listed if staging not in path.parents)
    if outside:
        raise PackagingError(
            f"CMake installed {outside[0]} outside the wheel"
            + (f" (and {len(outside) - 1} more)" if len(outside) > 1 else ""),
            hint="use relative install() DESTINATIONs (they land in the wheel's package "
            "root) or ${IRONWHEEL_DATA_DIR}-style ones; never absolute paths",
        )
    installed: list[Installed] = []
    for tree in STAGING_TREES:
        root = Path(os.path.abspath(build_dir.tree(tree)))
        for directory, _dirs, files in os.walk(root):
            for name in files:
                path = Path(directory, name)
                # install(CODE/SCRIPT) may write files the manifest does not list.
                if path in listed or path.lstat().st_mtime >= started:
                    installed.append(Installed(tree, path.relative_to(root).as_posix(), path))
                else:
                    path.unlink()
    return sorted(installed, key=lambda item: (item.tree, item.path))
