"""Choosing cmake and ninja for a build: the last choice while what decided it holds, else a search."""

from __future__ import annotations

import logging
from pathlib import Path

from ironwheel.errors import ToolError
from ironwheel.tools.toolcache import ToolCache, choice_key
from ironwheel.tools.toolchain import (
    Program,
    Versions,
    cmake_requirement,
    find_cmake,
    find_ninja,
    needs_ninja,
)

__all__ = ["choose_tools"]

log = logging.getLogger("ironwheel")


def choose_tools(configured: str, source_dir: Path, cache: ToolCache) -> tuple[Program, Program | None]:
    """cmake (satisfying ``cmake.version``, ``configured``, and the project's minimum) and ninja.

    ``cache`` remembers the choice with everything that decided it.
    """
    key = choice_key(configured, source_dir)
    chosen = cache.chosen(key)
    if chosen is not None:
        for program in chosen:
            if program is not None:
                log.info("using %s", program.describe())
        return chosen
    cmake, ninja = _find_tools(configured, source_dir, cache.versions)
    cache.choose(key, cmake, ninja)
    return cmake, ninja


def _find_tools(configured: str, source_dir: Path, versions: Versions) -> tuple[Program, Program | None]:
    spec = cmake_requirement(configured, source_dir)
    cmake, why = find_cmake(spec, versions=versions)
    if cmake is None:
        raise ToolError(
            f"no cmake{spec} found ({why})",
            hint=f'install one (pip install "cmake{spec}"), set CMAKE_EXECUTABLE, or build with '
            "build isolation so that ironwheel can request it",
        )
    log.info("using %s", cmake.describe())
    ninja = None
    if needs_ninja():
        ninja, why = find_ninja(versions=versions)
        if ninja is None:
            raise ToolError(
                f"no ninja found ({why})",
                hint="install it (pip install ninja, apt-get install ninja-build) or set "
                'CMAKE_GENERATOR="Unix Makefiles"',
            )
        log.info("using %s", ninja.describe())
    return cmake, ninja
