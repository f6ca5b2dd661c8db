"""The typed settings model: every key of ``[tool.ironwheel]``.

Each field's metadata carries its documentation and, where needed, a check
on its value. The validator, the environment and ``-C`` parsers, the JSON
schema and the reference table are all generated from these classes, so a
key exists in all of them or in none.
"""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Callable, Mapping
from typing import Any, Literal, Optional, Union

from packaging.version import InvalidVersion, Version

__all__ = [
    "DEFAULT_VERSION_REGEX",
    "BuildSettings",
    "CMakeSettings",
    "CythonSettings",
    "EditableSettings",
    "ExtensionSettings",
    "GenerateSettings",
    "MetadataSettings",
    "ReadmeSettings",
    "RepairSettings",
    "RequirementsSettings",
    "Scalar",
    "SdistSettings",
    "Settings",
    "TargetSettings",
    "VersionSettings",
    "WheelSettings",
    "install_prefix_arguments",
]

Check = Callable[[Any], Optional[str]]
# A TOML value that is not a table or an array (C macros, Cython directives).
Scalar = Union[str, bool, int, float]

DEFAULT_VERSION_REGEX = (
    r"(?m)^\s*__version__\s*(?::\s*[\w.\[\]]+\s*)?=\s*"
    r"(?P<quote>['\"])(?P<version>[^'\"]+)(?P=quote)"
)


def setting(
    default: Any,
    doc: str,
    *,
    check: Check | None = None,
    kind: Literal["", "cmake-define"] = "",
    required: bool = False,
) -> Any:
    """Declare one key: its default, its documentation and an optional check."""
    metadata = {"doc": doc, "check": check, "kind": kind, "required": required}
    if isinstance(default, (dict, list)):
        factory = type(default)
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def section(cls: type[Any], doc: str) -> Any:
    """Declare a nested table."""
    return dataclasses.field(default_factory=cls, metadata={"doc": doc})


def install_prefix_arguments(args: tuple[str, ...] | list[str]) -> list[int]:
    """The indexes of the arguments that set CMAKE_INSTALL_PREFIX, in either spelling of ``-D``."""
    found: list[int] = []
    for index, arg in enumerate(args):
        if arg.startswith("-DCMAKE_INSTALL_PREFIX"):
            found.append(index)
        elif arg == "-D" and index + 1 < len(args) and args[index + 1].startswith("CMAKE_INSTALL_PREFIX"):
            found += [index, index + 1]
    return found


def _check_cmake_args(value: tuple[str, ...]) -> str | None:
    found = install_prefix_arguments(value)
    if found:
        given = " ".join(value[index] for index in found)
        # It would move every DESTINATION evaluated at configure time out of the wheel.
        return (
            f'"{given}" is not allowed: the wheel decides where files go '
            "(wheel.install-dir chooses a directory in it)"
        )
    return None


def _check_specifier(value: str) -> str | None:
    # Imported here: packaging.specifiers costs every hook a few milliseconds, and
    # only a project that sets a version range needs it.
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(value)
    except InvalidSpecifier:
        return f'expected a version specifier such as ">=3.18", got "{value}"'
    return None


def _check_regex(value: str) -> str | None:
    try:
        re.compile(value)
    except re.error as error:
        return f"not a valid regular expression: {error}"
    return None


def _check_minimum_version(value: str) -> str | None:
    if not value:
        return None
    try:
        Version(value)
    except InvalidVersion:
        return f'expected a version such as "0.1", got "{value}"'
    return None


BUILD_DIR_PLACEHOLDERS = ("wheel_tag", "build_type")


def placeholders(template: str) -> list[str]:
    """The ``{name}`` fields of a template; ValueError for unbalanced braces."""
    return [
        field for _text, field, _spec, _conversion in string.Formatter().parse(template) if field is not None
    ]


def _check_build_dir(value: str) -> str | None:
    try:
        names = placeholders(value)
    except ValueError as error:
        return f'invalid template "{value}": {error}'
    for name in names:
        if name not in BUILD_DIR_PLACEHOLDERS:
            known = ", ".join("{" + known + "}" for known in BUILD_DIR_PLACEHOLDERS)
            return f'unknown placeholder "{{{name}}}" (known: {known})'
    return None


def _check_launcher(value: str) -> str | None:
    if not value.strip() or value != value.strip():
        return f'expected "auto", "none" or a program such as "ccache", got "{value}"'
    return None


def _check_jobs(value: int) -> str | None:
    return None if value >= 0 else f"expected 0 (all cores) or a positive number, got {value}"


_PY_API = re.compile(r"^(py3|py2\.py3|cp3\d+)$")


def _check_py_api(value: str) -> str | None:
    if value and not _PY_API.match(value):
        return f'expected "", "py3" or a CPython tag such as "cp39", got "{value}"'
    return None


def _check_install_dir(value: str) -> str | None:
    parts = value.replace("\\", "/").split("/")
    if value.startswith("/") or ".." in parts:
        return f'expected a path inside the wheel, such as "mypkg", got "{value}"'
    return None


def _relative_parts(value: str) -> list[str] | None:
    """The parts of a relative path that stays below where it starts, else None."""
    text = value.replace("\\", "/")
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text) or ".." in parts:
        return None
    return parts


def _check_force_include(value: Mapping[str, str]) -> str | None:
    for source, destination in value.items():
        shown = f'"{source}" = "{destination}"'
        if not source or _relative_parts(source) is None:
            return f"{shown}: the source must be a path inside the project, relative to its root"
        parts = _relative_parts(destination)
        if not parts:
            return f'{shown}: the destination must be a path inside the wheel, such as "mypkg/data"'
        if parts[0].endswith(".dist-info"):
            return f"{shown}: the .dist-info directory is written by ironwheel, not taken from the project"
    return None


@dataclasses.dataclass(frozen=True)
class VersionSettings:
    """``[tool.ironwheel.metadata.version]``: where a dynamic version comes from."""

    provider: Literal["auto", "regex", "vcs"] = setting(
        "auto",
        "regex: read from `file` with `regex`; vcs: from git or hg tags, through vcs-versioning "
        "(setuptools-scm's engine), configured by [tool.setuptools_scm]. auto: regex when `file` "
        "is set, else vcs when a [tool.setuptools_scm] or [tool.vcs-versioning] table is present. "
        "A build from an sdist takes the version from its PKG-INFO.",
    )
    file: str = setting(
        "",
        "File, relative to the project root, that holds the version; used when "
        'project.dynamic lists "version".',
    )
    regex: str = setting(
        DEFAULT_VERSION_REGEX,
        "Regular expression searched in `file` (^ and $ match at every line); the group "
        "named `version` (or `value`, else the first group) is the version. The default "
        'matches `__version__ = "1.2"`.',
        check=_check_regex,
    )


@dataclasses.dataclass(frozen=True)
class RequirementsSettings:
    """Requirements files that fill in ``dependencies`` or one extra of ``optional-dependencies``."""

    file: tuple[str, ...] = setting(
        (),
        "Requirements files, relative to the project root: one PEP 508 requirement a line, "
        "comments, line continuations and -r includes. They extend the static entries of "
        "[project] (PEP 808) and go into the sdist.",
    )


_CONTENT_TYPES = ("text/markdown", "text/x-rst", "text/plain")


def _check_content_type(value: str) -> str | None:
    if value and value.split(";", maxsplit=1)[0].strip().lower() not in _CONTENT_TYPES:
        known = ", ".join(f'"{known}"' for known in _CONTENT_TYPES)
        return f'expected one of {known}, got "{value}"'
    return None


@dataclasses.dataclass(frozen=True)
class ReadmeSettings:
    """``[tool.ironwheel.metadata.readme]``: where a dynamic readme comes from."""

    provider: Literal["auto", "file", "fancy-pypi-readme"] = setting(
        "auto",
        "file: the files of `file`, joined; fancy-pypi-readme: built by hatch-fancy-pypi-readme "
        "from [tool.hatch.metadata.hooks.fancy-pypi-readme]. auto: file when `file` is set, else "
        "fancy-pypi-readme when that table is present. A build from an sdist takes the readme "
        "from its PKG-INFO.",
    )
    file: tuple[str, ...] = setting(
        (),
        "Files, relative to the project root, joined with a blank line; used when project.dynamic "
        'lists "readme".',
    )
    content_type: str = setting(
        "",
        '"text/markdown", "text/x-rst" or "text/plain"; empty infers it from the first file\'s '
        "suffix (.md, .rst, else plain text).",
        check=_check_content_type,
    )


@dataclasses.dataclass(frozen=True)
class MetadataSettings:
    """``[tool.ironwheel.metadata]``."""

    version: VersionSettings = section(VersionSettings, "Dynamic version source.")
    readme: ReadmeSettings = section(ReadmeSettings, "Dynamic readme source.")
    dependencies: RequirementsSettings = section(
        RequirementsSettings,
        'Requirements files for project.dependencies (with "dependencies" in project.dynamic).',
    )
    optional_dependencies: Mapping[str, RequirementsSettings] = setting(
        {},
        "Requirements files for extras, one table per extra: "
        '[tool.ironwheel.metadata.optional-dependencies.test] (with "optional-dependencies" in '
        "project.dynamic).",
    )


@dataclasses.dataclass(frozen=True)
class CMakeSettings:
    """``[tool.ironwheel.cmake]``: how CMake is configured."""

    source_dir: str = setting(
        ".", "Directory holding the top-level CMakeLists.txt, relative to the project root."
    )
    build_type: str = setting("Release", "CMAKE_BUILD_TYPE.")
    define: Mapping[str, str] = setting(
        {},
        "Cache variables passed as -D. Booleans become ON/OFF, lists are joined with ';'.",
        kind="cmake-define",
    )
    args: tuple[str, ...] = setting(
        (),
        "Extra arguments for the configure step (not CMAKE_INSTALL_PREFIX: the wheel decides "
        "where files go).",
        check=_check_cmake_args,
    )
    targets: tuple[str, ...] = setting((), "Targets to build; empty builds the default target.")
    version: str = setting(
        ">=3.18",
        "CMake versions the project accepts. A cmake on PATH that satisfies this (and "
        "the CMakeLists.txt cmake_minimum_required) is used; otherwise one is requested "
        "from PyPI.",
        check=_check_specifier,
    )


@dataclasses.dataclass(frozen=True)
class BuildSettings:
    """``[tool.ironwheel.build]``: the build directory and the build step."""

    dir: str = setting(
        "build/{wheel_tag}",
        "Persistent build directory, relative to the project root; {wheel_tag} and "
        '{build_type} are filled in. "" builds in a temporary directory.',
        check=_check_build_dir,
    )
    jobs: int = setting(0, "Parallel compile jobs; 0 lets the build tool use every core.", check=_check_jobs)
    verbose: bool = setting(False, "Show every compiler command line.")
    compiler_launcher: str = setting(
        "auto",
        'Compiler cache put in front of every compile (CMAKE_<LANG>_COMPILER_LAUNCHER): "auto" '
        'uses ccache or sccache when one is on PATH, "none" uses none, anything else names the '
        "program (a name on PATH or a path).",
        check=_check_launcher,
    )
    toolchain: Literal["native", "zig"] = setting(
        "native",
        "native: the compilers CMake finds (CC, CXX, ...). zig: C and C++ compiled by zig cc/c++ "
        "(the ziglang package, requested from PyPI) for the target: an old glibc (repair.manylinux, "
        'default manylinux_2_17), musl (repair.manylinux = "musllinux_1_2"), macOS or Windows from '
        "any host. C++ links zig's own libc++ statically; no Fortran or CUDA.",
    )
    msvc: Literal["auto", "off"] = setting(
        "auto",
        "Windows: auto loads the Visual Studio environment (vcvarsall.bat, found by vswhere) for the "
        "target architecture when the generator is Ninja or Makefiles and none is active, so that "
        "MSVC compiles even with another compiler (MinGW gcc) on PATH; off keeps the compilers "
        "CMake finds.",
    )
    timings: str = setting(
        "",
        "Write an HTML page of where the wheel build spent its time (each step, the compiles in "
        'their parallel jobs, wall and CPU time) to this path, relative to the project root; "" '
        "writes none. See docs/timings.md.",
    )


@dataclasses.dataclass(frozen=True)
class WheelSettings:
    """``[tool.ironwheel.wheel]``: what goes into the wheel and how it is tagged."""

    packages: tuple[str, ...] = setting(
        (),
        "Python packages (directories) or modules (.py files) to ship, relative to the "
        "project root. Empty looks for the project's own package (src/<name>, "
        "src/<name>.py, python/<name>, <name>/, <name>.py), else ships every package in src/.",
    )
    package_dirs: Mapping[str, str] = setting(
        {},
        'Packages shipped under another name than their directory: { regex = "regex_3" } ships '
        "the directory regex_3 as the package regex, besides the packages above.",
    )
    py_api: str = setting(
        "",
        'Python API the wheel targets: "" for the running interpreter, "cp39" (or '
        'later) for the stable ABI (abi3), "py3" for no Python ABI at all.',
        check=_check_py_api,
    )
    exclude: tuple[str, ...] = setting(
        (), "Gitignore-style patterns of wheel paths to leave out of the wheel."
    )
    install_dir: str = setting(
        "",
        "Where `cmake --install` puts files with relative destinations, relative to the "
        'wheel root: with "mypkg", install(TARGETS _core DESTINATION .) lands in mypkg/.',
        check=_check_install_dir,
    )
    cmake: bool = setting(
        True,
        "Build the project's CMakeLists.txt. false leaves it out (one used only for development, "
        "or the C++ library's own build, say): the wheel is pure unless extension tables build "
        "modules (a table's enabled = false leaves it out too).",
    )
    force_include: Mapping[str, str] = setting(
        {},
        'Files or directories of the project put into the wheel at a path of their own: { "data/models" '
        '= "mypkg/models" } ships every file under data/models/ in mypkg/models/, whatever .gitignore '
        "and the file selection say (wheel.exclude too). Sources stay inside the project (no links out), "
        "destinations inside the wheel, and none takes the place of another file of the wheel. The "
        "sdist carries the sources.",
        check=_check_force_include,
    )


@dataclasses.dataclass(frozen=True)
class GenerateSettings:
    """One ``[[tool.ironwheel.generate]]`` entry: a file written from a template."""

    path: str = setting(
        "",
        "Where the file goes, relative to the wheel root (location install), the build "
        "directory (build) or the project root (source).",
        check=_check_install_dir,
        required=True,
    )
    template: str = setting("", "The file's text; ${name} and ${version} are replaced.")
    template_path: str = setting("", "A file, relative to the project root, holding the template instead.")
    location: Literal["install", "build", "source"] = setting(
        "install",
        "install: into the wheel; build: into the build directory before CMake runs; "
        "source: into the source tree before CMake runs.",
    )


@dataclasses.dataclass(frozen=True)
class SdistSettings:
    """``[tool.ironwheel.sdist]``: which files go into the sdist."""

    include: tuple[str, ...] = setting(
        (), "Gitignore-style patterns to include even when ignored; beats `exclude`."
    )
    exclude: tuple[str, ...] = setting((), "Gitignore-style patterns to leave out.")
    follow_external_links: bool = setting(
        False,
        "Follow symbolic links whose target lies outside the project, packing the files they "
        "point to (in the sdist and the wheel's package files). false makes such a link an error.",
    )


_MANYLINUX = re.compile(
    r"^(auto|manylinux(1|2010|2014)|manylinux_\d+_\d+|musllinux_\d+_\d+)"
    r"(_(x86_64|i686|aarch64|armv7l|ppc64le|ppc64|s390x|riscv64|loongarch64))?$"
)
_MACOS_ARCHS = ("arm64", "x86_64", "universal2", "intel", "i386")


def _check_manylinux(value: str) -> str | None:
    if not _MANYLINUX.match(value):
        return f'expected "auto" or a policy such as "manylinux_2_28" or "musllinux_1_2", got "{value}"'
    return None


def _check_macos_archs(value: tuple[str, ...]) -> str | None:
    for arch in value:
        if arch not in _MACOS_ARCHS:
            known = ", ".join(f'"{known}"' for known in _MACOS_ARCHS)
            return f'unknown architecture "{arch}" (known: {known})'
    return None


def _check_sources(value: tuple[str, ...]) -> str | None:
    return None if value else "expected at least one source file"


_INCLUDE_PACKAGE = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*(:[A-Za-z_]\w*)?$")


def _check_include_packages(value: tuple[str, ...]) -> str | None:
    for item in value:
        if not _INCLUDE_PACKAGE.fullmatch(item):
            return (
                f'"{item}" is not a module name, or a module:function (e.g. "cppy", "nanobind:include_dir")'
            )
    return None


def _check_macros(value: Mapping[str, Scalar]) -> str | None:
    for name in value:
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            return f'"{name}" is not a C macro name'
    return None


@dataclasses.dataclass(frozen=True)
class RepairSettings:
    """``[tool.ironwheel.repair]``: grafting external libraries into the wheel."""

    mode: Literal["auto", "on", "check", "off"] = setting(
        "auto",
        "on: repair (auditwheel, delocate, delvewheel); check: report what repair would graft "
        "and the tag it would give, and keep the plain tag; off: neither (distribution "
        "packages). auto: on for `ironwheel build`, check for other frontends, off under "
        "cibuildwheel (CIBUILDWHEEL=1), whose repair step runs the same tools. Editable "
        "builds are never repaired.",
    )
    manylinux: str = setting(
        "auto",
        'Linux platform policy passed to auditwheel --plat, e.g. "manylinux_2_28"; "auto" '
        "is the best the binaries allow (or AUDITWHEEL_PLAT when set).",
        check=_check_manylinux,
    )
    exclude: tuple[str, ...] = setting(
        (),
        "Libraries never grafted, by file name; wildcards allowed (e.g. libcuda.so.*). "
        "The wheel then relies on the system providing them.",
    )
    macos_archs: tuple[str, ...] = setting(
        (),
        'Architectures every macOS binary must have ("arm64", "x86_64", "universal2"); '
        "empty takes them from ARCHFLAGS, else from the wheel tag.",
        check=_check_macos_archs,
    )
    dll_dirs: tuple[str, ...] = setting(
        (),
        "Extra directories, relative to the project root, searched for DLLs on Windows "
        "(delvewheel --add-path), after the build's own.",
    )


_TARGET_PLATFORM = re.compile(r"^(|linux_\w+|macosx_\d+_\d+_\w+|win32|win_amd64|win_arm64)$")


def _check_target_platform(value: str) -> str | None:
    spelled = re.sub(r"[-.]", "_", value)
    if _TARGET_PLATFORM.match(spelled):
        return None
    expected = 'expected a platform such as "linux_aarch64", "macosx_11_0_arm64" or "win_amd64"'
    if spelled.startswith(("manylinux", "musllinux")):
        return f'{expected}, got the repair policy "{value}" (repair.manylinux takes policies)'
    return f'{expected}, got "{value}"'


@dataclasses.dataclass(frozen=True)
class TargetSettings:
    """``[tool.ironwheel.target]``: the platform and Python the wheel is built for."""

    platform: str = setting(
        "",
        'The platform, as a wheel tag spells it ("linux_aarch64", "macosx_11_0_arm64", "win_amd64") '
        'or sysconfig ("win-amd64"). "" takes it from build-details, then from _PYTHON_HOST_PLATFORM, '
        "ARCHFLAGS, MACOSX_DEPLOYMENT_TARGET, VSCMD_ARG_TGT_ARCH or AUDITWHEEL_PLAT, then from the "
        "running interpreter.",
        check=_check_target_platform,
    )
    build_details: str = setting(
        "",
        "The target Python's PEP 739 build-details.json (CPython 3.14+ installs it), relative to the "
        "project root: its platform, version, ABI flags, extension suffixes, headers and (on "
        "Windows) import libraries describe the target.",
    )
    emulator: tuple[str, ...] = setting(
        (),
        "A command that runs the target's programs on this machine (CMAKE_CROSSCOMPILING_EMULATOR), "
        'e.g. ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"].',
    )


@dataclasses.dataclass(frozen=True)
class ExtensionSettings:
    """One ``[tool.ironwheel.extension."pkg._core"]`` table: an extension module without CMake."""

    sources: tuple[str, ...] = setting(
        (),
        "Source files, relative to the project root (glob patterns allowed): C (.c), C++ "
        "(.cpp, .cxx, .cc), Cython (.pyx), Fortran (.f, .f90, ...), f2py signatures "
        "(.pyf), CUDA (.cu), assembly (.s, .S: GCC and Clang); headers may be listed too. Required.",
        check=_check_sources,
    )
    include_dirs: tuple[str, ...] = setting((), "Header directories, relative to the project root.")
    define_macros: Mapping[str, Scalar] = setting(
        {},
        'C macros: NAME = "value" or NAME = 1 defines NAME to the value, NAME = true '
        "defines it without one, NAME = false leaves it undefined (useful in overrides).",
        check=_check_macros,
    )
    libraries: tuple[str, ...] = setting((), 'Libraries to link, by name ("m", "z") or path.')
    library_dirs: tuple[str, ...] = setting((), "Directories searched for `libraries`.")
    compile_args: tuple[str, ...] = setting((), "Extra compiler arguments for the C and C++ sources.")
    link_args: tuple[str, ...] = setting((), "Extra linker arguments.")
    fortran_args: tuple[str, ...] = setting((), "Extra compiler arguments for the Fortran sources.")
    cuda_args: tuple[str, ...] = setting((), "Extra nvcc arguments for the CUDA sources.")
    language: Literal["auto", "c", "c++"] = setting(
        "auto",
        'c++ compiles Cython in C++ mode and links as C++; "auto" uses C++ when a C++ '
        'source is present or a .pyx says "# distutils: language = c++".',
    )
    binding: Literal["auto", "capi", "pybind11", "nanobind", "cython", "f2py"] = setting(
        "auto",
        "How the module talks to Python. auto: cython for a .pyx source, f2py for Fortran "
        "sources (or a .pyf) without C, pybind11 or nanobind when a source includes their "
        "headers, else the plain C API (capi).",
    )
    numpy: bool = setting(
        False, "Add NumPy's include directory; numpy is requested at build time (f2py implies it)."
    )
    include_packages: tuple[str, ...] = setting(
        (),
        "Build requirements whose C/C++ headers the module compiles against, by import name: the "
        'directory each one\'s get_include() returns is added ("module:function" calls another '
        'function, e.g. "nanobind:include_dir"). Each is requested at build time unless '
        "build-system.requires names it.",
        check=_check_include_packages,
    )
    py_limited_api: bool = setting(
        False,
        "Build for the limited API (abi3): at wheel.py-api's version, else the lower bound of "
        "project.requires-python. When every extension sets it, the wheel is tagged abi3.",
    )
    optional: bool = setting(
        False,
        "A failed build of this extension is a warning and the wheel ships without it "
        "(an error when IRONWHEEL_EXTENSION_OPTIONAL=required or CI is set).",
    )
    cython_directives: Mapping[str, Scalar] = setting(
        {}, "Cython compiler directives, e.g. { language_level = 3, boundscheck = false }."
    )
    undef_macros: tuple[str, ...] = setting(
        (), 'Macros undefined on the compiler command line (-U), e.g. ["NDEBUG"] to keep assert().'
    )
    runtime_library_dirs: tuple[str, ...] = setting(
        (), "Directories the module searches for shared libraries at run time (its RPATH; not on Windows)."
    )
    extra_objects: tuple[str, ...] = setting(
        (), "Object files and static libraries linked into the module, relative to the project root."
    )
    cxx_std: int = setting(
        0, "The C++ standard the module needs (11, 14, 17, 20, ...); 0 leaves it to the compiler."
    )
    enabled: bool = setting(
        True, "false leaves the module out of the build (with an override: on some platforms only)."
    )


@dataclasses.dataclass(frozen=True)
class CythonSettings:
    """``[tool.ironwheel.cython]``: what every Cython module of the extension tables gets."""

    directives: Mapping[str, Scalar] = setting(
        {},
        "Compiler directives for every Cython module; a table's cython-directives win. "
        "-C cython.directives.linetrace=true sets one.",
    )


@dataclasses.dataclass(frozen=True)
class EditableSettings:
    """``[tool.ironwheel.editable]``: editable installs (``pip install -e``)."""

    rebuild: bool = setting(
        True,
        "Rebuild changed native code when the package is first imported in a process; "
        "false serves what the last build made (rebuild with python -m ironwheel develop).",
    )


@dataclasses.dataclass(frozen=True)
class Settings:
    """The whole ``[tool.ironwheel]`` table after every source has been applied."""

    minimum_version: str = setting(
        "",
        "The ironwheel version this configuration was written for; older ironwheels refuse to build it.",
        check=_check_minimum_version,
    )
    metadata: MetadataSettings = section(MetadataSettings, "Metadata sources.")
    cmake: CMakeSettings = section(CMakeSettings, "CMake configure options.")
    build: BuildSettings = section(BuildSettings, "Build directory and build step.")
    wheel: WheelSettings = section(WheelSettings, "Wheel contents and tags.")
    sdist: SdistSettings = section(SdistSettings, "Source distribution contents.")
    generate: tuple[GenerateSettings, ...] = setting(
        (), "Files written from templates, e.g. a _version.py (an array of tables)."
    )
    editable: EditableSettings = section(EditableSettings, "Editable installs.")
    repair: RepairSettings = section(RepairSettings, "Wheel repair: grafting external shared libraries.")
    target: TargetSettings = section(TargetSettings, "The platform and Python the wheel is for.")
    extension: Mapping[str, ExtensionSettings] = setting(
        {},
        "Extension modules built without a CMakeLists.txt, one table per module: "
        '[tool.ironwheel.extension."pkg._core"].',
    )
    cython: CythonSettings = section(CythonSettings, "Cython defaults for the extension tables.")
    # Not a key: which source gave each value that did not come from the table (dotted key ->
    # its name there, "IRONWHEEL_BUILD_DIR", "-C build.dir"), so that messages name what the user wrote.
    origins: Mapping[str, str] = dataclasses.field(
        default_factory=dict, compare=False, repr=False, metadata={"origin": True}
    )

    def where(self, key: str) -> str:
        """How a message names the setting ``key`` (``"build.dir"``): as the source that set it spells it."""
        return self.origins.get(key) or f"tool.ironwheel.{key}"
