"""The target of a build: what the wheel is for, decided once from settings, files and variables.

``model.py`` decides (a pure function); this module gathers its inputs
(the settings, the environment variables, this interpreter, the files
they name) and, for a Windows target, finds the import libraries.
"""

from __future__ import annotations

import dataclasses
import os
import struct
from collections.abc import Mapping
from pathlib import Path

from ironwheel.settings import Settings
from ironwheel.target.model import Libc, System, TargetInputs, WheelTarget, parse_platform, resolve_target
from ironwheel.target.python import (
    PythonFacts,
    dist_extra_library_dirs,
    find_import_libraries,
    read_build_details,
    running_python,
)

__all__ = [
    "Libc",
    "PythonFacts",
    "System",
    "TargetInputs",
    "WheelTarget",
    "load_target",
    "parse_platform",
    "read_build_details",
    "resolve_target",
    "running_python",
    "target_inputs",
]


def target_inputs(
    settings: Settings,
    root: Path,
    environ: Mapping[str, str] | None = None,
    running: PythonFacts | None = None,
) -> TargetInputs:
    """The inputs of :func:`resolve_target` for a project: its settings, this process, its environment."""
    environ = os.environ if environ is None else environ
    details_path = settings.target.build_details
    details = read_build_details((root / details_path).resolve()) if details_path else None
    return TargetInputs(
        running=running or running_python(),
        pointer_bits=struct.calcsize("P") * 8,
        machine=os.uname().machine if hasattr(os, "uname") else "",
        environ=dict(environ),
        platform=settings.target.platform,
        details=details,
        toolchain=settings.build.toolchain,
        policy=settings.repair.manylinux,
        emulator=settings.target.emulator,
        dist_libraries=dist_extra_library_dirs(environ),
    )


def load_target(settings: Settings, root: Path, environ: Mapping[str, str] | None = None) -> WheelTarget:
    """The target of a build of the project at ``root``."""
    target = resolve_target(target_inputs(settings, root, environ))
    if target.system == "windows":
        target = dataclasses.replace(target, python=find_import_libraries(target.python))
    return target
