"""Turn what CMake and the compilers printed into an error that says what to do."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

from ironwheel.errors import BuildError, CommandError, ConfigError, IronwheelError, ToolError

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
# "CMake Error at CMakeLists.txt:3 (message):" and its indented message; frames of its call stack.
_CMAKE_ERROR_AT = re.compile(r"^CMake Error at (.+?):(\d+)(?: \((\w+)\))?:\s*$")
_CALL_FRAME = re.compile(r"^\s+(\S.*?):(\d+) \((\w+)\)\s*$")
_NO_GENERATOR = re.compile(r"Could not create named generator (.+)")
# What a linker says about the actual problem, before collect2's "ld returned 1 exit status".
_LINKER = re.compile(
    r"(^|/)(ld|ld\.\w+|lld|ld64\.lld|link\.exe)(\[\d+\])?: |undefined reference to|"
    r"undefined symbol|cannot find -l|LNK\d{4}"
)
_COLLECT2 = re.compile(r"collect2: error: ld returned|clang: error: linker command failed")
_MISSING_LIBRARY = re.compile(r"cannot find -l(\S+?):?\s|library not found for -l(\S+)")
# Cython's own diagnostic: "pkg/mod.pyx:2:11: undeclared name not builtin: x".
_CYTHON = re.compile(r"^(\S+\.(?:pyx|pxd|pxi|py)):(\d+):(\d+): (.+)$")


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


def _generators(command: Sequence[str]) -> list[str]:
    """The generators a cmake command line names with -G, in order."""
    found: list[str] = []
    for index, argument in enumerate(command):
        if argument == "-G" and index + 1 < len(command):
            found.append(command[index + 1])
        elif argument.startswith("-G") and len(argument) > 2:
            found.append(argument[2:])
    return found


def _generator_error(error: CommandError, text: str) -> IronwheelError | None:
    generators = _generators(error.command)
    named = [item.strip("'\"") for item in generators]
    if len(set(named)) > 1:
        # One -G is ironwheel's, a later one came from CMAKE_ARGS or cmake.args.
        return ConfigError(
            f'CMake was given two generators, -G "{named[0]}" and -G "{named[-1]}" (from CMAKE_ARGS or '
            "tool.ironwheel.cmake.args)",
            hint="remove -G from CMAKE_ARGS and cmake.args; to choose the generator, set CMAKE_GENERATOR",
        )
    match = _NO_GENERATOR.search(text)
    if match:
        return ConfigError(
            f'CMake has no generator "{match.group(1).strip()}"',
            hint='set CMAKE_GENERATOR to one that `cmake --help` lists, such as "Ninja" or "Unix Makefiles"',
        )
    return None


def _where(location: str, line: str, frames: Sequence[tuple[str, str]]) -> str:
    """``file:line`` of a CMake error, in the project's own files when the stack allows."""
    if location.startswith("/") or (len(location) > 1 and location[1] == ":"):
        for frame_file, frame_line in frames:
            if not frame_file.startswith("/"):
                return f"{frame_file}:{frame_line}"
    return f"{location}:{line}"


def _first_cmake_error(output: Sequence[str]) -> str | None:
    """The first CMake error as ``file:line: message``; None when it names no place."""
    for index, raw in enumerate(output):
        match = _CMAKE_ERROR_AT.match(raw.rstrip())
        if not match:
            continue
        message: list[str] = []
        frames: list[tuple[str, str]] = []
        complete = in_stack = False
        for follow in output[index + 1 :]:
            if follow.startswith("Call Stack"):
                in_stack = True
            elif in_stack:
                frame = _CALL_FRAME.match(follow)
                if not frame:
                    break
                frames.append((frame.group(1), frame.group(2)))
            elif not follow.strip():
                # A paragraph that ends a sentence is the message; "The C compiler" goes on.
                complete = complete or bool(message and message[-1].endswith((".", ":", "!")))
            elif follow.startswith((" ", "\t")):
                if not complete and len(message) < 4:
                    message.append(follow.strip())
            else:
                break
        text = re.sub(r"\s+", " ", " ".join(message)).strip()
        if len(text) > 200:
            text = text[:197] + "..."
        return f"{_where(match.group(1), match.group(2), frames)}: {text}" if text else None
    return None


def configure_error(error: CommandError) -> IronwheelError:
    """Explain a failed ``cmake`` configure."""
    text = "\n".join(error.output)
    generator = _generator_error(error, text)
    if generator is not None:
        return generator
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
    first = _first_cmake_error(error.output)
    return BuildError(
        "CMake configuration failed" + (f": {first}" if first else ""),
        details=[] if first else _cmake_errors(error.output),
        hint="fix the CMake error shown above",
    )


_BUILD_HINT = (
    "fix the error reported by the compiler above (-C build.verbose=true shows every compiler command)"
)


def _cython_error(output: Sequence[str]) -> IronwheelError | None:
    """Cython's ``file:line:column: message``, with the path as the build gave it."""
    if not any(line.startswith("Error compiling Cython file") for line in output):
        return None
    for line in output:
        match = _CYTHON.match(line.strip())
        if match:
            reported = match.group(1)
            # Cython names the file relative to its package root; the command line has the full path.
            full = next(
                (
                    token
                    for other in output
                    for token in other.split()
                    if token.endswith("/" + reported) or token == reported
                ),
                reported,
            )
            return BuildError(
                f"Cython failed: {full}:{match.group(2)}:{match.group(3)}: {match.group(4)}",
                hint="fix the Cython error shown above",
            )
    return None


def _linker_error(output: Sequence[str]) -> IronwheelError | None:
    if not any(_COLLECT2.search(line) for line in output):
        return None
    lines = [line.strip() for line in output if _LINKER.search(line) and not _COLLECT2.search(line)]
    if not lines:
        return None
    missing = next(
        (_MISSING_LIBRARY.search(line + " ") for line in lines if _MISSING_LIBRARY.search(line + " ")), None
    )
    if missing:
        library = missing.group(1) or missing.group(2)
        hint = (
            f'install the library "{library}" (its development package), or add the directory that '
            "holds it to the link directories (library-dirs in an extension table)"
        )
    else:
        hint = "link the library that defines the missing symbols, or define them"
    return BuildError(f"linking failed: {lines[0]}", details=lines[1:5], hint=hint)


def build_error(error: CommandError) -> IronwheelError:
    """Explain a failed compile or link, quoting the compiler."""
    specific = _cython_error(error.output) or _linker_error(error.output)
    if specific is not None:
        return specific
    errors = [
        line.strip() for line in error.output if _ERROR_LINE.search(line) and not line.startswith("ninja:")
    ]
    compiler = [line for line in errors if not line.startswith("FAILED:")]
    details = (compiler or errors)[:5]
    return BuildError(
        "the build failed" + (f": {details[0]}" if details else ""),
        details=details[1:],
        hint=_BUILD_HINT,
    )


def install_error(error: CommandError) -> IronwheelError:
    """Explain a failed ``cmake --install``."""
    return BuildError(
        "cmake --install failed",
        details=_cmake_errors(error.output),
        hint="check the install() rules of CMakeLists.txt",
    )
