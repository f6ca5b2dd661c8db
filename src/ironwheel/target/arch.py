"""Machine architectures: one canonical name, and how each tool spells it.

Wheel tags, CMake, zig, vcvarsall and CPython's extension suffixes all name
the same machines differently (``arm64``, ``aarch64``, ``ARM64``). The
canonical name is the one Linux wheel tags use; every other spelling is
derived from it here, in one table.
"""

from __future__ import annotations

__all__ = [
    "ARCHES",
    "canonical_arch",
    "cmake_processor",
    "linux_multiarch",
    "macos_arch",
    "windows_platform",
    "zig_arch",
]

# canonical -> (macOS tag, Windows tag, CMake on Windows, zig, Debian multiarch prefix)
_SPELLINGS: dict[str, tuple[str, str, str, str, str]] = {
    "x86_64": ("x86_64", "win_amd64", "AMD64", "x86_64", "x86_64"),
    "i686": ("i386", "win32", "X86", "x86", "i386"),
    "aarch64": ("arm64", "win_arm64", "ARM64", "aarch64", "aarch64"),
    "armv7l": ("", "", "", "arm", "arm"),
    "armv8l": ("", "", "", "arm", "arm"),  # 32-bit ARM on a 64-bit kernel
    "ppc64le": ("", "", "", "powerpc64le", "powerpc64le"),
    "ppc64": ("", "", "", "powerpc64", "powerpc64"),
    "s390x": ("", "", "", "s390x", "s390x"),
    "riscv64": ("", "", "", "riscv64", "riscv64"),
    "loongarch64": ("", "", "", "loongarch64", "loongarch64"),
}

ARCHES = tuple(_SPELLINGS)

_ALIASES = {
    "amd64": "x86_64",
    "x64": "x86_64",
    "em64t": "x86_64",
    "x86": "i686",
    "i386": "i686",
    "i486": "i686",
    "i586": "i686",
    "win32": "i686",
    "arm64": "aarch64",
    "armv8": "aarch64",
    "armv7": "armv7l",
    "arm": "armv7l",
    "powerpc64le": "ppc64le",
    "powerpc64": "ppc64",
}


def canonical_arch(name: str) -> str:
    """The canonical name of a machine however a tool spells it; unknown names pass through lower-cased."""
    lowered = name.strip().lower()
    return _ALIASES.get(lowered, lowered)


def macos_arch(arch: str) -> str:
    """``arm64`` for aarch64, as macOS tags and ``-arch`` spell it."""
    return _SPELLINGS.get(arch, ("",) * 5)[0] or arch


def windows_platform(arch: str) -> str:
    """``win_amd64``, ``win32``, ``win_arm64``; "" for a machine Windows wheels do not exist for."""
    return _SPELLINGS.get(arch, ("",) * 5)[1]


def cmake_processor(system: str, arch: str) -> str:
    """CMAKE_SYSTEM_PROCESSOR as CMake reports it natively on ``system``."""
    if system == "windows":
        return _SPELLINGS.get(arch, ("",) * 5)[2] or arch
    if system == "macos":
        return macos_arch(arch)
    return arch


def zig_arch(arch: str) -> str:
    """The architecture part of a zig target triple ("" when zig has no name for it)."""
    return _SPELLINGS.get(arch, ("",) * 5)[3]


def linux_multiarch(arch: str, libc: str) -> str:
    """The triple in CPython's Linux extension suffixes: ``x86_64-linux-gnu``, ``aarch64-linux-musl``."""
    prefix = _SPELLINGS.get(arch, ("",) * 5)[4] or arch
    abi = "musl" if libc == "musl" else "gnu"
    if arch in ("armv7l", "armv8l"):
        abi += "eabihf"
    return f"{prefix}-linux-{abi}"
