"""Copies of cmake, ninja and zig that outlive the build environment.

When the frontend installed cmake or ninja from PyPI into an isolated build
environment, that environment is deleted after the build, yet the build tree
keeps using the tools: ninja re-runs the cmake that generated ``build.ninja``
when a CMakeLists.txt changes, and an editable install rebuilds with ninja and
``cmake --install`` long after the build. A persistent build directory
therefore keeps its own copy of such a tool, one per version, under
``.ironwheel/tools``, hard-linked where the file system allows. With the same
copy used by every build, the configure command stays the same from one
isolated build to the next, and configuring is skipped.

Tools installed outside Python environments (the system's, a distro's) are
used where they are. zig is kept only when it lives in a temporary
environment (see :func:`_keep_zig`).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import tempfile
from pathlib import Path

from ironwheel._run import capture
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.environment import BuildEnvironment
from ironwheel.errors import CommandError, ToolError
from ironwheel.tools.compilerset import Compilers
from ironwheel.tools.toolchain import Program

__all__ = ["keep_compilers", "keep_tools", "temporary_roots"]

log = logging.getLogger("ironwheel")

_COMPLETE = ".complete"
_EXE = ".exe" if os.name == "nt" else ""


def temporary_roots(environment: BuildEnvironment) -> list[Path]:
    """The environment roots that the frontend deletes after the build.

    pip, build and pdm make their isolated environments in the temporary
    directory, uv in its cache (``builds-v0``); an environment the user made
    for a build without isolation lives elsewhere and stays.
    """
    temporary = Path(tempfile.gettempdir()).resolve()
    return [
        root
        for root in environment.roots()
        if temporary in root.parents or any(part.startswith("builds-v") for part in root.parts)
    ]


def _inside(path: Path, roots: list[Path]) -> bool:
    candidates = {path.absolute(), path.resolve()}
    return any(root == candidate or root in candidate.parents for candidate in candidates for root in roots)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _replace(directory: Path, fill: dict[Path, Path]) -> None:
    """Make ``directory`` hold exactly ``fill`` (target -> source), then mark it complete."""
    if directory.exists():
        shutil.rmtree(directory)
    for target, source in fill.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, copy_function=_link_or_copy, symlinks=True)
        else:
            _link_or_copy(str(source), str(target))
    (directory / _COMPLETE).write_text("", encoding="utf-8")


def _forget_others(tools: Path, name: str, keep: Path) -> None:
    for other in tools.glob(f"{name}-*"):
        if other != keep:
            shutil.rmtree(other, ignore_errors=True)


def _cmake_locations(cmake: Program, probe_dir: Path) -> tuple[Path, Path]:
    """The real cmake binary (PyPI's ``cmake`` is a Python script) and its module root."""
    script = probe_dir / "where.cmake"
    script.write_text('message(STATUS "${CMAKE_COMMAND}|${CMAKE_ROOT}")\n', encoding="utf-8")
    try:
        output = capture([cmake.path, "-P", script])
    except (CommandError, ToolError) as error:
        raise ToolError(
            f"cannot ask {cmake.path} where it lives: {error.message}",
            hint="install cmake outside the build environment (pip install cmake, apt-get install cmake)",
        ) from error
    finally:
        script.unlink(missing_ok=True)
    for line in output.splitlines():
        command, sep, root = line.removeprefix("-- ").partition("|")
        if sep:
            return Path(command), Path(root)
    raise ToolError(f"{cmake.path} did not say where it lives", hint="reinstall cmake")


def _keep_cmake(build_dir: BuildDir, cmake: Program) -> Program:
    tools = build_dir.tools
    kept = tools / f"cmake-{cmake.version}"
    binary = kept / "bin" / f"cmake{_EXE}"
    if not ((kept / _COMPLETE).is_file() and binary.is_file()):
        tools.mkdir(parents=True, exist_ok=True)
        real, root = _cmake_locations(cmake, tools)
        log.info("keeping a copy of cmake %s in %s (the build environment is temporary)", cmake.version, kept)
        # CMake finds its modules at <directory of the binary>/../share/cmake-X.Y.
        _replace(kept, {binary: real, kept / "share" / root.name: root})
        _forget_others(tools, "cmake", kept)
    return dataclasses.replace(cmake, path=binary, origin=f"a copy of {cmake.path}")


def _real_ninja(ninja: Program, environment: BuildEnvironment) -> Path | None:
    """The ninja binary itself: older PyPI ninjas install a Python script in front of it."""
    path = ninja.path.resolve()
    with path.open("rb") as handle:
        if handle.read(2) != b"#!":
            return path
    for site in environment.site_dirs:
        candidate = site / "ninja" / "data" / "bin" / f"ninja{_EXE}"
        if candidate.is_file():
            return candidate
    return None


def _keep_ninja(build_dir: BuildDir, ninja: Program, environment: BuildEnvironment) -> Program:
    tools = build_dir.tools
    kept = tools / f"ninja-{ninja.version}"
    binary = kept / f"ninja{_EXE}"
    if not ((kept / _COMPLETE).is_file() and binary.is_file()):
        real = _real_ninja(ninja, environment)
        if real is None:
            log.warning("cannot find the ninja binary behind %s; the build dir depends on it", ninja.path)
            return ninja
        log.info("keeping a copy of ninja %s in %s (the build environment is temporary)", ninja.version, kept)
        _replace(kept, {binary: real})
        _forget_others(tools, "ninja", kept)
    return dataclasses.replace(ninja, path=binary, origin=f"a copy of {ninja.path}")


def keep_tools(
    build_dir: BuildDir, environment: BuildEnvironment, cmake: Program, ninja: Program | None
) -> tuple[Program, Program | None]:
    """The tools to build with: kept copies of those that live in a Python environment."""
    if build_dir.temporary:
        return cmake, ninja
    roots = environment.roots()
    if _inside(cmake.path, roots):
        cmake = _keep_cmake(build_dir, cmake)
    if ninja is not None and _inside(ninja.path, roots):
        ninja = _keep_ninja(build_dir, ninja, environment)
    return cmake, ninja


def _keep_zig(build_dir: BuildDir, environment: BuildEnvironment, zig: Path, version: str) -> Path:
    """The zig program to build with: a kept copy (and its lib directory) when it lives in a temporary
    build environment, else zig where it is.

    zig caches what it builds of the C libraries (mingw-w64's takes a minute) under a key that
    holds the path of its lib directory: zig is moved only when its path would change anyway.
    The ziglang package holds the binary and, next to it, that lib directory; both are kept,
    hard-linked where the file system allows.
    """
    if build_dir.temporary or not _inside(zig, temporary_roots(environment)):
        return zig
    tools = build_dir.tools
    kept = tools / f"zig-{version}"
    binary = kept / zig.name
    if not ((kept / _COMPLETE).is_file() and binary.is_file()):
        log.info("keeping a copy of zig %s in %s (the build environment is temporary)", version, kept)
        _replace(kept, {binary: zig, kept / "lib": zig.parent / "lib"})
        _forget_others(tools, "zig", kept)
    return binary


def keep_compilers(build_dir: BuildDir, environment: BuildEnvironment, compilers: Compilers) -> Compilers:
    """The compilers to build with: zig from a kept copy when it lives in a temporary environment."""
    if compilers.zig_program is None:
        return compilers
    program = _keep_zig(build_dir, environment, compilers.zig_program, compilers.zig_version)
    return dataclasses.replace(compilers, zig_program=program)
