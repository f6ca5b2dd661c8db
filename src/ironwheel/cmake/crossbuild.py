"""The plan's part for the target: system and machine, Python headers, libraries and suffixes.

Pure, like the rest of the plan (``cmake/plan.py`` calls it). When the target
is the running interpreter's own platform nothing here differs from what
CMake finds itself. For a cross build (another system or machine, or
another C library) CMake is told:

- ``CMAKE_SYSTEM_NAME`` and ``CMAKE_SYSTEM_PROCESSOR`` (not between two macOS
  machines, which ``CMAKE_OSX_ARCHITECTURES`` covers), and
  ``CMAKE_CROSSCOMPILING_EMULATOR`` when ``target.emulator`` names one;
- the target Python's headers and, on Windows, its import libraries;
- the target's extension suffix: ``IRONWHEEL_EXT_SUFFIX``, ``SKBUILD_SOABI``,
  ``Python_SOABI`` (FindPython cannot ask an interpreter it cannot run, so a
  ``FindPython.cmake`` in front of CMake's own sets it after CMake's has
  run), ``PYTHON_MODULE_EXTENSION`` (pybind11) and ``NB_SUFFIX`` (nanobind).
"""

from __future__ import annotations

import dataclasses

from ironwheel import _layout
from ironwheel.target import PythonFacts, WheelTarget
from ironwheel.target.arch import cmake_processor, macos_arch
from ironwheel.target.python import soabi_of

__all__ = ["CrossBuild", "cross_build"]

_SYSTEM_NAMES = {"linux": "Linux", "macos": "Darwin", "windows": "Windows"}


@dataclasses.dataclass(frozen=True)
class CrossBuild:
    """Cache entries, files and CMAKE_MODULE_PATH entries for one target."""

    entries: tuple[tuple[str, str, str], ...]  # (name, value, type)
    files: dict[str, str]  # name of a BuildDir.cmake_file -> content
    module_path: tuple[str, ...]  # names of BuildDir.cmake_file directories, searched first
    soabi: str  # SKBUILD_SOABI / IRONWHEEL_SOABI
    suffix: str  # IRONWHEEL_EXT_SUFFIX


def _shim(prefix: str, soabi: str, sosabi: str) -> str:
    return (
        "# Written by ironwheel for a cross build: CMake's FindPython, then the target's\n"
        "# extension suffix, which it cannot get from an interpreter of another platform.\n"
        f'include("${{CMAKE_ROOT}}/Modules/Find{prefix}.cmake")\n'
        f"if({prefix}_FOUND)\n"
        f'  set({prefix}_SOABI "{soabi}")\n'
        f'  set({prefix}_SOSABI "{sosabi}")\n'
        "endif()\n"
    )


def _libraries(python: PythonFacts) -> list[tuple[str, str, str]]:
    """Python_LIBRARY (python3XY.lib) and Python_SABI_LIBRARY (python3.lib) of a Windows target."""
    found = [("LIBRARY", python.library), ("SABI_LIBRARY", python.sabi_library)]
    return [
        (f"{prefix}_{variable}", path.as_posix(), "FILEPATH")
        for variable, path in found
        if path is not None
        for prefix in ("Python", "Python3")
    ]


def _macos(target: WheelTarget) -> list[tuple[str, str, str]]:
    """The architectures and the oldest macOS, as the wheel's tag names them."""
    if target.system != "macos" or target.macos_version is None:
        return []
    return [
        ("CMAKE_OSX_ARCHITECTURES", ";".join(macos_arch(arch) for arch in target.archs), "STRING"),
        ("CMAKE_OSX_DEPLOYMENT_TARGET", "{}.{}".format(*target.macos_version), "STRING"),
    ]


def cross_build(target: WheelTarget, *, stable: bool) -> CrossBuild:
    """What to tell CMake about ``target`` (a build for the running interpreter gets the suffixes only)."""
    python = target.python
    running = target.host_python
    suffix = python.stable_abi_suffix if stable else python.extension_suffix
    soabi = soabi_of(suffix) if stable else python.soabi
    entries: list[tuple[str, str, str]] = [("IRONWHEEL_EXT_SUFFIX", suffix, "STRING")]
    files: dict[str, str] = {}
    module_path: list[str] = []
    if python.headers is not None:
        entries += [
            (f"{prefix}_INCLUDE_DIR", python.headers.as_posix(), "PATH") for prefix in ("Python", "Python3")
        ]
    other_system = target.system != target.host_system
    other_machine = target.system != "macos" and target.archs[:1] != (target.host_arch,)
    if target.system in _SYSTEM_NAMES and (other_system or other_machine):
        entries += [
            ("CMAKE_SYSTEM_NAME", _SYSTEM_NAMES[target.system], "STRING"),
            ("CMAKE_SYSTEM_PROCESSOR", cmake_processor(target.system, target.arch), "STRING"),
        ]
    entries += _macos(target)
    if target.emulator:
        entries.append(("CMAKE_CROSSCOMPILING_EMULATOR", ";".join(target.emulator), "STRING"))
    if target.system == "windows" and (target.cross or python.origin != running.origin):
        entries += _libraries(python)
    if python.extension_suffix != running.extension_suffix:
        stable_soabi = soabi_of(python.stable_abi_suffix)
        for prefix in ("Python", "Python3"):
            files[f"{_layout.FIND_PYTHON}/Find{prefix}.cmake"] = _shim(prefix, python.soabi, stable_soabi)
        module_path.append(_layout.FIND_PYTHON)
        entries += [
            ("PYTHON_MODULE_EXTENSION", python.extension_suffix, "STRING"),
            ("NB_SUFFIX", python.extension_suffix, "STRING"),
            ("NB_SUFFIX_S", python.stable_abi_suffix or python.extension_suffix, "STRING"),
        ]
    return CrossBuild(tuple(entries), files, tuple(module_path), soabi, suffix)
