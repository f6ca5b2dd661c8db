"""Turn what CMake and the compilers printed into an error that says what to do."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

from ironwheel.errors import BuildError, CommandError, IronwheelError, ToolError

__all__ = ["build_error", "configure_error", "install_error"]

_LANGUAGES = {"C": "C", "CXX": "C++", "Fortran": "Fortran", "CUDA": "CUDA", "OBJC": "Objective-C"}
_VARIABLES = {"C": "CC", "CXX": "CXX", "Fortran": "FC", "CUDA": "CUDACXX", "OBJC": "OBJC"}

_INSTALL_HINTS = {
    "linux": {
        "C": "apt-get install build-essential (Debian/Ubuntu) or dnf install gcc (Fedora)",
        "CXX": "apt-get install g++ (Debian/Ubuntu) or dnf install gcc-c++ (Fedora)",
        "Fortran": "install gfortran: apt-get install gfortran / brew install gcc / conda install gfortran",
        "CUDA": "install the CUDA toolkit (nvcc) from NVIDIA or conda install cuda-nvcc",
    },
    "darwin": {
        "C": "xcode-select --install",
        "CXX": "xcode-select --install",
        "Fortran": "install gfortran: apt-get install gfortran / brew install gcc / conda install gfortran",
        "CUDA": "CUDA is not available on macOS",
    },
    "win32": {
        "C": "install Visual Studio Build Tools (Desktop development with C++)",
        "CXX": "install Visual Studio Build Tools (Desktop development with C++)",
        "Fortran": "install a Fortran compiler: conda install m2w64-gcc-fortran or Intel ifx",
        "CUDA": "install the CUDA toolkit (nvcc) from NVIDIA",
    },
}

_NO_COMPILER = re.compile(r"No CMAKE_(\w+)_COMPILER could be found")
_ENV_COMPILER = re.compile(r"Could not find compiler set in environment variable (\w+):")
_BAD_COMPILER = re.compile(r"The CMAKE_(\w+)_COMPILER:")
_TOO_OLD = re.compile(r"CMake ([\d.]+) or higher is required\.\s+You are running version ([\d.]+)")
_NO_PACKAGE = re.compile(r'provided by "([^"]+)"')
_NO_PYTHON = re.compile(r"Could NOT find Python3?\b.*missing: ([^)]*)")
_ERROR_LINE = re.compile(
    r"(^|[\s:])(fatal )?error[:\s]|^FAILED:|Error \d+|undefined reference", re.IGNORECASE
)


def _install_hint(language: str) -> str:
    table = _INSTALL_HINTS.get(sys.platform, _INSTALL_HINTS["linux"])
    how = table.get(language, f"install a {_LANGUAGES.get(language, language)} compiler")
    variable = _VARIABLES.get(language)
    return how + (f"; or point {variable} at one" if variable else "")


def _cmake_errors(output: Sequence[str], limit: int = 6) -> list[str]:
    """The first lines of each ``CMake Error`` block."""
    picked: list[str] = []
    for index, line in enumerate(output):
        if line.startswith("CMake Error"):
            block = [line.strip()]
            for follow in output[index + 1 : index + 5]:
                if not follow.strip():
                    if len(block) > 1:
                        break
                    continue
                block.append(follow.strip())
            picked.extend(block)
            if len(picked) >= limit:
                break
    return picked[:limit]


def configure_error(error: CommandError) -> IronwheelError:
    """Explain a failed ``cmake`` configure."""
    text = "\n".join(error.output)
    match = _NO_COMPILER.search(text)
    if match:
        language = match.group(1)
        name = _LANGUAGES.get(language, language)
        return ToolError(
            f"no {name} compiler found (CMake needs one for this project)", hint=_install_hint(language)
        )
    match = _ENV_COMPILER.search(text)
    if match:
        variable = match.group(1)
        following = [line.strip() for line in text[match.end() :].splitlines() if line.strip()]
        value = following[0].rstrip(".") if following else ""
        return ToolError(
            f"the compiler {variable}={value} was not found",
            hint=f"set {variable} to an installed compiler, or unset it to use the default one",
        )
    match = _BAD_COMPILER.search(text)
    if match:
        language = match.group(1)
        name = _LANGUAGES.get(language, language)
        return ToolError(f"the {name} compiler CMake was given does not exist", hint=_install_hint(language))
    match = _TOO_OLD.search(text)
    if match:
        return ToolError(
            f"CMakeLists.txt needs cmake {match.group(1)} or later, but this is cmake {match.group(2)}",
            hint=f'set tool.ironwheel.cmake.version = ">={match.group(1)}" so that ironwheel requests it',
        )
    match = _NO_PYTHON.search(text)
    if match:
        return ToolError(
            f"CMake could not find Python's development files (missing: {match.group(1).strip()})",
            hint="install the Python headers: apt-get install python3-dev (Debian/Ubuntu), "
            "dnf install python3-devel (Fedora)",
        )
    match = _NO_PACKAGE.search(text)
    if match:
        package = match.group(1)
        return BuildError(
            f'CMake could not find the package "{package}"',
            hint=f'add the Python package that provides it (e.g. "{package.lower()}") to '
            f"build-system.requires, or install {package} and set {package}_DIR",
        )
    return BuildError(
        "CMake configuration failed",
        details=_cmake_errors(error.output),
        hint="fix the CMake error shown above",
    )


def build_error(error: CommandError) -> IronwheelError:
    """Explain a failed compile or link, quoting the compiler."""
    errors = [
        line.strip() for line in error.output if _ERROR_LINE.search(line) and not line.startswith("ninja:")
    ]
    compiler = [line for line in errors if not line.startswith("FAILED:")]
    details = (compiler or errors)[:5]
    return BuildError(
        "the build failed" + (f": {details[0]}" if details else ""),
        details=details[1:],
        hint="fix the error reported by the compiler above "
        "(-C build.verbose=true shows every compiler command)",
    )


def install_error(error: CommandError) -> IronwheelError:
    """Explain a failed ``cmake --install``."""
    return BuildError(
        "cmake --install failed",
        details=_cmake_errors(error.output),
        hint="check the install() rules of CMakeLists.txt",
    )
