"""The CMake project ironwheel writes for ``[tool.ironwheel.extension]`` tables.

It lives in the build directory (``.ironwheel/generated/CMakeLists.txt``),
calls ironwheel's own helpers (``find_package(ironwheel CONFIG)``) and is
rewritten only when its text changes, so CMake and ninja stay incremental.
Without a CMakeLists.txt of the project it is the top-level project; with
one, the project's stays the top level and a ``CMAKE_PROJECT_INCLUDE`` hook
adds the generated directory during its first ``project()`` call, before
any of its own settings can leak into the modules.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from ironwheel._fs import write_if_changed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ironwheel.extensions.tables import Extension
    from ironwheel.settings.model import Scalar

__all__ = ["GeneratedProject", "extensions_hook", "include_variable", "render_lists", "write_generated"]

log = logging.getLogger("ironwheel")

_MINIMUM = "3.18...3.31"


@dataclasses.dataclass(frozen=True)
class GeneratedProject:
    """Where the generated CMakeLists.txt is, and whether it is the top level."""

    directory: Path
    standalone: bool


def include_variable(entry: str) -> str:
    """The cache variable holding the include directories of an ``include-packages`` entry."""
    return "IRONWHEEL_INCLUDE_" + re.sub(r"\W", "_", entry)


def _arg(value: str) -> str:
    """A quoted CMake argument whose text is taken literally."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return f'"{escaped}"'


def _genex_text(value: str) -> str:
    """Text that may sit inside a generator expression."""
    return value.replace(">", "$<ANGLE-R>").replace(",", "$<COMMA>").replace(";", "$<SEMICOLON>")


def _for_languages(languages: str, flags: Sequence[str]) -> list[str]:
    return [f"$<$<COMPILE_LANGUAGE:{languages}>:{_genex_text(flag)}>" for flag in flags]


def _macro(name: str, value: Scalar) -> str | None:
    if value is False:
        return None
    if value is True:
        return name
    return f"{name}={value}"


def _directive(name: str, value: Scalar) -> str:
    shown = ("True" if value else "False") if isinstance(value, bool) else str(value)
    return f"{name}={shown}"


def _call(command: str, target: str, keyword: str, values: Sequence[str]) -> list[str]:
    if not values:
        return []
    if len(values) == 1:
        return [f"{command}({_arg(target)} {keyword} {_arg(values[0])})"]
    inner = "\n".join(f"  {_arg(value)}" for value in values)
    return [f"{command}({_arg(target)} {keyword}\n{inner})"]


def _paths(root: Path, entries: Sequence[str]) -> list[str]:
    return [(root / entry).as_posix() for entry in entries]


def _module(extension: Extension, root: Path) -> list[str]:
    """The helper call that creates the module's target."""
    target = _arg(extension.name)
    options = [f"OUTPUT_NAME {_arg(extension.module)}", "WITH_SOABI"]
    if extension.limited_api:
        options.append(f"LIMITED_API_VERSION {_arg(extension.limited_api)}")

    def listed(keyword: str, values: Sequence[str]) -> list[str]:
        return [keyword, *(f"  {_arg(value)}" for value in values)] if values else []

    settings = extension.settings
    if extension.binding == "cython":
        (pyx,) = extension.of("Cython")
        others = [path.as_posix() for path in extension.sources if path != pyx]
        lines = [
            f"ironwheel_add_cython_module({target} {_arg(pyx.as_posix())}",
            *listed("SOURCES", others),
            f"MODULE_NAME {_arg(extension.name)}",
            *(["CXX"] if extension.cxx else []),
            *listed("DIRECTIVES", [_directive(k, v) for k, v in extension.cython_directives.items()]),
            *listed("INCLUDE_DIRS", _paths(root, settings.include_dirs)),
        ]
    elif extension.binding == "f2py":
        lines = [
            f"ironwheel_add_f2py_module({target}",
            *listed("SOURCES", [path.as_posix() for path in extension.sources]),
            f"MODULE_NAME {_arg(extension.module)}",
        ]
        options = [option for option in options if not option.startswith("LIMITED_API")]
    else:
        lines = [
            f"ironwheel_add_module({target}",
            *listed("SOURCES", [path.as_posix() for path in extension.sources]),
            f"BINDING {extension.binding}",
        ]
    lines += options
    return [lines[0], *(f"  {line}" for line in lines[1:-1]), f"  {lines[-1]})"]


def _extension_block(extension: Extension, root: Path) -> list[str]:
    settings = extension.settings
    target = extension.name
    lines = [f"# {extension.name}" + (" (optional)" if settings.optional else ""), *_module(extension, root)]
    lines += _call("target_include_directories", target, "PRIVATE", _paths(root, settings.include_dirs))
    macros = [_macro(name, value) for name, value in settings.define_macros.items()]
    lines += _call("target_compile_definitions", target, "PRIVATE", [item for item in macros if item])
    options = _for_languages("C,CXX", settings.compile_args)
    options += _for_languages("Fortran", settings.fortran_args)
    options += _for_languages("CUDA", settings.cuda_args)
    lines += _call("target_compile_options", target, "PRIVATE", options)
    lines += _call("target_link_directories", target, "PRIVATE", _paths(root, settings.library_dirs))
    libraries = [
        (root / library).as_posix() if "/" in library or "\\" in library else library
        for library in settings.libraries
    ]
    lines += _call("target_link_libraries", target, "PRIVATE", libraries)
    lines += _call("target_link_options", target, "PRIVATE", list(settings.link_args))
    lines += _call("target_link_libraries", target, "PRIVATE", _paths(root, settings.extra_objects))
    undefined = [f"$<IF:$<C_COMPILER_ID:MSVC>,/U,-U>{name}" for name in settings.undef_macros]
    lines += _call("target_compile_options", target, "PRIVATE", undefined)
    if settings.runtime_library_dirs:
        # The RPATH of both the build tree and the installed module.
        rpath = ";".join(_paths(root, settings.runtime_library_dirs))
        lines.append(
            f"if(NOT WIN32)\n  set_property(TARGET {_arg(target)} APPEND PROPERTY BUILD_RPATH {_arg(rpath)})"
        )
        lines.append(
            f"  set_property(TARGET {_arg(target)} APPEND PROPERTY INSTALL_RPATH {_arg(rpath)})\nendif()"
        )
    if settings.cxx_std:
        lines.append(
            f"set_target_properties({_arg(target)} PROPERTIES"
            f" CXX_STANDARD {settings.cxx_std} CXX_STANDARD_REQUIRED ON)"
        )
    if settings.numpy and extension.binding != "f2py":
        lines.append(f"ironwheel_link_numpy({_arg(target)})")
    for entry in settings.include_packages:
        # A list in the initial cache (cmake/plan.py): unquoted, so that each directory is one.
        lines.append(f"target_include_directories({_arg(target)} PRIVATE ${{{include_variable(entry)}}})")
    if extension.cxx and extension.binding != "cython":
        lines.append(f"set_target_properties({_arg(target)} PROPERTIES LINKER_LANGUAGE CXX)")
    if settings.optional:
        # Built on its own after the others, so that its failure cannot stop them.
        lines.append(f"set_target_properties({_arg(target)} PROPERTIES EXCLUDE_FROM_ALL TRUE)")
    destination = "${IRONWHEEL_PLATLIB_DIR}" + (
        f"/{extension.package_path}" if extension.package_path else ""
    )
    optional = " OPTIONAL" if settings.optional else ""
    lines.append(f'install(TARGETS {_arg(target)} LIBRARY DESTINATION "{destination}"{optional})')
    return lines


def render_lists(project_name: str, extensions: Sequence[Extension], root: Path) -> str:
    """The text of the generated CMakeLists.txt (deterministic for the same tables)."""
    from ironwheel.extensions.tables import LANGUAGES

    languages = [
        language for language in LANGUAGES if any(language in extension.languages for extension in extensions)
    ]
    bindings = {extension.binding for extension in extensions}
    lines = [
        "# Written by ironwheel from the [tool.ironwheel.extension] tables of pyproject.toml;",
        "# it is rewritten on every build: do not edit.",
        f"cmake_minimum_required(VERSION {_MINIMUM})",
        f"project({project_name}_extensions LANGUAGES {' '.join(languages)})",
        "find_package(ironwheel CONFIG REQUIRED)",
    ]
    if bindings & {"pybind11", "nanobind"}:
        lines.append("find_package(Python 3 REQUIRED COMPONENTS Interpreter Development.Module)")
    lines += [
        f"find_package({name} CONFIG REQUIRED)" for name in ("pybind11", "nanobind") if name in bindings
    ]
    for extension in extensions:
        lines += ["", *_extension_block(extension, root)]
    return "\n".join(lines) + "\n"


def write_generated(
    directory: Path, project_name: str, extensions: Sequence[Extension], root: Path, *, standalone: bool
) -> GeneratedProject | None:
    """Write the generated project into ``directory`` if there are extensions (only when its text changed).

    The directory is the build dir's (``BuildDir.generated``); without extensions it is removed.
    """
    if not extensions:
        shutil.rmtree(directory, ignore_errors=True)
        return None
    text = render_lists(project_name, extensions, root)
    if write_if_changed(directory / "CMakeLists.txt", text):
        log.info("wrote %s", directory / "CMakeLists.txt")
    return GeneratedProject(directory, standalone)


def extensions_hook(generated: GeneratedProject, binary_dir: Path) -> str:
    """A CMAKE_PROJECT_INCLUDE that adds the generated modules to the project's own build."""
    return (
        "# Written by ironwheel: add the modules of the [tool.ironwheel.extension] tables.\n"
        "get_property(_ironwheel_extensions_added GLOBAL PROPERTY IRONWHEEL_EXTENSIONS_ADDED SET)\n"
        "if(NOT _ironwheel_extensions_added)\n"
        "  set_property(GLOBAL PROPERTY IRONWHEEL_EXTENSIONS_ADDED TRUE)\n"
        f"  add_subdirectory({_arg(generated.directory.as_posix())} {_arg(binary_dir.as_posix())})\n"
        "endif()\n"
    )
