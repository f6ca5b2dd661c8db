"""``build.toolchain = "zig"``: C and C++ compiled by zig for the target, from any host.

zig (the ``ziglang`` package from PyPI, ``python -m ziglang``, or a zig on
PATH, which is used without requesting the package) ships the C
libraries of many targets: glibc headers and stubs of any version from 2.17
on, musl, the macOS SDK's C part and mingw-w64. A build with it therefore
gets manylinux binaries whatever the host's glibc, and musllinux, macOS and
Windows binaries from Linux. CMake wants one program per compiler, so
small wrapper scripts in the build dir's state dir call ``zig cc``, ``zig
c++``, ``zig ar`` and ``zig ranlib`` with the target triple.

Limits: C++ is compiled against zig's own libc++ and links it statically
(never libstdc++); zig has no Fortran and no CUDA compiler; it builds one
architecture at a time (no universal2 in one build); and its macOS linker
makes no bundles, so modules are built as dylibs, which Python loads the
same way.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import os
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from ironwheel.errors import ConfigError, ToolError
from ironwheel.target import WheelTarget
from ironwheel.target.arch import zig_arch

__all__ = [
    "ZIGLANG",
    "ZigPlan",
    "find_zig",
    "plan_zig",
    "unsupported_languages",
    "zig_requirements",
]

log = logging.getLogger("ironwheel")

ZIGLANG = "ziglang>=0.13"

# The oldest glibc zig provides for a machine (2.17 unless the port is younger).
_OLDEST_GLIBC = {"riscv64": (2, 27), "loongarch64": (2, 36)}
_ALIASES = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
_POLICY = re.compile(r"^(manylinux|musllinux)_(\d+)_(\d+)")
# zig's musl is 1.2.x.
_MUSL = (1, 2)
LANGUAGES = frozenset({"C", "CXX", "ASM", "RC"})


@dataclasses.dataclass(frozen=True)
class ZigPlan:
    """The zig target and what CMake and the repair step are told."""

    triple: str  # x86_64-linux-gnu.2.17, x86_64-linux-musl, aarch64-macos.11.0, x86_64-windows-gnu
    policy: str  # the manylinux/musllinux policy the binaries are built for ("" off Linux)
    reason: str  # why this triple, for the log

    def scripts(self, zig: Path) -> dict[str, str]:
        """Wrapper scripts by file name: one program each for CMake's C and C++ compiler, ar and ranlib."""
        commands = {
            "cc": ["cc", "-target", self.triple],
            "c++": ["c++", "-target", self.triple],
            "ar": ["ar"],
            "ranlib": ["ranlib"],
        }
        if os.name == "nt":
            return {f"{name}.cmd": f'@"{zig}" {" ".join(words)} %*\r\n' for name, words in commands.items()}
        return {
            name: '#!/bin/sh\n# Written by ironwheel: build.toolchain = "zig".\n'
            f'exec "{zig}" {" ".join(words)} "$@"\n'
            for name, words in commands.items()
        }

    def cache_entries(self, scripts_dir: Path, target: WheelTarget) -> list[tuple[str, str, str]]:
        """(name, value, type) cache entries that make CMake compile with the wrappers."""
        suffix = ".cmd" if os.name == "nt" else ""
        entries = [
            ("CMAKE_C_COMPILER", (scripts_dir / f"cc{suffix}").as_posix(), "FILEPATH"),
            ("CMAKE_CXX_COMPILER", (scripts_dir / f"c++{suffix}").as_posix(), "FILEPATH"),
            ("CMAKE_AR", (scripts_dir / f"ar{suffix}").as_posix(), "FILEPATH"),
            ("CMAKE_RANLIB", (scripts_dir / f"ranlib{suffix}").as_posix(), "FILEPATH"),
        ]
        if target.system == "macos":
            entries.append(
                ("CMAKE_USER_MAKE_RULES_OVERRIDE", (scripts_dir / "rules.cmake").as_posix(), "FILEPATH")
            )
        if target.system == "linux":
            # zig compiles its own libraries (libc++, libunwind) with debug information that names
            # the directory its sources were in, and caches them across builds: the binaries of a
            # release build would carry the build directory of whichever build compiled them
            # first. Builds without debug information of their own drop it at the link. These
            # are the defaults of CMake's flags: a project or -D that sets the flags replaces them.
            entries += [
                (f"CMAKE_{kind}_LINKER_FLAGS_{config}_INIT", "-Wl,--strip-debug", "STRING")
                for kind in ("EXE", "SHARED", "MODULE")
                for config in ("RELEASE", "MINSIZEREL")
            ]
        return entries

    def rules(self) -> str:
        """CMake rules for macOS: modules are dylibs (zig's linker makes no bundles)."""
        return (
            "# Written by ironwheel: zig's macOS linker makes no bundles;\n"
            "# Python loads a dylib the same way.\n"
            "foreach(_ironwheel_lang C CXX)\n"
            "  set(CMAKE_SHARED_MODULE_CREATE_${_ironwheel_lang}_FLAGS\n"
            '    "-shared -Wl,-headerpad_max_install_names")\n'
            "endforeach()\n"
        )


def _glibc(policy: str) -> tuple[int, int] | None:
    if policy in _ALIASES:
        return _ALIASES[policy]
    match = _POLICY.match(policy)
    if match and match.group(1) == "manylinux":
        return int(match.group(2)), int(match.group(3))
    return None


def plan_zig(target: WheelTarget, policy: str, environ: Mapping[str, str] | None = None) -> ZigPlan:
    """The zig triple for ``target``; on Linux the C library version from ``policy`` (repair.manylinux).

    With ``policy = "auto"`` AUDITWHEEL_PLAT (a manylinux image's) chooses, else the
    oldest glibc zig provides for the machine: 2.17, manylinux2014's.
    """
    environ = os.environ if environ is None else environ
    if len(target.archs) > 1:
        raise ConfigError(
            f'build.toolchain = "zig" builds one architecture at a time, but the target is {target.platform}',
            hint='build an arm64 and an x86_64 wheel (ARCHFLAGS="-arch arm64", then "-arch x86_64") '
            "and fuse them with delocate-merge",
        )
    arch = zig_arch(target.arch)
    if not arch:
        raise ConfigError(
            f'build.toolchain = "zig" does not know the machine {target.arch} ({target.platform})',
            hint='build with build.toolchain = "native" and a cross compiler (CC, CXX, CMAKE_TOOLCHAIN_FILE)',
        )
    if target.system == "macos":
        assert target.macos_version is not None
        major, minor = target.macos_version
        return ZigPlan(f"{arch}-macos.{major}.{minor}", "", f"macOS {major}.{minor} ({target.origin})")
    if target.system == "windows":
        return ZigPlan(f"{arch}-windows-gnu", "", f"Windows ({target.origin})")
    if target.system != "linux":
        raise ConfigError(
            f'build.toolchain = "zig" cannot build for {target.platform}',
            hint="build for Linux, macOS or Windows, or use the native toolchain",
        )
    source = f'repair.manylinux = "{policy}"'
    if policy == "auto" and environ.get("AUDITWHEEL_PLAT"):
        policy = environ["AUDITWHEEL_PLAT"]
        source = f"AUDITWHEEL_PLAT={policy}"
    if policy.endswith(f"_{target.arch}"):
        policy = policy[: -len(target.arch) - 1]
    abi = "gnueabihf" if arch == "arm" else "gnu"
    if target.libc == "musl":
        wanted = _POLICY.match(policy)
        if (
            wanted
            and wanted.group(1) == "musllinux"
            and (int(wanted.group(2)), int(wanted.group(3))) != _MUSL
        ):
            raise ConfigError(
                f"{source}: zig's musl is {_MUSL[0]}.{_MUSL[1]}, so it builds musllinux_1_2 wheels only",
                hint='set repair.manylinux = "musllinux_1_2"',
            )
        triple = f"{arch}-linux-{'musleabihf' if arch == 'arm' else 'musl'}"
        return ZigPlan(triple, "musllinux_1_2", f"musl {_MUSL[0]}.{_MUSL[1]} ({source})")
    oldest = _OLDEST_GLIBC.get(target.arch, (2, 17))
    glibc = _glibc(policy)
    if glibc is None:
        glibc, source = oldest, f"the oldest glibc zig provides for {target.arch}"
    elif glibc < oldest:
        raise ConfigError(
            f"{source}: zig provides glibc {oldest[0]}.{oldest[1]} or later for {target.arch}",
            hint=f'set repair.manylinux = "manylinux_{oldest[0]}_{oldest[1]}" or a later policy',
        )
    triple = f"{arch}-linux-{abi}.{glibc[0]}.{glibc[1]}"
    return ZigPlan(triple, f"manylinux_{glibc[0]}_{glibc[1]}", f"glibc {glibc[0]}.{glibc[1]} ({source})")


def find_zig(environ: Mapping[str, str] | None = None) -> Path | None:
    """The zig program: the ``ziglang`` package's here (``python -m ziglang``), else a zig on PATH."""
    environ = os.environ if environ is None else environ
    spec = importlib.util.find_spec("ziglang")
    if spec is not None and spec.submodule_search_locations:
        directory = Path(next(iter(spec.submodule_search_locations)))
        program = directory / ("zig.exe" if os.name == "nt" else "zig")
        if program.is_file():
            return program
    found = shutil.which("zig", path=environ.get("PATH", os.defpath))
    return Path(found) if found else None


def require_zig(environ: Mapping[str, str] | None = None) -> Path:
    """The zig program, or the error that says how to get it."""
    zig = find_zig(environ)
    if zig is None:
        raise ToolError(
            f'build.toolchain = "zig" needs zig: {ZIGLANG} is not installed and there is no zig on PATH',
            hint="build with a frontend (pip wheel, python -m build), which installs it, "
            f'or pip install "{ZIGLANG}"',
        )
    return zig


def zig_requirements() -> list[str]:
    """``ziglang`` when there is no zig (here or on PATH), for get_requires_for_build_wheel."""
    found = find_zig()
    if found is not None:
        log.info('using zig at %s for build.toolchain = "zig"', found)
        return []
    log.info('requesting %s: build.toolchain = "zig"', ZIGLANG)
    return [ZIGLANG]


def unsupported_languages(languages: Iterable[str]) -> list[str]:
    """The CMake languages among ``languages`` that zig does not compile (Fortran, CUDA, ...)."""
    return sorted({language for language in languages if language not in LANGUAGES})


def unsupported_error(languages: Iterable[str], where: str) -> ToolError:
    """The error for a zig build of a project that needs another compiler."""
    names = " and ".join(unsupported_languages(languages))
    return ToolError(
        f'build.toolchain = "zig" compiles C and C++ only, but {where} needs {names}',
        hint='build it with build.toolchain = "native" (a manylinux container gives old-glibc wheels with '
        "gfortran and nvcc), or leave the module out (enabled = false in an override)",
    )
