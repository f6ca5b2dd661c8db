"""The compilers of one build: CMake's own choice, zig for the target, or MSVC's environment loaded."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from ironwheel._run import capture
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.tools import keep_zig
from ironwheel.errors import CommandError, ToolError
from ironwheel.settings import Settings
from ironwheel.target import Target
from ironwheel.toolchains.msvc import MsvcEnvironment, load_msvc, msvc_wanted
from ironwheel.toolchains.zig import ZigPlan, plan_zig, require_zig, unsupported_error, unsupported_languages

log = logging.getLogger("ironwheel")

__all__ = ["ZIG_DIR", "Toolchain", "check_languages", "prepare_toolchain"]

ZIG_DIR = "zig"  # in the state dir: the wrapper scripts


@dataclasses.dataclass(frozen=True)
class Toolchain:
    """What the configure step adds for the compilers: nothing for the native toolchain."""

    zig: ZigPlan | None = None
    zig_program: Path | None = None
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


def prepare_toolchain(
    settings: Settings, target: Target, build_dir: BuildDir, environ: Mapping[str, str] | None = None
) -> Toolchain:
    """Set up the compilers ``settings`` ask for: zig's wrappers, or MSVC's environment, or nothing."""
    environ = os.environ if environ is None else environ
    if settings.build.toolchain == "zig":
        plan = plan_zig(target, settings.repair.manylinux, environ)
        zig = require_zig()
        version = _zig_version(zig)
        program = keep_zig(build_dir, zig, version)
        log.info("toolchain: zig %s for %s: %s", version, plan.triple, plan.reason)
        return Toolchain(zig=plan, zig_program=program)
    generator = environ.get("CMAKE_GENERATOR") or "Ninja"
    wanted, why = msvc_wanted(settings.build.msvc, generator, target, settings.build.toolchain, environ)
    if target.host_system == "windows":
        log.info("MSVC environment: %s", "loading it" if wanted else "not loading it")
        log.info("  (%s)", why)
    if wanted:
        return Toolchain(msvc=load_msvc(target, environ, build_dir.state_dir / "msvc"))
    return Toolchain()


def check_languages(toolchain: Toolchain, languages: Iterable[str], where: str) -> None:
    """A zig build of something that needs another compiler (Fortran, CUDA) is an error."""
    languages = list(languages)
    if toolchain.zig is not None and unsupported_languages(languages):
        raise unsupported_error(languages, where)
