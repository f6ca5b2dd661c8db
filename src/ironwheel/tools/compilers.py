"""Is there a compiler for the Fortran and CUDA sources of the extension tables?

Asked before CMake runs, so that the error names the extension and says
what to install; an optional extension without its compiler is left out.
So is one that needs a compiler the chosen toolchain does not have (zig
compiles C and C++ only).
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
from collections.abc import Mapping, Sequence

from ironwheel.errors import ToolError
from ironwheel.extensions.optional import OptionalPolicy
from ironwheel.extensions.tables import Extension
from ironwheel.tools.compilerset import Compilers
from ironwheel.tools.zig import unsupported_error, unsupported_languages

__all__ = ["buildable", "find_compiler"]

log = logging.getLogger("ironwheel")

# language -> (environment variable, CMake variable, programs CMake looks for)
_COMPILERS = {
    "Fortran": ("FC", "CMAKE_Fortran_COMPILER", ("gfortran", "flang-new", "flang", "ifx", "ifort", "f95")),
    "CUDA": ("CUDACXX", "CMAKE_CUDA_COMPILER", ("nvcc",)),
}
_MISSING = {
    "Fortran": (
        "no Fortran compiler found",
        "install gfortran: apt-get install gfortran / brew install gcc / conda install gfortran; "
        "or set FC to a Fortran compiler",
    ),
    "CUDA": (
        "no CUDA compiler (nvcc) found",
        "install the CUDA toolkit and put nvcc on PATH, or set CUDACXX to nvcc",
    ),
}


def find_compiler(
    language: str, environ: Mapping[str, str] | None = None, defines: Mapping[str, str] | None = None
) -> str | None:
    """The compiler CMake would use for ``language``, or None when there is none."""
    environ = os.environ if environ is None else environ
    variable, cache, programs = _COMPILERS[language]
    if (defines or {}).get(cache):
        return (defines or {})[cache]
    chosen = environ.get(variable, "").strip()
    if chosen:
        words = shlex.split(chosen)
        return shutil.which(words[0], path=environ.get("PATH")) if words else None
    for program in programs:
        found = shutil.which(program, path=environ.get("PATH"))
        if found:
            return found
    return None


def buildable(
    extensions: Sequence[Extension],
    policy: OptionalPolicy,
    environ: Mapping[str, str] | None = None,
    defines: Mapping[str, str] | None = None,
    compilers: Compilers | None = None,
) -> list[Extension]:
    """The extensions whose compilers exist; a required one without its compiler is an error."""
    kept: list[Extension] = []
    for extension in extensions:
        if compilers is not None and compilers.zig is not None:
            refused = unsupported_languages(extension.languages)
            if refused:
                sources = [path for language in refused for path in extension.of(language)]
                where = f"the extension {extension.name}" + (f" ({sources[0].name})" if sources else "")
                _leave_out(extension, unsupported_error(extension.languages, where), policy)
                continue
        missing = [
            language
            for language in extension.languages
            if language in _COMPILERS and find_compiler(language, environ, defines) is None
        ]
        if not missing:
            kept.append(extension)
            continue
        language = missing[0]
        sources = extension.of(language) or extension.of("Signature")
        what = f"{extension.name} ({sources[0].name})" if sources else extension.name
        message, hint = _MISSING[language]
        variable = _COMPILERS[language][0]
        chosen = (os.environ if environ is None else environ).get(variable, "").strip()
        if chosen:
            message = f"the {language} compiler {variable}={chosen} was not found"
            hint = f"set {variable} to an installed {language} compiler, or unset it"
        _leave_out(extension, ToolError(f"{message} for {what}", hint=hint), policy)
    return kept


def _leave_out(extension: Extension, problem: ToolError, policy: OptionalPolicy) -> None:
    """An optional extension is left out (and reported, unless skipped); a required one fails."""
    if not extension.settings.optional:
        raise problem
    if policy.mode != "skip":
        policy.failed(extension.name, problem)
