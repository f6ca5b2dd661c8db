"""Windows: load the Visual Studio environment (vcvarsall.bat) when a build needs it and none is active.

CMake's Visual Studio generators find MSVC themselves. With Ninja or
Makefiles, CMake takes whatever compiler is on PATH: without a Developer
Command Prompt that is no compiler at all, or a MinGW gcc, which makes
modules CPython was not built for. So when ``build.msvc = "auto"``, the
generator is not Visual Studio's and no MSVC environment is active
(``VSCMD_VER`` and ``VCINSTALLDIR`` unset), Visual Studio is found with
``vswhere`` (Build Tools installs too), ``vcvarsall.bat`` is run for the
host and target architectures, and the variables it changes are the
build's environment, with ``CC``/``CXX`` set to ``cl``.
"""

from __future__ import annotations

import dataclasses
import logging
import platform
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ironwheel._run import capture
from ironwheel.errors import CommandError, ToolError
from ironwheel.target import WheelTarget
from ironwheel.target.arch import canonical_arch

__all__ = [
    "MSVC_COMPONENT",
    "MsvcEnvironment",
    "environment_changes",
    "find_visual_studio",
    "load_msvc",
    "msvc_wanted",
    "parse_set_output",
    "vcvarsall_arch",
    "vswhere_command",
]

log = logging.getLogger("ironwheel")

MSVC_COMPONENT = "Microsoft.VisualStudio.Component.VC.Tools.x86.x64"
_MARKER = "ironwheel-vcvarsall-environment"
_VCVARS = {"x86_64": "x64", "i686": "x86", "aarch64": "arm64"}

Runner = Callable[[Sequence[str]], str]


@dataclasses.dataclass(frozen=True)
class MsvcEnvironment:
    """What vcvarsall.bat changed, for one host and target."""

    installation: Path
    arch: str  # vcvarsall's argument: x64, x64_arm64, ...
    variables: Mapping[str, str]  # the changed variables, names upper-cased


def msvc_wanted(
    setting: str, generator: str, target: WheelTarget, toolchain: str, environ: Mapping[str, str]
) -> tuple[bool, str]:
    """Whether to load vcvarsall's environment, and why (or why not)."""
    if setting == "off":
        return False, 'build.msvc = "off"'
    if target.host_system != "windows" or target.system != "windows":
        return False, "not a Windows build on Windows"
    if toolchain != "native":
        return False, f'build.toolchain = "{toolchain}"'
    if generator.startswith("Visual Studio"):
        return False, f"the {generator} generator finds MSVC itself"
    active = [name for name in ("VSCMD_VER", "VCINSTALLDIR") if _variable(environ, name)]
    if active:
        # Its architecture was checked against the target's (target.model).
        return False, f"an MSVC environment is active ({active[0]} is set)"
    return True, f'build.msvc = "auto", the {generator} generator and no active MSVC environment'


def _variable(environ: Mapping[str, str], name: str) -> str:
    """A variable by its name in any case, as Windows looks them up."""
    if name in environ:
        return environ[name]
    wanted = name.upper()
    return next((value for key, value in environ.items() if key.upper() == wanted), "")


def _vcvars_host(environ: Mapping[str, str]) -> str:
    machine = (
        _variable(environ, "PROCESSOR_ARCHITEW6432")
        or _variable(environ, "PROCESSOR_ARCHITECTURE")
        or platform.machine()
    )
    arch = canonical_arch(machine)
    return _VCVARS.get(arch, arch)


def vcvarsall_arch(host: str, target: str) -> str:
    """vcvarsall.bat's argument: ``x64``, ``x64_arm64``, ``arm64_x64``... from canonical machine names."""
    host_name = _VCVARS.get(canonical_arch(host))
    target_name = _VCVARS.get(canonical_arch(target))
    if host_name is None or target_name is None:
        raise ToolError(
            f"MSVC has no compiler from {host} for {target}",
            hint='build on a Windows machine of the target\'s architecture, or set build.msvc = "off"',
        )
    return target_name if host_name == target_name else f"{host_name}_{target_name}"


def vswhere_command(environ: Mapping[str, str]) -> list[str]:
    """vswhere in the Visual Studio Installer's directory, asking for the newest install with MSVC."""
    base = _variable(environ, "ProgramFiles(x86)") or r"C:\Program Files (x86)"
    vswhere = Path(base) / "Microsoft Visual Studio" / "Installer" / "vswhere.exe"
    return [
        str(vswhere),
        "-products",
        "*",
        "-requires",
        MSVC_COMPONENT,
        "-latest",
        "-property",
        "installationPath",
    ]


def find_visual_studio(environ: Mapping[str, str], runner: Runner | None = None) -> tuple[Path | None, str]:
    """The newest Visual Studio (or Build Tools) with the C++ tools, or None and why."""
    command = vswhere_command(environ)
    if runner is None:
        if not Path(command[0]).is_file():
            return None, f"{command[0]} does not exist"
        runner = capture
    try:
        output = runner(command)
    except (CommandError, ToolError) as error:
        return None, f"vswhere failed: {error.message}"
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if not lines:
        return None, f"vswhere found no installation with {MSVC_COMPONENT}"
    return Path(lines[0]), ""


def parse_set_output(text: str) -> dict[str, str]:
    """The variables ``set`` printed after the marker line; names upper-cased (Windows ignores case)."""
    variables: dict[str, str] = {}
    lines = text.splitlines()
    start = next((index + 1 for index, line in enumerate(lines) if line.strip() == _MARKER), len(lines))
    for line in lines[start:]:
        name, sep, value = line.partition("=")
        if sep and name and not name.startswith("="):  # cmd's "=C:=C:\dir" entries are per-drive state
            variables[name.upper()] = value.rstrip("\r")
    return variables


def environment_changes(before: Mapping[str, str], after: Mapping[str, str]) -> dict[str, str]:
    """The variables of ``after`` that are new or different from ``before`` (case-insensitive names)."""
    old = {name.upper(): value for name, value in before.items()}
    return {name: value for name, value in sorted(after.items()) if old.get(name) != value}


def _script(vcvarsall: Path, arch: str) -> str:
    return f'@echo off\r\ncall "{vcvarsall}" {arch}\r\nif errorlevel 1 exit /b 1\r\necho {_MARKER}\r\nset\r\n'


def load_msvc(
    target: WheelTarget,
    environ: Mapping[str, str],
    work_dir: Path,
    runner: Runner | None = None,
    installation: Path | None = None,
) -> MsvcEnvironment | None:
    """vcvarsall.bat's environment for ``target``; None (with a warning) when there is no Visual Studio."""
    if installation is None:
        installation, why = find_visual_studio(environ, runner)
        if installation is None:
            log.warning(
                "no Visual Studio with the C++ tools found (%s); CMake picks the compiler. Install the "
                'Build Tools with the "Desktop development with C++" workload, or set build.msvc = "off" '
                "to say that another compiler is meant",
                why,
            )
            return None
    vcvarsall = installation / "VC" / "Auxiliary" / "Build" / "vcvarsall.bat"
    arch = vcvarsall_arch(_vcvars_host(environ), target.arch)
    work_dir.mkdir(parents=True, exist_ok=True)
    script = work_dir / "vcvarsall-environment.bat"
    script.write_text(_script(vcvarsall, arch), encoding="utf-8")
    command = [_variable(environ, "COMSPEC") or "cmd.exe", "/d", "/c", str(script)]
    log.info("loading the MSVC environment: %s %s", vcvarsall, arch)
    try:
        output = (runner or (lambda argv: capture(argv, timeout=300)))(command)
    except CommandError as error:
        raise ToolError(
            f"{vcvarsall} {arch} failed",
            details=[line for line in error.output if "ERROR" in line][:10] or error.output[-10:],
            hint="repair the Visual Studio installation (Visual Studio Installer, Modify), or open a "
            'Developer Command Prompt yourself, or set build.msvc = "off"',
        ) from error
    changed = environment_changes(environ, parse_set_output(output))
    if "VCINSTALLDIR" not in changed:
        raise ToolError(
            f"{vcvarsall} {arch} set no MSVC environment",
            hint='open a Developer Command Prompt yourself, or set build.msvc = "off"',
        )
    for name in ("CC", "CXX"):
        if not _variable(environ, name):
            changed[name] = "cl"
    return MsvcEnvironment(installation, arch, changed)
