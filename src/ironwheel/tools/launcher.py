"""The compiler launcher: a compiler cache (ccache, sccache) in front of every compile.

``build.compiler-launcher = "auto"`` takes ccache or sccache from PATH when
there is one, and stays out of the way of a launcher the user already gave
CMake (``CMAKE_<LANG>_COMPILER_LAUNCHER`` in the environment) and of a ccache
the user switched off (``CCACHE_DISABLE``: a disabled ccache still costs
every compile a process). CMake puts the
launcher in front of each compile command; the cache itself is configured the
way its user configured it (``CCACHE_*``, ``SCCACHE_*``, their config files).
ironwheel does not set ccache's base directory itself: with one, ccache hands
the compiler relative paths, and compiler errors would name files relative to
the build directory. Users who share a cache between checkouts set
``CCACHE_BASEDIR``; the build paths mapped out of the objects
(``-ffile-prefix-map``) make such hits safe.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from ironwheel.errors import ToolError

__all__ = ["LANGUAGES", "Launcher", "find_launcher"]

log = logging.getLogger("ironwheel")

# The languages compiler caches understand (Fortran would only pass through them).
LANGUAGES = ("C", "CXX", "OBJC", "OBJCXX", "CUDA")
_CACHES = ("ccache", "sccache")


@dataclasses.dataclass(frozen=True)
class Launcher:
    """A program CMake runs each compile through."""

    path: Path

    def cache_lines(self) -> list[tuple[str, str]]:
        """``CMAKE_<LANG>_COMPILER_LAUNCHER`` cache entries."""
        return [(f"CMAKE_{language}_COMPILER_LAUNCHER", self.path.as_posix()) for language in LANGUAGES]


def _disabled(value: str | None) -> bool:
    """ccache's reading of a boolean variable: set means true, unless it says otherwise."""
    return value is not None and value.strip().lower() not in ("0", "false", "no", "off", "disable")


def find_launcher(setting: str, environ: Mapping[str, str] | None = None) -> Launcher | None:
    """Resolve ``build.compiler-launcher`` to a program, or None for no launcher."""
    environ = os.environ if environ is None else environ
    search = environ.get("PATH", os.defpath)
    if setting == "none":
        return None
    if setting == "auto":
        given = sorted(
            f"CMAKE_{language}_COMPILER_LAUNCHER"
            for language in LANGUAGES
            if environ.get(f"CMAKE_{language}_COMPILER_LAUNCHER")
        )
        if given:
            log.info("compiler launcher: %s from the environment", given[0])
            return None
        for name in _CACHES:
            if name == "ccache" and _disabled(environ.get("CCACHE_DISABLE")):
                log.info("compiler launcher: not ccache (CCACHE_DISABLE is set)")
                continue
            found = shutil.which(name, path=search)
            if found is not None:
                path = Path(found)
                log.info("compiler launcher: %s", path)
                return Launcher(path)
        log.debug("compiler launcher: none (no ccache or sccache on PATH)")
        return None
    found = shutil.which(setting, path=search)
    if found is None:
        raise ToolError(
            f'build.compiler-launcher: "{setting}" was not found',
            hint='install it or put it on PATH, give its full path, or set build.compiler-launcher = "none"',
        )
    path = Path(found)
    log.info("compiler launcher: %s", path)
    return Launcher(path)
