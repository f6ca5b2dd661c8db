"""Build environments made by hand, and the configure plans made from them, for unit tests."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from packaging.version import Version

from ironwheel.archive.tags import StableABI
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.entrypoints import CMakeEntryPoints
from ironwheel.cmake.environment import BuildEnvironment, NumPyDirs
from ironwheel.cmake.plan import Plan, Target, Tools, make_plan
from ironwheel.request import BuildRequest
from ironwheel.settings import load_settings
from ironwheel.target import PythonFacts, TargetInputs, WheelTarget, resolve_target
from ironwheel.tools.toolchain import Program

CMAKE = Program("cmake", Path("/usr/bin/cmake"), Version("3.25.1"), "on PATH")
NINJA = Program("ninja", Path("/usr/bin/ninja"), Version("1.11.1"), "on PATH")
ABI3 = StableABI(3, 9)
TOOLS = Tools(CMAKE, NINJA)
# The interpreter of environment(): CPython 3.11 on x86_64 Linux.
LINUX_311 = PythonFacts(
    implementation="cpython",
    version=(3, 11),
    abiflags="",
    extension_suffix=".cpython-311-x86_64-linux-gnu.so",
    stable_abi_suffix=".abi3.so",
    platform="linux-x86_64",
    headers=Path("/usr/include/python3.11"),
)
WINDOWS_312 = PythonFacts(
    implementation="cpython",
    version=(3, 12),
    abiflags="",
    extension_suffix=".cp312-win_amd64.pyd",
    stable_abi_suffix=".pyd",
    platform="win-amd64",
    libraries=(Path("C:/Python312/libs"),),
)
MACOS_312 = PythonFacts(
    implementation="cpython",
    version=(3, 12),
    abiflags="",
    extension_suffix=".cpython-312-darwin.so",
    stable_abi_suffix=".abi3.so",
    platform="macosx-10.13-universal2",
    macos_target="10.13",
)


def wheel_target(
    platform: str = "",
    *,
    running: PythonFacts = LINUX_311,
    environ: dict[str, str] | None = None,
    **inputs: Any,
) -> WheelTarget:
    """What a wheel is for, decided by the target model: ``platform`` (target.platform), else the
    variables and the running interpreter."""
    return resolve_target(TargetInputs(running=running, platform=platform, environ=environ or {}, **inputs))


def environment(
    root: Path,
    name: str = "env-1",
    *,
    environ: dict[str, str] | None = None,
    numpy: bool = False,
    entry_points: CMakeEntryPoints | None = None,
) -> BuildEnvironment:
    """An isolated environment as a frontend makes one: ``root/name`` with its python and site-packages."""
    prefix = root / name
    site = prefix / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    dirs = None
    if numpy:
        include = site / "numpy" / "_core" / "include"
        (include / "numpy").mkdir(parents=True, exist_ok=True)
        (include / "numpy" / "arrayobject.h").write_text("")
        dirs = NumPyDirs(include, site / "numpy" / "f2py" / "src")
    return BuildEnvironment(
        executable=prefix / "bin" / "python",
        base_executable=Path("/usr/bin/python3.11"),
        version="3.11.9 (main) [GCC 12.2.0]",
        soabi="cpython-311-x86_64-linux-gnu",
        include_dir=Path("/usr/include/python3.11"),
        prefix=prefix,
        base_prefix=Path("/usr"),
        site_dirs=(site,),
        environ=environ or {},
        numpy=dirs,
        entry_points=entry_points or CMakeEntryPoints(),
    )


def plan(
    build_dir: BuildDir,
    probe: BuildEnvironment,
    *,
    table: dict[str, Any] | None = None,
    platform: str = "linux_x86_64",
    stable_abi: StableABI | None = ABI3,
    tools: Tools = TOOLS,
    wheel: WheelTarget | None = None,
    **target: Any,
) -> Plan:
    """The plan for a project "my-pkg" 1.2.3.4.5rc1 in /src/my-pkg, its view prepared first.

    The wheel is for ``wheel``, else for ``platform`` from the running interpreter of
    :func:`environment` (with the probe's variables).
    """
    settings = load_settings({"project": {}, "tool": {"ironwheel": table or {}}}, environ={})
    fields = {
        "name": "my-pkg",
        "version": Version("1.2.3.4.5rc1"),
        "source_dir": Path("/src/my-pkg"),
        "wheel": wheel or wheel_target(platform, environ=dict(probe.environ)),
        "stable_abi": stable_abi,
        "request": BuildRequest(),
        **target,
    }
    view = build_dir.prepare_view(probe, tools.ninja.path if tools.ninja else None)
    return make_plan(Target(**fields), settings, tools, probe, view, build_dir)


def changed(probe: BuildEnvironment, **changes: Any) -> BuildEnvironment:
    return dataclasses.replace(probe, **changes)
