"""The compilers of one build: CMake's own choice, zig for the target, or MSVC's environment loaded.

:func:`prepare_compilers` runs what it must (``zig version``; vswhere and
vcvarsall.bat) and returns a :class:`Compilers` that the configure plan
turns into cache entries, wrapper scripts and the build's environment.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

from ironwheel._run import capture
from ironwheel.errors import CommandError, ToolError
from ironwheel.settings import Settings
from ironwheel.target import WheelTarget
from ironwheel.tools.msvc import MsvcEnvironment, load_msvc, msvc_wanted
from ironwheel.tools.zig import ZigPlan, plan_zig, require_zig, unsupported_error, unsupported_languages

__all__ = ["Compilers", "check_languages", "prepare_compilers"]

log = logging.getLogger("ironwheel")


@dataclasses.dataclass(frozen=True)
class Compilers:
    """What the configure step adds for the compilers: nothing for the native toolchain."""

    zig: ZigPlan | None = None
    zig_program: Path | None = None
    zig_version: str = ""
    msvc: MsvcEnvironment | None = None

    def key(self) -> dict[str, str]:
        """What a cache built with these compilers depends on."""
        key: dict[str, str] = {}
        if self.zig is not None:
            key["zig"] = f"{self.zig.triple} {self.zig_program}"
        if self.msvc is not None:
            key["msvc"] = f"{self.msvc.installation} {self.msvc.arch}"
        return key


def _zig_version(zig: Path) -> str:
    try:
        return capture([zig, "version"], timeout=60).strip()
    except (CommandError, ToolError) as error:
        raise ToolError(
            f"{zig} does not run: {error.message}",
            hint="reinstall the ziglang package (pip install --force-reinstall ziglang), "
            'or set build.toolchain = "native"',
        ) from error


def prepare_compilers(
    settings: Settings, target: WheelTarget, environ: Mapping[str, str], msvc_dir: Path
) -> Compilers:
    """The compilers ``settings`` ask for: zig (found, its version asked), MSVC's environment, or CMake's.

    ``msvc_dir`` is where the script that prints vcvarsall.bat's environment is written.
    """
    if settings.build.toolchain == "zig":
        plan = plan_zig(target, settings.repair.manylinux, environ)
        zig = require_zig(environ)
        version = _zig_version(zig)
        log.info("toolchain: zig %s for %s: %s", version, plan.triple, plan.reason)
        return Compilers(zig=plan, zig_program=zig, zig_version=version)
    generator = environ.get("CMAKE_GENERATOR") or "Ninja"
    wanted, why = msvc_wanted(settings.build.msvc, generator, target, settings.build.toolchain, environ)
    if target.host_system == "windows":
        log.info("MSVC environment: %s", "loading it" if wanted else "not loading it")
        log.info("  (%s)", why)
    if wanted:
        return Compilers(msvc=load_msvc(target, environ, msvc_dir))
    return Compilers()


def check_languages(compilers: Compilers, languages: Iterable[str], where: str) -> None:
    """A zig build of something that needs another compiler (Fortran, CUDA) is an error."""
    languages = list(languages)
    if compilers.zig is not None and unsupported_languages(languages):
        raise unsupported_error(languages, where)
