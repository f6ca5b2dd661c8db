"""Wheel tags: interpreter, ABI (abi3, free-threaded) and platform.

Platform wheels are always written with the plain platform tag
(``linux_x86_64``, ``macosx_11_0_arm64``, ``win_amd64``); only a repair tool
may claim manylinux. Each platform has its own small function, and every
input (sysconfig values, environment variables) can be passed in, so the
logic is unit-tested without the platform at hand.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import struct
import sys
import sysconfig
from collections.abc import Mapping

from ironwheel.errors import ConfigError

__all__ = [
    "MacOSTarget",
    "StableABI",
    "WheelTag",
    "abi_tag",
    "compute_tag",
    "interpreter_tag",
    "is_free_threaded",
    "macos_target",
    "platform_tag",
]

log = logging.getLogger("ironwheel")


@dataclasses.dataclass(frozen=True)
class WheelTag:
    """``interpreter-abi-platform``."""

    interpreter: str
    abi: str
    platform: str

    def __str__(self) -> str:
        return f"{self.interpreter}-{self.abi}-{self.platform}"

    @property
    def is_pure(self) -> bool:
        return self.platform == "any"


@dataclasses.dataclass(frozen=True)
class StableABI:
    """The limited API a wheel targets, e.g. ``3.9`` for ``cp39-abi3``."""

    major: int
    minor: int

    @property
    def version(self) -> str:
        return f"{self.major}.{self.minor}"


def is_free_threaded(config: Mapping[str, object] | None = None) -> bool:
    """Whether this is a free-threaded (no-GIL) CPython."""
    value = (config or sysconfig.get_config_vars()).get("Py_GIL_DISABLED")
    return bool(value)


def interpreter_tag(name: str | None = None, version: tuple[int, int] | None = None) -> str:
    """``cp311``, ``pp310``: the interpreter family and its version."""
    name = name or sys.implementation.name
    major, minor = version or sys.version_info[:2]
    short = {"cpython": "cp", "pypy": "pp", "ironpython": "ip", "jython": "jy"}.get(name, name)
    return f"{short}{major}{minor}"


def abi_tag(
    name: str | None = None,
    version: tuple[int, int] | None = None,
    config: Mapping[str, object] | None = None,
) -> str:
    """``cp311``, ``cp313t`` (free-threaded), ``cp311d`` (debug), ``pypy310_pp73``."""
    name = name or sys.implementation.name
    config = config if config is not None else sysconfig.get_config_vars()
    if name == "cpython":
        major, minor = version or sys.version_info[:2]
        debug = "d" if config.get("Py_DEBUG") else ""
        threading = "t" if config.get("Py_GIL_DISABLED") else ""
        return f"cp{major}{minor}{threading}{debug}"
    soabi = str(config.get("SOABI") or "")
    if soabi:
        parts = soabi.split("-")
        return re.sub(r"[^\w]", "_", "_".join(parts[:2]))
    return "none"


def _linux_platform(base: str, pointer_bits: int) -> str:
    # A 32-bit interpreter on a 64-bit kernel still reports the kernel's machine.
    if pointer_bits == 32:
        return {"linux_x86_64": "linux_i686", "linux_aarch64": "linux_armv8l"}.get(base, base)
    return base


_ARCH_FLAG = re.compile(r"-arch\s+(\S+)")
_VERSION = re.compile(r"^\d+(\.\d+)*$")


@dataclasses.dataclass(frozen=True)
class MacOSTarget:
    """What a macOS build targets: the architectures and the oldest macOS."""

    archs: tuple[str, ...]
    version: tuple[int, int]

    @property
    def deployment_target(self) -> str:
        return f"{self.version[0]}.{self.version[1]}"

    @property
    def platform(self) -> str:
        arch = "universal2" if self.archs == ("arm64", "x86_64") else "_".join(self.archs)
        return f"macosx_{self.version[0]}_{self.version[1]}_{arch}"


def macos_target(
    environ: Mapping[str, str] | None = None,
    machine: str | None = None,
    python_target: str | None = None,
) -> MacOSTarget:
    """Architectures from ARCHFLAGS (or the host), version from MACOSX_DEPLOYMENT_TARGET.

    The same answer feeds the wheel tag and CMake (CMAKE_OSX_ARCHITECTURES,
    CMAKE_OSX_DEPLOYMENT_TARGET), so the tag describes the binaries.
    """
    environ = os.environ if environ is None else environ
    host = environ.get("_PYTHON_HOST_PLATFORM", "")
    host_parts = host.split("-") if host.startswith("macosx-") else []
    archs = tuple(sorted(set(_ARCH_FLAG.findall(environ.get("ARCHFLAGS", "")))))
    if not archs:
        if len(host_parts) == 3:
            arch = host_parts[-1]
        else:
            import platform  # only macOS builds ask; the import costs every build otherwise

            arch = machine or platform.machine()
        archs = ("arm64", "x86_64") if arch == "universal2" else (arch,)
    if python_target is None:
        python_target = str(sysconfig.get_config_var("MACOSX_DEPLOYMENT_TARGET") or "")
    variable = environ.get("MACOSX_DEPLOYMENT_TARGET", "").strip()
    if variable and not _VERSION.match(variable):
        raise ConfigError(
            f'MACOSX_DEPLOYMENT_TARGET must be a macOS version such as "11.0", got "{variable}"',
            hint="set it to the oldest macOS the wheel supports, or unset it",
        )
    text = variable or (host_parts[1] if len(host_parts) == 3 else "") or python_target or "10.9"
    numbers = [int(part) for part in text.split(".")[:2] if part.isdigit()] + [0, 0]
    major, minor = numbers[0], numbers[1]
    if major >= 11:
        minor = 0  # since Big Sur only the major version matters
    if "arm64" in archs and len(archs) == 1 and major < 11:
        major, minor = 11, 0  # the first macOS on Apple silicon
    major, minor = max((major, minor), (10, 9))
    return MacOSTarget(archs, (major, minor))


def _windows_platform(environ: Mapping[str, str], base: str) -> str:
    target = environ.get("VSCMD_ARG_TGT_ARCH", "").lower()
    return {"x64": "win_amd64", "x86": "win32", "arm64": "win_arm64"}.get(target, base)


def platform_tag(
    environ: Mapping[str, str] | None = None,
    system_platform: str | None = None,
    machine: str | None = None,
    pointer_bits: int | None = None,
    python_macos_target: str | None = None,
) -> str:
    """The plain platform tag of the wheel being built."""
    environ = os.environ if environ is None else environ
    host = environ.get("_PYTHON_HOST_PLATFORM")
    raw = host or system_platform or sysconfig.get_platform()
    base = re.sub(r"[-.]", "_", raw)
    if base.startswith("macosx"):
        return macos_target(environ, machine, python_macos_target).platform
    if base.startswith("linux"):
        return base if host else _linux_platform(base, pointer_bits or struct.calcsize("P") * 8)
    if base.startswith("win"):
        return _windows_platform(environ, base)
    return base


def compute_tag(
    *,
    native: bool,
    py_api: str,
    implementation: str | None = None,
    version: tuple[int, int] | None = None,
    config: Mapping[str, object] | None = None,
    platform: str | None = None,
) -> tuple[WheelTag, StableABI | None]:
    """The wheel's tag and, for abi3 wheels, the limited API version."""
    implementation = implementation or sys.implementation.name
    version = version or (sys.version_info[0], sys.version_info[1])
    config = config if config is not None else sysconfig.get_config_vars()
    if not native:
        if py_api.startswith("cp"):
            log.warning('wheel.py-api = "%s" has no effect: the project builds no native code', py_api)
        return WheelTag("py3", "none", "any"), None
    plat = platform or platform_tag()
    if py_api in ("py3", "py2.py3"):
        return WheelTag(py_api, "none", plat), None
    if py_api.startswith("cp"):
        wanted = (3, int(py_api[3:]))
        reason = ""
        if implementation != "cpython":
            reason = f"{implementation} has no stable ABI"
        elif is_free_threaded(config):
            reason = "free-threaded CPython has no stable ABI before 3.15"
        elif version < wanted:
            reason = f"Python {version[0]}.{version[1]} is older than {wanted[0]}.{wanted[1]}"
        if not reason:
            return WheelTag(py_api, "abi3", plat), StableABI(*wanted)
        log.info('building a version-specific wheel, not abi3 (wheel.py-api = "%s"): %s', py_api, reason)
    return WheelTag(
        interpreter_tag(implementation, version), abi_tag(implementation, version, config), plat
    ), None
