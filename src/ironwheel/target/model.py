"""The target of a build: platform, architectures, libc and Python ABI, decided in one place.

:func:`resolve_target` is a pure function of its inputs. Each part of the
target comes from the first of these that says something about it:

1. explicit settings: ``target.platform``; with the zig toolchain, the libc
   family of ``repair.manylinux``;
2. the target Python's PEP 739 ``build-details.json`` (``target.build-details``);
3. the variables cibuildwheel and the platforms set: ``_PYTHON_HOST_PLATFORM``,
   ``ARCHFLAGS`` and ``MACOSX_DEPLOYMENT_TARGET`` (macOS), ``VSCMD_ARG_TGT_ARCH``,
   ``SETUPTOOLS_EXT_SUFFIX`` and ``DIST_EXTRA_CONFIG`` (Windows),
   ``AUDITWHEEL_PLAT`` (Linux);
4. the running interpreter.

The wheel tag, the extension suffix and what CMake is told all come from
the target, never from the host.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from ironwheel.errors import ConfigError
from ironwheel.target.arch import canonical_arch, linux_multiarch, macos_arch, windows_platform
from ironwheel.target.python import PythonFacts

__all__ = ["Libc", "System", "TargetInputs", "WheelTarget", "parse_platform", "resolve_target"]

System = Literal["linux", "macos", "windows", "other"]
Libc = Literal["glibc", "musl", ""]

_POLICY = re.compile(r"^(manylinux|musllinux)(_\d+_\d+|1|2010|2014)?(?:_(.+))?$")
_MACOS = re.compile(r"^macosx_(\d+)_(\d+)_(.+)$")
_ARCH_FLAG = re.compile(r"-arch\s+(\S+)")
_VERSION = re.compile(r"^\d+(\.\d+)*$")


@dataclasses.dataclass(frozen=True)
class TargetInputs:
    """Everything the target is decided from; gathered once, passed in."""

    running: PythonFacts
    pointer_bits: int = 64
    machine: str = ""  # the machine the process runs as (uname's)
    environ: Mapping[str, str] = dataclasses.field(default_factory=dict)
    platform: str = ""  # target.platform
    details: PythonFacts | None = None  # from target.build-details
    toolchain: str = "native"  # build.toolchain
    policy: str = "auto"  # repair.manylinux
    emulator: tuple[str, ...] = ()  # target.emulator
    # [build_ext] library_dirs of cibuildwheel's DIST_EXTRA_CONFIG: a Windows target's import libraries
    dist_libraries: tuple[Path, ...] = ()


@dataclasses.dataclass(frozen=True)
class WheelTarget:
    """What a wheel is built for."""

    system: System
    archs: tuple[str, ...]  # canonical names; two for a macOS universal2 wheel
    libc: Libc  # Linux only
    macos_version: tuple[int, int] | None
    python: PythonFacts  # the target Python, with the suffixes of the target platform
    platform: str  # the plain wheel platform tag: linux_x86_64, macosx_11_0_arm64, win_amd64
    origin: str  # what decided the platform, for the log
    host_system: System
    host_arch: str
    host_python: PythonFacts  # the running interpreter
    emulator: tuple[str, ...] = ()

    @property
    def arch(self) -> str:
        """The one architecture (the first of a universal2 pair)."""
        return self.archs[0]

    @property
    def cross(self) -> bool:
        """Whether the binaries are for another system or machine than the running interpreter."""
        if self.system != self.host_system:
            return True
        return len(self.archs) == 1 and self.archs[0] != self.host_arch

    @property
    def extension_suffix(self) -> str:
        return self.python.extension_suffix

    @property
    def stable_abi_suffix(self) -> str:
        return self.python.stable_abi_suffix

    def describe(self) -> str:
        """``linux_x86_64 (musl), cpython 3.11 (what decided it)``, for the log."""
        libc = f" ({self.libc})" if self.libc else ""
        python = self.python
        version = f"{python.version[0]}.{python.version[1]}{python.abiflags}"
        return f"{self.platform}{libc}, {python.implementation} {version} ({self.origin})"


def _system_of(platform: str) -> System:
    if platform.startswith("linux"):
        return "linux"
    if platform.startswith("macosx"):
        return "macos"
    if platform.startswith("win"):
        return "windows"
    return "other"


@dataclasses.dataclass(frozen=True)
class _Parsed:
    system: System
    archs: tuple[str, ...]
    macos_version: str
    raw: str


def parse_platform(text: str) -> _Parsed:
    """A platform in sysconfig's spelling (``macosx-11.0-arm64``) or a wheel tag's (``macosx_11_0_arm64``)."""
    base = re.sub(r"[-.]", "_", text.strip())
    system = _system_of(base)
    if system == "linux":
        return _Parsed(system, (canonical_arch(base[len("linux_") :]),), "", base)
    if system == "macos":
        match = _MACOS.match(base)
        if not match:
            return _Parsed(system, (), "", base)
        arch = match.group(3)
        archs = ("aarch64", "x86_64") if arch == "universal2" else (canonical_arch(arch),)
        return _Parsed(system, archs, f"{match.group(1)}.{match.group(2)}", base)
    if system == "windows":
        arch = {"win32": "i686", "win_amd64": "x86_64", "win_arm64": "aarch64"}.get(base, "")
        return _Parsed(system, (arch,) if arch else (), "", base)
    return _Parsed(system, (), "", base)


def _explicit_platform(text: str) -> _Parsed:
    parsed = parse_platform(text)
    policy = _POLICY.match(parsed.raw)
    if policy:
        arch = policy.group(3) or "x86_64"
        raise ConfigError(
            f'target.platform: "{text}" is a repair policy, not a platform',
            hint=f'set target.platform = "linux_{arch}" and repair.manylinux = '
            f'"{parsed.raw[: -len(arch) - 1] if policy.group(3) else parsed.raw}"',
        )
    if not parsed.archs or parsed.system == "other":
        raise ConfigError(
            f'target.platform: "{text}" is not a platform ironwheel can build for',
            hint='use a wheel platform tag such as "linux_aarch64", "macosx_11_0_arm64" or "win_amd64"',
        )
    return parsed


def _libc_of_suffix(suffix: str) -> Libc:
    return "musl" if "-linux-musl" in suffix else "glibc"


def _policy_libc(policy: str) -> Libc:
    if policy.startswith("musllinux"):
        return "musl"
    if policy.startswith("manylinux"):
        return "glibc"
    return ""


def _policy_arch(policy: str) -> str:
    match = _POLICY.match(policy)
    return canonical_arch(match.group(3)) if match and match.group(3) else ""


def _host(running: PythonFacts, pointer_bits: int, machine: str) -> tuple[System, str]:
    """The system and machine the running interpreter runs as (not the kernel's)."""
    parsed = parse_platform(running.platform)
    arch = parsed.archs[0] if parsed.archs else ""
    if len(parsed.archs) > 1 and canonical_arch(machine) in parsed.archs:
        arch = canonical_arch(machine)  # a universal2 interpreter runs as one of its architectures
    if parsed.system == "linux" and pointer_bits == 32:
        # As packaging tags a 32-bit interpreter on a 64-bit kernel.
        arch = {"x86_64": "i686", "aarch64": "armv8l"}.get(arch, arch)
    return parsed.system, arch


def _macos(
    parsed: _Parsed, environ: Mapping[str, str], narrow: bool, python_target: str
) -> tuple[tuple[str, ...], tuple[int, int]]:
    """Architectures and version of a macOS target; ARCHFLAGS and MACOSX_DEPLOYMENT_TARGET when ``narrow``."""
    archs = parsed.archs
    text = parsed.macos_version or python_target
    if narrow:
        flags = tuple(
            sorted({canonical_arch(arch) for arch in _ARCH_FLAG.findall(environ.get("ARCHFLAGS", ""))})
        )
        if flags:
            archs = flags
        variable = environ.get("MACOSX_DEPLOYMENT_TARGET", "").strip()
        if variable and not _VERSION.match(variable):
            raise ConfigError(
                f'MACOSX_DEPLOYMENT_TARGET must be a macOS version such as "11.0", got "{variable}"',
                hint="set it to the oldest macOS the wheel supports, or unset it",
            )
        text = variable or text
    numbers = [int(part) for part in (text or "10.9").split(".")[:2] if part.isdigit()] + [0, 0]
    major, minor = numbers[0], numbers[1]
    if major >= 11:
        minor = 0  # since Big Sur only the major version matters
    if archs == ("aarch64",) and major < 11:
        major, minor = 11, 0  # the first macOS on Apple silicon
    return archs, max((major, minor), (10, 9))


def _platform_tag(system: System, archs: tuple[str, ...], macos: tuple[int, int] | None, raw: str) -> str:
    if system == "linux":
        return f"linux_{archs[0]}"
    if system == "macos" and macos is not None:
        arch = "universal2" if set(archs) == {"aarch64", "x86_64"} else macos_arch(archs[0])
        return f"macosx_{macos[0]}_{macos[1]}_{arch}"
    if system == "windows":
        return windows_platform(archs[0]) or raw
    return raw


def _derived_suffixes(python: PythonFacts, system: System, arch: str, libc: Libc) -> tuple[str, str]:
    """The extension suffixes the same Python version would have on another platform."""
    version = f"{python.version[0]}{python.version[1]}"
    stable = "" if python.free_threaded or not python.stable_abi_suffix else None
    if python.implementation != "cpython":
        # Only the platform part differs: .pypy310-pp73-x86_64-linux-gnu.so -> ...-aarch64-linux-gnu.so
        host = re.search(r"-([a-z0-9_]+-linux-[a-z]+)\.so$", python.extension_suffix)
        if system == "linux" and host:
            suffix = python.extension_suffix.replace(host.group(1), linux_multiarch(arch, libc))
            return suffix, python.stable_abi_suffix
        return python.extension_suffix, python.stable_abi_suffix
    if system == "windows":
        return f".cp{version}{python.abiflags}-{windows_platform(arch)}.pyd", ".pyd" if stable is None else ""
    platform = "darwin" if system == "macos" else linux_multiarch(arch, libc)
    return f".cpython-{version}{python.abiflags}-{platform}.so", ".abi3.so" if stable is None else ""


def resolve_target(inputs: TargetInputs) -> WheelTarget:
    """The target of this build, from the inputs in their order of precedence."""
    environ = inputs.environ
    running = inputs.running
    host_system, host_arch = _host(running, inputs.pointer_bits, inputs.machine)
    level = 4
    if inputs.platform:
        parsed, origin, level = _explicit_platform(inputs.platform), "target.platform", 1
    elif inputs.details is not None:
        parsed, origin, level = parse_platform(inputs.details.platform), inputs.details.origin, 2
    elif environ.get("_PYTHON_HOST_PLATFORM"):
        host = environ["_PYTHON_HOST_PLATFORM"]
        parsed, origin, level = parse_platform(host), f"_PYTHON_HOST_PLATFORM={host}", 3
    else:
        parsed, origin = parse_platform(running.platform), "the running interpreter"
        if parsed.system in ("linux", "macos"):
            # The machine it runs as: a universal2 interpreter builds for one (ARCHFLAGS asks for both).
            parsed = dataclasses.replace(parsed, archs=(host_arch,))
    system, archs = parsed.system, parsed.archs
    python = inputs.details or running
    macos: tuple[int, int] | None = None
    if system == "macos":
        if not archs:
            archs = (host_arch,)
        archs, macos = _macos(
            dataclasses.replace(parsed, archs=archs), environ, level > 1, python.macos_target
        )
        if level > 2 and environ.get("ARCHFLAGS"):
            origin += f", ARCHFLAGS={environ['ARCHFLAGS']}"
    elif system == "windows":
        wanted = canonical_arch(environ.get("VSCMD_ARG_TGT_ARCH", ""))
        if wanted and archs and wanted != archs[0] and level <= 2:
            raise ConfigError(
                f"VSCMD_ARG_TGT_ARCH={environ['VSCMD_ARG_TGT_ARCH']} does not match the target "
                f"{windows_platform(archs[0])} ({origin})",
                hint="an MSVC environment for another architecture is active: open one for the target's "
                "(vcvarsall.bat with the target architecture), or start without one and let ironwheel "
                "load it",
            )
        if wanted and archs and wanted != archs[0]:
            active = environ.get("VCINSTALLDIR") or environ.get("VSCMD_VER")
            if active and not environ.get("DIST_EXTRA_CONFIG"):
                # An open Developer Command Prompt for another machine, not a cross build
                # (cibuildwheel's come with the target's libraries in DIST_EXTRA_CONFIG).
                raise ConfigError(
                    f"the active MSVC environment targets {environ['VSCMD_ARG_TGT_ARCH']} "
                    f"(VSCMD_ARG_TGT_ARCH), but the Python is {windows_platform(archs[0])} ({origin})",
                    hint="open a Developer Command Prompt for the Python's architecture, or start without "
                    "one and let ironwheel load it; to cross-compile, name the target Python with "
                    "target.build-details",
                )
            origin = f"VSCMD_ARG_TGT_ARCH={environ['VSCMD_ARG_TGT_ARCH']}"
        if wanted:
            archs = (wanted,)
        if not archs:
            archs = (host_arch,)
    elif system == "linux":
        plat = environ.get("AUDITWHEEL_PLAT", "")
        arch = _policy_arch(plat)
        if arch and arch != archs[0]:
            if level < 4:
                raise ConfigError(
                    f"AUDITWHEEL_PLAT={plat} is for {arch}, but the target is linux_{archs[0]} ({origin})",
                    hint="unset AUDITWHEEL_PLAT, or build for its architecture",
                )
            archs, origin = (arch,), f"AUDITWHEEL_PLAT={plat}"
    libc = _linux_libc(inputs, python) if system == "linux" else ""
    if inputs.details is None and (system, archs[:1], libc) != (
        host_system,
        (host_arch,),
        _running_libc(running, host_system),
    ):
        suffix, stable = _derived_suffixes(running, system, archs[0], libc)
        if system == "windows" and environ.get("SETUPTOOLS_EXT_SUFFIX"):
            suffix = environ["SETUPTOOLS_EXT_SUFFIX"]  # cibuildwheel's, for its cross builds
        python = dataclasses.replace(
            running,
            extension_suffix=suffix,
            stable_abi_suffix=stable,
            platform=parsed.raw,
            libraries=inputs.dist_libraries if system == "windows" else (),
        )
    elif system == "windows" and inputs.details is None and environ.get("DIST_EXTRA_CONFIG"):
        python = dataclasses.replace(python, libraries=inputs.dist_libraries or python.libraries)
    return WheelTarget(
        system=system,
        archs=archs,
        libc=libc,
        macos_version=macos,
        python=python,
        platform=_platform_tag(system, archs, macos, parsed.raw),
        origin=origin,
        host_system=host_system,
        host_python=running,
        host_arch=host_arch,
        emulator=inputs.emulator,
    )


def _running_libc(running: PythonFacts, host_system: System) -> Libc:
    return _libc_of_suffix(running.extension_suffix) if host_system == "linux" else ""


def _linux_libc(inputs: TargetInputs, python: PythonFacts) -> Libc:
    """The target Python's C library; with zig, repair.manylinux (else AUDITWHEEL_PLAT) may choose."""
    chosen: Libc = ""
    source = ""
    if inputs.toolchain == "zig":
        if inputs.policy != "auto":
            chosen, source = _policy_libc(inputs.policy), f'repair.manylinux = "{inputs.policy}"'
        elif inputs.environ.get("AUDITWHEEL_PLAT"):
            plat = inputs.environ["AUDITWHEEL_PLAT"]
            chosen, source = _policy_libc(plat), f"AUDITWHEEL_PLAT={plat}"
    if inputs.details is not None:
        own = _libc_of_suffix(inputs.details.extension_suffix)
        if chosen and chosen != own:
            raise ConfigError(
                f"{source} asks for {chosen}, but the target Python ({inputs.details.origin}) uses {own}",
                hint="choose a policy of the target Python's C library, or another target.build-details",
            )
        return own
    if chosen:
        return chosen
    host = parse_platform(inputs.running.platform).system
    return _libc_of_suffix(python.extension_suffix) if host == "linux" else "glibc"
