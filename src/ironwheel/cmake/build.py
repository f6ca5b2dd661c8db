"""The build and install steps, and what the install put into the staging tree."""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from ironwheel._run import run
from ironwheel.cmake import staged
from ironwheel.cmake.builddir import STAGING_TREES, BuildDir
from ironwheel.cmake.envfiles import remember, restore
from ironwheel.cmake.fileapi import CodeModel
from ironwheel.cmake.plan import Plan
from ironwheel.cmake.staged import Installed
from ironwheel.errors import CommandError, IronwheelError, PackagingError
from ironwheel.settings import Settings
from ironwheel.tools.toolchain import Program

__all__ = ["Installed", "build", "build_commands", "install"]

log = logging.getLogger("ironwheel")


def _build_command(
    build_dir: BuildDir,
    plan: Plan,
    settings: Settings,
    cmake: Program,
    ninja: Program | None,
    targets: Sequence[str],
) -> list[str]:
    options = settings.build
    if ninja is not None and plan.generator == "Ninja":
        command = [str(ninja.path), "-C", str(build_dir.path)]
        if options.jobs:
            command += ["-j", str(options.jobs)]
        elif "CMAKE_BUILD_PARALLEL_LEVEL" in os.environ:
            command += ["-j", os.environ["CMAKE_BUILD_PARALLEL_LEVEL"]]
        if options.verbose:
            command.append("-v")
        return command + list(targets)
    command = [str(cmake.path), "--build", str(build_dir.path)]
    if plan.multi_config:
        command += ["--config", plan.build_type]
    if options.jobs:
        command += ["--parallel", str(options.jobs)]
    if options.verbose:
        command.append("--verbose")
    for target in targets:
        command += ["--target", target]
    return command


def build(
    build_dir: BuildDir,
    plan: Plan,
    settings: Settings,
    cmake: Program,
    ninja: Program | None,
    optional: Sequence[str] = (),
    required: Sequence[str] = (),
) -> dict[str, IronwheelError]:
    """Compile (incrementally): ninja directly, or ``cmake --build`` for other generators.

    ``cmake.targets`` (else the default target) are built, with the
    ``required`` ones when targets are listed. The ``optional`` targets (left
    out of the default target) are built one by one afterwards; those that
    fail are returned with the error, the others' failures raise.
    """
    first, *rest = build_commands(build_dir, plan, settings, cmake, ninja, optional, required)
    uses_ninja = ninja is not None and plan.generator.startswith("Ninja")
    if uses_ninja:
        restore(build_dir)
    try:
        run(first, env=plan.environment)
    except CommandError as error:
        from ironwheel.cmake.diagnose import build_error  # only a failure pays for its patterns

        raise build_error(error) from error
    failed: dict[str, IronwheelError] = {}
    for target, command in zip(optional, rest):
        try:
            run(command, env=plan.environment)
        except CommandError as error:
            from ironwheel.cmake.diagnose import build_error

            failed[target] = build_error(error)
    if uses_ninja:
        remember(build_dir)
    return failed


def build_commands(
    build_dir: BuildDir,
    plan: Plan,
    settings: Settings,
    cmake: Program,
    ninja: Program | None,
    optional: Sequence[str] = (),
    required: Sequence[str] = (),
) -> list[list[str]]:
    """The commands :func:`build` runs: the targets asked for, then each optional one."""
    targets = [*settings.cmake.targets, *required] if settings.cmake.targets else []
    commands = [_build_command(build_dir, plan, settings, cmake, ninja, targets)]
    return commands + [
        _build_command(build_dir, plan, settings, cmake, ninja, [target]) for target in optional
    ]


_DESTINATION = re.compile(r'file\(INSTALL DESTINATION "([^"]*)"')


def _outside_destinations(build_dir: BuildDir) -> list[str]:
    """Absolute install() destinations outside the staging trees, found before installing."""
    staging = Path(os.path.abspath(build_dir.staging))
    outside: set[str] = set()
    for directory, _dirs, files in os.walk(build_dir.path):
        if "cmake_install.cmake" not in files:
            continue
        text = Path(directory, "cmake_install.cmake").read_text(encoding="utf-8", errors="replace")
        for destination in _DESTINATION.findall(text):
            if destination.startswith("${CMAKE_INSTALL_PREFIX}"):
                continue
            path = Path(os.path.abspath(destination))
            if path != staging and staging not in path.parents:
                outside.add(destination)
    return sorted(outside)


def _check_manifest(build_dir: BuildDir) -> None:
    """Fail when the install wrote files outside the staging trees (install(CODE), install(SCRIPT))."""
    staging = Path(os.path.abspath(build_dir.staging))
    outside: list[str] = []
    for manifest in sorted(build_dir.path.glob("install_manifest*.txt")):
        for line in manifest.read_text(encoding="utf-8", errors="replace").splitlines():
            path = Path(os.path.abspath(line)) if line.strip() else staging
            if path != staging and staging not in path.parents and line not in outside:
                outside.append(line)
    if outside:
        raise PackagingError(
            f"cmake --install wrote {outside[0]}, outside the wheel"
            + (f" (and {len(outside) - 1} more)" if len(outside) > 1 else ""),
            details=outside[1:],
            hint="an install(CODE) or install(SCRIPT) of the project writes there; install files with "
            "install(FILES ... DESTINATION <relative path>) instead, then delete what was written",
        )


def install(
    build_dir: BuildDir, plan: Plan, cmake: Program, model: CodeModel | None = None
) -> list[Installed]:
    """``cmake --install`` into freshly emptied staging trees; return what it put there.

    The trees are emptied first so that everything in them comes from this
    install, including files that install(CODE) or install(SCRIPT) write.
    An absolute DESTINATION outside the trees is refused before anything is
    installed, so nothing is ever written outside the build directory. When
    nothing the install rules take changed since the last install (see
    ``cmake/staged.py``, which ``model`` lets decide), the trees it left are
    taken as they are.
    """
    kept = staged.recall(build_dir, plan, cmake, model)
    if kept is not None:
        log.info("the installed files are up to date: nothing the install rules take has changed")
        return kept
    staged.forget(build_dir)
    inputs = staged.inputs_now(build_dir, model)
    outside = _outside_destinations(build_dir)
    if outside:
        raise PackagingError(
            f"CMakeLists.txt installs to {outside[0]}, outside the wheel"
            + (f" (and {len(outside) - 1} more)" if len(outside) > 1 else ""),
            hint="use relative install() DESTINATIONs (they land in the wheel's package "
            "root) or ${IRONWHEEL_DATA_DIR}-style ones; never absolute paths",
        )
    shutil.rmtree(build_dir.staging, ignore_errors=True)
    for tree in STAGING_TREES:
        build_dir.tree(tree).mkdir(parents=True, exist_ok=True)
    for manifest in build_dir.path.glob("install_manifest*.txt"):
        manifest.unlink()
    command = [str(cmake.path), "--install", str(build_dir.path), "--prefix", str(plan.install_prefix)]
    if plan.multi_config:
        command += ["--config", plan.build_type]
    try:
        # DESTDIR would put every file outside the staging trees.
        run(command, env={**plan.environment, "DESTDIR": ""})
    except CommandError as error:
        from ironwheel.cmake.diagnose import install_error

        raise install_error(error) from error
    _check_manifest(build_dir)
    staged.remember(build_dir, plan, cmake, inputs)
    # Not resolved: a symbolic link (libfoo.so.1 -> libfoo.so.1.2.3) is a file of its own.
    return staged.staged_files(build_dir)
