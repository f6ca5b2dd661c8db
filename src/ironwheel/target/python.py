"""What a Python is, as far as a wheel for it cares: the running one, or one described by a file.

A :class:`PythonFacts` holds the implementation, the language version, the
ABI flags, the extension suffixes, the platform string and where the C API
headers and import libraries are. :func:`running_python` reads them from
this interpreter; :func:`read_build_details` from a PEP 739
``build-details.json`` (which CPython ships from 3.14), so that a build can
target a Python it cannot run.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ironwheel.errors import ConfigError

__all__ = [
    "PythonFacts",
    "dist_extra_library_dirs",
    "find_import_libraries",
    "read_build_details",
    "running_python",
    "soabi_of",
]

_SUFFIX = re.compile(r"^\.(?P<soabi>.+)\.(so|pyd|dylib|sl)$")
_LANGUAGE_VERSION = re.compile(r"^(\d+)\.(\d+)$")


@dataclasses.dataclass(frozen=True)
class PythonFacts:
    """A Python installation, for building extension modules for it."""

    implementation: str  # "cpython", "pypy"
    version: tuple[int, int]
    abiflags: str  # "", "t", "d", "td"
    extension_suffix: str  # ".cpython-311-x86_64-linux-gnu.so", ".cp311-win_amd64.pyd"
    stable_abi_suffix: str  # ".abi3.so", ".pyd"; "" when there is no stable ABI
    platform: str  # as sysconfig.get_platform() spells it: linux-x86_64, macosx-11.0-arm64, win-amd64
    macos_target: str = ""  # the MACOSX_DEPLOYMENT_TARGET the interpreter was built for
    headers: Path | None = None  # the C API headers
    libraries: tuple[Path, ...] = ()  # directories with its import libraries (Windows)
    origin: str = "the running interpreter"
    # Found in ``libraries`` (find_import_libraries): python3XY.lib and python3.lib.
    library: Path | None = None
    sabi_library: Path | None = None

    @property
    def free_threaded(self) -> bool:
        return "t" in self.abiflags

    @property
    def debug(self) -> bool:
        return "d" in self.abiflags

    @property
    def soabi(self) -> str:
        """The extension suffix without the dot and the file extension: ``cpython-311-x86_64-linux-gnu``."""
        return soabi_of(self.extension_suffix)


def soabi_of(suffix: str) -> str:
    """``cpython-311-darwin`` from ``.cpython-311-darwin.so``; "" for a plain ``.so``/``.pyd``."""
    match = _SUFFIX.match(suffix)
    return match.group("soabi") if match else ""


def _own_platform() -> str:
    """sysconfig.get_platform() of this interpreter, whatever _PYTHON_HOST_PLATFORM says.

    On POSIX, sysconfig reports _PYTHON_HOST_PLATFORM when it is set: that is the
    target's platform, and the host's is wanted here.
    """
    import sysconfig

    if os.name != "posix" or "_PYTHON_HOST_PLATFORM" not in os.environ:
        return sysconfig.get_platform()
    uname = os.uname()
    if sys.platform == "darwin":
        try:
            import _osx_support  # what sysconfig itself asks on macOS

            osname, release, machine = _osx_support.get_platform_osx(
                sysconfig.get_config_vars(), "macosx", uname.release, uname.machine
            )
            return f"{osname}-{release}-{machine}"
        except (ImportError, ValueError):
            return f"macosx-{sysconfig.get_config_var('MACOSX_DEPLOYMENT_TARGET') or '10.9'}-{uname.machine}"
    name = "linux" if sys.platform.startswith("linux") else sys.platform
    return f"{name}-{uname.machine}"


def running_python() -> PythonFacts:
    """The facts of the interpreter running this build."""
    import importlib.machinery
    import sysconfig

    config = sysconfig.get_config_vars()
    suffix = str(config.get("EXT_SUFFIX") or importlib.machinery.EXTENSION_SUFFIXES[0])
    stable = next((item for item in importlib.machinery.EXTENSION_SUFFIXES if item.startswith(".abi")), "")
    if not stable and sys.platform == "win32" and not config.get("Py_GIL_DISABLED"):
        stable = ".pyd"  # Windows has no tagged stable-ABI suffix
    flags = getattr(sys, "abiflags", "")
    if not flags and sys.platform == "win32":
        # Windows has no sys.abiflags before 3.14; the build configuration says the same.
        flags = ("t" if config.get("Py_GIL_DISABLED") else "") + ("d" if config.get("Py_DEBUG") else "")
    libraries: tuple[Path, ...] = ()
    if sys.platform == "win32":
        libraries = (Path(sys.base_exec_prefix) / "libs",)
    return PythonFacts(
        implementation=sys.implementation.name,
        version=(sys.version_info[0], sys.version_info[1]),
        abiflags=flags,
        extension_suffix=suffix,
        stable_abi_suffix=stable,
        platform=_own_platform(),
        macos_target=str(config.get("MACOSX_DEPLOYMENT_TARGET") or ""),
        headers=Path(sysconfig.get_path("include")),
        libraries=libraries,
    )


def find_import_libraries(python: PythonFacts) -> PythonFacts:
    """``python`` with its import libraries (python3XY.lib, python3.lib) found in its library directories.

    Both are named when both exist in one directory: with one missing, FindPython looks
    for the other through a python-config program, and finds the host's.
    """
    version = f"{python.version[0]}{python.version[1]}{'t' if python.free_threaded else ''}"
    debug = "_d" if python.debug else ""
    for directory in python.libraries:
        library = directory / f"python{version}{debug}.lib"
        sabi = directory / f"python{python.version[0]}{debug}.lib"
        found = (library if library.is_file() else None, sabi if sabi.is_file() else None)
        if found != (None, None):
            return dataclasses.replace(python, library=found[0], sabi_library=found[1])
    return python


def dist_extra_library_dirs(environ: Mapping[str, str]) -> tuple[Path, ...]:
    """``[build_ext] library_dirs`` of cibuildwheel's DIST_EXTRA_CONFIG: the target's import libraries."""
    name = environ.get("DIST_EXTRA_CONFIG", "")
    if not name:
        return ()
    import configparser

    parser = configparser.ConfigParser()
    try:
        parser.read(name, encoding="utf-8")
    except (OSError, configparser.Error):
        return ()
    value = parser.get("build_ext", "library_dirs", fallback="")
    return tuple(Path(item.strip()) for item in re.split(r"[;,\n]", value) if item.strip())


def _field(data: dict[str, Any], dotted: str, where: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise ConfigError(
                f"{where}: no {dotted} (PEP 739 requires it)",
                hint="point target.build-details at the build-details.json of the Python to build for",
            )
        value = value[part]
    return value


def _string(data: dict[str, Any], dotted: str, where: str) -> str:
    value = _field(data, dotted, where)
    if not isinstance(value, str):
        raise ConfigError(
            f"{where}: {dotted} must be a string, got {json.dumps(value)}",
            hint="point target.build-details at the build-details.json of the Python to build for",
        )
    return value


def read_build_details(path: Path) -> PythonFacts:
    """The Python that a PEP 739 ``build-details.json`` describes."""
    where = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"target.build-details: {path} does not exist",
            hint="give the path of the target Python's build-details.json (CPython 3.14 installs it "
            "next to its sysconfig data, e.g. lib/python3.14/build-details.json)",
        ) from None
    except (OSError, ValueError) as error:
        raise ConfigError(
            f"target.build-details: cannot read {path}: {error}",
            hint="point target.build-details at the build-details.json of the Python to build for",
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"{where}: not a JSON object", hint="point target.build-details at a PEP 739 build-details.json"
        )
    schema = _string(data, "schema_version", where)
    if schema.split(".")[0] != "1":
        raise ConfigError(
            f'{where}: schema_version "{schema}" is not supported (only 1.x)',
            hint="use a build-details.json of schema version 1, as PEP 739 defines it",
        )
    version = _string(data, "language.version", where)
    match = _LANGUAGE_VERSION.match(version)
    if not match:
        raise ConfigError(
            f'{where}: language.version must be "major.minor", got "{version}"',
            hint="point target.build-details at a PEP 739 build-details.json",
        )
    flags = _field(data, "abi.flags", where)
    if not isinstance(flags, list) or not all(isinstance(flag, str) for flag in flags):
        raise ConfigError(
            f"{where}: abi.flags must be a list of strings, got {json.dumps(flags)}",
            hint="point target.build-details at a PEP 739 build-details.json",
        )
    abi = data.get("abi", {})
    suffix = abi.get("extension_suffix") if isinstance(abi, dict) else None
    if not isinstance(suffix, str) or not suffix:
        raise ConfigError(
            f"{where}: no abi.extension_suffix: this Python cannot load extension modules",
            hint="build for a Python that supports extension modules",
        )
    stable = abi.get("stable_abi_suffix", "") if isinstance(abi, dict) else ""
    base = Path(_string(data, "base_prefix", where))
    if not base.is_absolute():
        base = (path.parent / base).resolve()
    platform = _string(data, "platform", where)
    c_api = data.get("c_api")
    headers = c_api.get("headers") if isinstance(c_api, dict) else None
    # Windows keeps the import libraries (python3XY.lib, python3.lib) in <prefix>/libs.
    libraries = (base / "libs",) if platform.startswith("win") else ()
    macos = re.match(r"^macosx-(\d+(?:\.\d+)*)-", platform)
    return PythonFacts(
        implementation=_string(data, "implementation.name", where),
        version=(int(match.group(1)), int(match.group(2))),
        abiflags="".join(flags),
        extension_suffix=suffix,
        stable_abi_suffix=stable if isinstance(stable, str) else "",
        platform=platform,
        macos_target=macos.group(1) if macos else "",
        headers=(base / headers).resolve() if isinstance(headers, str) else None,
        libraries=libraries,
        origin=f"build-details.json at {path}",
    )
