"""The configure plan: what ironwheel tells CMake, computed from facts gathered beforehand.

Nothing here reads the process or writes a file. The build environment was
probed once (``cmake/environment.py``), its view prepared in the build dir
(``BuildDir.prepare_view``), the target decided (``ironwheel.target``), the
tools chosen and the compilers set up (``tools/compilerset.py``);
:func:`make_plan` turns those and the settings into the initial cache (the
target's part from ``cmake/crossbuild.py``), the command line, zig's wrapper
scripts, the build's environment and the two keys that decide whether CMake
runs at all (see ``cmake/configure.py``):

- the *fresh key* holds everything CMake cannot change in an existing cache
  (compilers and flags from the environment, zig or MSVC, the target,
  generator, Python, cmake itself): when it changes, the cache is dropped;
- the *configure key* is the exact command and initial cache: when it is
  unchanged and the tree is generated, configuring is skipped altogether.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from packaging.version import Version

from ironwheel import _layout
from ironwheel._version import __version__
from ironwheel.archive.reproducible import source_date_epoch
from ironwheel.archive.tags import StableABI
from ironwheel.cmake.builddir import STAGING_TREES, BuildDir
from ironwheel.cmake.crossbuild import CrossBuild, cross_build
from ironwheel.cmake.environment import BuildEnvironment
from ironwheel.cmake.envview import EnvironmentView
from ironwheel.cmake.helpers import HELPERS_DIR
from ironwheel.cmake.rpath import ROOM_INCLUDE, default_install_rpath, has_room
from ironwheel.errors import ConfigError
from ironwheel.extensions.generated import GeneratedProject, extensions_hook, include_variable
from ironwheel.request import BuildRequest
from ironwheel.settings import Settings
from ironwheel.settings.model import install_prefix_arguments
from ironwheel.target import WheelTarget
from ironwheel.tools.compilerset import Compilers
from ironwheel.tools.launcher import LANGUAGES, Launcher
from ironwheel.tools.toolchain import Program

__all__ = ["Plan", "Target", "Tools", "compiler_programs", "make_plan"]

log = logging.getLogger("ironwheel")

# Environment variables CMake reads only when it first creates a cache.
_FRESH_VARIABLES = (
    "CC",
    "CXX",
    "FC",
    "CUDACXX",
    "CUDAHOSTCXX",
    "OBJC",
    "OBJCXX",
    "ASM",
    "CFLAGS",
    "CXXFLAGS",
    "CPPFLAGS",
    "LDFLAGS",
    "FFLAGS",
    "CUDAFLAGS",
    "CMAKE_ARGS",
    "CMAKE_TOOLCHAIN_FILE",
    "CMAKE_GENERATOR_PLATFORM",
    "CMAKE_GENERATOR_TOOLSET",
    "ARCHFLAGS",
    "MACOSX_DEPLOYMENT_TARGET",
    *(f"CMAKE_{language}_COMPILER_LAUNCHER" for language in LANGUAGES),
)

_VISUAL_STUDIO_PLATFORMS = {"win32": "Win32", "win_amd64": "x64", "win_arm64": "ARM64"}

# Compiler families and the first version that knows -ffile-prefix-map.
_PREFIX_MAP_COMPILERS = (("GNU", 8), ("Clang", 10), ("AppleClang", 12))
_PREFIX_MAP_LANGUAGES = ("C", "CXX", "OBJC", "OBJCXX", "Fortran")


@dataclasses.dataclass(frozen=True)
class Target:
    """What is built, as CMake is told it: the project, what its wheel is for and its ABI, the request."""

    name: str
    version: Version
    source_dir: Path
    wheel: WheelTarget  # the platform and Python the wheel is for (ironwheel.target)
    stable_abi: StableABI | None
    request: BuildRequest
    generated: GeneratedProject | None = None  # the top level, or added to the project's CMakeLists.txt

    @property
    def platform(self) -> str:
        """The wheel's plain platform tag: ``linux_x86_64``, ``macosx_11_0_arm64``, ``win_amd64``."""
        return self.wheel.platform


@dataclasses.dataclass(frozen=True)
class Tools:
    """The programs the build runs."""

    cmake: Program
    ninja: Program | None = None
    launcher: Launcher | None = None
    compilers: Compilers = dataclasses.field(default_factory=Compilers)  # zig or MSVC, when set up


@dataclasses.dataclass(frozen=True)
class Plan:
    """Everything needed to configure, build and install one tree."""

    command: tuple[str, ...]
    init_cache: str
    environment: Mapping[str, str]
    fresh_key: Mapping[str, Any]
    configure_key: str
    build_type: str
    multi_config: bool
    generator: str
    files: Mapping[str, str]  # name of a BuildDir.cmake_file -> content, written before configuring
    install_prefix: Path
    programs: Mapping[str, str] = dataclasses.field(default_factory=dict)  # like files, executable


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return f'"{escaped}"'


def _cache_line(name: str, value: str, kind: str = "STRING") -> str:
    return f'set({name} {_quote(value)} CACHE {kind} "Set by ironwheel" FORCE)'


def _reproducible_include(source_dir: Path, build_dir: Path) -> str:
    """A CMAKE_PROJECT_INCLUDE that maps build paths out of compiled code."""
    maps = [f"-ffile-prefix-map={source_dir}=.", f"-ffile-prefix-map={build_dir}=build"]
    conditions = [
        f"$<AND:$<COMPILE_LANG_AND_ID:{language},{compiler}>,"
        f"$<VERSION_GREATER_EQUAL:$<{language}_COMPILER_VERSION>,{minimum}>>"
        for language in _PREFIX_MAP_LANGUAGES
        for compiler, minimum in _PREFIX_MAP_COMPILERS
        if not (language == "Fortran" and compiler != "GNU")
    ]
    condition = "$<OR:" + ",".join(conditions) + ">"
    options = "\n".join(f'    "$<{condition}:{flag}>"' for flag in maps)
    return (
        "# Written by ironwheel: keep build paths out of compiled files (reproducible builds).\n"
        "get_property(_ironwheel_mapped GLOBAL PROPERTY IRONWHEEL_PREFIX_MAP SET)\n"
        "if(NOT _ironwheel_mapped)\n"
        "  set_property(GLOBAL PROPERTY IRONWHEEL_PREFIX_MAP TRUE)\n"
        f"  add_compile_options(\n{options}\n  )\n"
        "endif()\n"
    )


def _split_cmake_args(environ: Mapping[str, str]) -> list[str]:
    try:
        args = shlex.split(environ.get("CMAKE_ARGS", ""), posix=os.name != "nt")
    except ValueError as error:
        raise ConfigError(
            f"CMAKE_ARGS cannot be split into arguments: {error}",
            hint="quote the arguments in CMAKE_ARGS the way a shell would",
        ) from None
    dropped = set(install_prefix_arguments(args))
    kept = [arg for index, arg in enumerate(args) if index not in dropped]
    if len(kept) != len(args):
        log.info("ignoring -DCMAKE_INSTALL_PREFIX from CMAKE_ARGS: the wheel decides where files go")
    return kept


def _contract(prefix: str, target: Target, soabi: str, build_dir: BuildDir) -> list[str]:
    """The variables every build defines, under ironwheel's names or scikit-build-core's (``prefix``)."""
    stable_abi = target.stable_abi
    values = {
        "STATE": target.request.kind,
        "PROJECT_NAME": target.name.replace("-", "_").replace(".", "_"),
        "PROJECT_VERSION": ".".join(str(part) for part in target.version.release[:4]),
        "PROJECT_VERSION_FULL": str(target.version),
        "SOABI": soabi,
        "SABI_VERSION": stable_abi.version if stable_abi else "",
        "SABI_COMPONENT": "Development.SABIModule" if stable_abi else "",
    }
    return [_cache_line(f"{prefix}_{name}", value) for name, value in values.items()] + [
        _cache_line(f"{prefix}_{tree.upper()}_DIR", build_dir.tree(tree).as_posix(), "PATH")
        for tree in STAGING_TREES
    ]


def _interpreter_lines(view: EnvironmentView, cross: CrossBuild) -> list[str]:
    """Python hints: this interpreter, never the registry or another install; the target's headers,
    libraries and suffixes."""
    return [
        *(
            _cache_line(f"{prefix}_EXECUTABLE", view.python.as_posix(), "FILEPATH")
            for prefix in ("Python", "Python3", "PYTHON")
        ),
        *(_cache_line(name, value, kind) for name, value, kind in cross.entries),
        _cache_line("Python_FIND_REGISTRY", "NEVER"),
        _cache_line("Python3_FIND_REGISTRY", "NEVER"),
    ]


def _abi_and_numpy_lines(
    target: Target, environment: BuildEnvironment, view: EnvironmentView, cmake: Program
) -> list[str]:
    """A free-threaded Python's ABI, NumPy's headers when the environment has NumPy, and the
    include directories of the tables' include-packages."""
    lines = [
        _cache_line(include_variable(entry), ";".join(view.stable(path) for path in directories))
        for entry, directories in sorted(environment.package_includes.items())
    ]
    if target.wheel.python.free_threaded and cmake.version >= Version("3.30"):
        lines += [_cache_line(f"{prefix}_FIND_ABI", "ANY;ANY;ANY;ON") for prefix in ("Python", "Python3")]
    if environment.numpy is not None:
        numpy_include = view.stable(environment.numpy.include)
        lines += [
            _cache_line("IRONWHEEL_NUMPY_INCLUDE_DIR", numpy_include, "PATH"),
            _cache_line("IRONWHEEL_F2PY_INCLUDE_DIR", view.stable(environment.numpy.f2py_source), "PATH"),
            *(
                _cache_line(f"{prefix}_NumPy_INCLUDE_DIR", numpy_include, "PATH")
                for prefix in ("Python", "Python3")
            ),
        ]
    return lines


def _search_lines(
    defines: dict[str, str],
    environment: BuildEnvironment,
    view: EnvironmentView,
    first: list[str],
) -> list[str]:
    """CMAKE_PREFIX_PATH and CMAKE_MODULE_PATH (taken out of ``defines``, after ``first``) and
    ``<name>_ROOT``."""
    registered = environment.entry_points
    prefix_path = [item for item in defines.pop("CMAKE_PREFIX_PATH", "").split(";") if item]
    prefix_path += [view.stable(path) for path in registered.prefix]
    prefix_path.append(view.stable(HELPERS_DIR))  # find_package(ironwheel CONFIG)
    prefix_path += [site.as_posix() for site in view.sites]
    module_path = first + [item for item in defines.pop("CMAKE_MODULE_PATH", "").split(";") if item]
    module_path += [view.stable(path) for path in registered.module]
    return [
        _cache_line("CMAKE_PREFIX_PATH", ";".join(prefix_path), "STRING"),
        _cache_line("CMAKE_MODULE_PATH", ";".join(module_path), "STRING"),
        *(_cache_line(f"{name}_ROOT", view.stable(path), "PATH") for name, path in registered.root),
        _cache_line("CMAKE_FIND_ROOT_PATH_MODE_PACKAGE", "BOTH"),
    ]


def _project_includes(
    target: Target, defines: dict[str, str], build_dir: BuildDir
) -> tuple[list[str], dict[str, str]]:
    """CMAKE_PROJECT_INCLUDE (chaining the user's, taken out of ``defines``): cache lines and files."""
    files: dict[str, str] = {}
    includes: list[Path] = []
    if os.name != "nt":
        files[_layout.REPRODUCIBLE] = _reproducible_include(target.source_dir, build_dir.path)
        includes.append(build_dir.cmake_file(_layout.REPRODUCIBLE))
    # The linker hashes the build tree's RPATH into the GNU build-id (and pads the string
    # to its length): relative entries keep the build directory out of both.
    lines = [_cache_line("CMAKE_BUILD_RPATH_USE_ORIGIN", "ON", "BOOL")]
    install_rpath = default_install_rpath(target.platform)
    if install_rpath is not None:
        lines.append(_cache_line("CMAKE_INSTALL_RPATH", install_rpath))
    if has_room(target.platform):
        files[_layout.RPATH_ROOM] = ROOM_INCLUDE
        includes.append(build_dir.cmake_file(_layout.RPATH_ROOM))
    generated = target.generated
    if generated is not None and not generated.standalone:
        files[_layout.EXTENSIONS_HOOK] = extensions_hook(generated, build_dir.path / "ironwheel-extensions")
        includes.append(build_dir.cmake_file(_layout.EXTENSIONS_HOOK))
    if includes and "CMAKE_PROJECT_INCLUDE" in defines:
        includes.insert(0, Path(defines.pop("CMAKE_PROJECT_INCLUDE")))
    if len(includes) > 1:
        files[_layout.PROJECT_INCLUDE] = "".join(f"include({_quote(path.as_posix())})\n" for path in includes)
        includes = [build_dir.cmake_file(_layout.PROJECT_INCLUDE)]
    if includes:
        lines.append(_cache_line("CMAKE_PROJECT_INCLUDE", includes[0].as_posix(), "FILEPATH"))
    return lines, files


def _compiler_lines(target: Target, compilers: Compilers, build_dir: BuildDir) -> list[str]:
    """CMake's compilers, ar and ranlib: zig's wrapper scripts (see :func:`compiler_programs`)."""
    if compilers.zig is None:
        return []
    scripts = build_dir.cmake_file(_layout.ZIG)
    return [
        _cache_line(name, value, kind)
        for name, value, kind in compilers.zig.cache_entries(scripts, target.wheel)
    ]


def compiler_programs(target: Target, compilers: Compilers) -> dict[str, str]:
    """zig's wrapper scripts (and its macOS rules), by name of a BuildDir.cmake_file."""
    if compilers.zig is None or compilers.zig_program is None:
        return {}
    programs = {
        f"{_layout.ZIG}/{name}": text for name, text in compilers.zig.scripts(compilers.zig_program).items()
    }
    if target.wheel.system == "macos":
        programs[f"{_layout.ZIG}/rules.cmake"] = compilers.zig.rules()
    return programs


def initial_cache(
    target: Target,
    settings: Settings,
    tools: Tools,
    environment: BuildEnvironment,
    view: EnvironmentView,
    build_dir: BuildDir,
) -> tuple[str, dict[str, str], dict[str, str]]:
    """The ``-C`` initial cache, the files it includes, and the ``-D`` defines it leaves to the command."""
    defines = dict(settings.cmake.define)
    cross = cross_build(target.wheel, stable=target.stable_abi is not None)
    first = [build_dir.cmake_file(name).as_posix() for name in cross.module_path]  # a FindPython shim
    lines = [
        "# Written by ironwheel on every configure; do not edit.",
        _cache_line("IRONWHEEL", "ON", "BOOL"),
        _cache_line("IRONWHEEL_VERSION", __version__),
        *_contract("IRONWHEEL", target, cross.soabi, build_dir),
        _cache_line("SKBUILD", "2"),
        *_contract("SKBUILD", target, cross.soabi, build_dir),
        *_interpreter_lines(view, cross),
        *_search_lines(defines, environment, view, first),
        *_compiler_lines(target, tools.compilers, build_dir),
    ]
    if tools.launcher is not None:
        lines += [_cache_line(variable, value) for variable, value in tools.launcher.cache_lines()]
    lines += _abi_and_numpy_lines(target, environment, view, tools.cmake)
    includes, files = _project_includes(target, defines, build_dir)
    files.update(cross.files)
    init_cache = "\n".join(lines + includes) + "\n"
    files[_layout.INIT_CACHE] = init_cache
    return init_cache, files, defines


def _generator(environ: Mapping[str, str]) -> tuple[str, bool]:
    generator = environ.get("CMAKE_GENERATOR") or "Ninja"
    multi_config = generator.startswith(("Visual Studio", "Xcode")) or generator == "Ninja Multi-Config"
    return generator, multi_config


def _install_prefix(settings: Settings, build_dir: BuildDir) -> Path:
    prefix = build_dir.tree("platlib")
    return prefix / settings.wheel.install_dir if settings.wheel.install_dir else prefix


def _top_level(target: Target) -> Path:
    generated = target.generated
    return generated.directory if generated is not None and generated.standalone else target.source_dir


def command_line(
    target: Target,
    settings: Settings,
    tools: Tools,
    environ: Mapping[str, str],
    view: EnvironmentView,
    build_dir: BuildDir,
    defines: Mapping[str, str],
) -> list[str]:
    """``cmake -S ... -B ... -G ... -C <initial cache> -D...``, with the user's arguments last."""
    generator, multi_config = _generator(environ)
    command = [
        str(tools.cmake.path),
        "-S",
        str(_top_level(target)),
        "-B",
        str(build_dir.path),
        "-G",
        generator,
        "-C",
        str(build_dir.cmake_file(_layout.INIT_CACHE)),
        f"-DCMAKE_INSTALL_PREFIX={_install_prefix(settings, build_dir).as_posix()}",
    ]
    if not multi_config:
        command.append(f"-DCMAKE_BUILD_TYPE={settings.cmake.build_type}")
    visual_studio_platform = _VISUAL_STUDIO_PLATFORMS.get(target.platform)
    if (
        generator.startswith("Visual Studio")
        and visual_studio_platform
        and "CMAKE_GENERATOR_PLATFORM" not in environ
        and not any(arg.startswith("-A") for arg in (*settings.cmake.args, *_split_cmake_args(environ)))
    ):
        command += ["-A", visual_studio_platform]  # a 32-bit Python needs a 32-bit build
    if tools.ninja is not None and generator.startswith("Ninja"):
        command.append(f"-DCMAKE_MAKE_PROGRAM={view.make_program or tools.ninja.path}")
    command += [f"-D{key}={value}" for key, value in sorted(defines.items())]
    command += list(settings.cmake.args)
    command += _split_cmake_args(environ)
    return command


def fresh_key(
    target: Target,
    settings: Settings,
    tools: Tools,
    environment: BuildEnvironment,
    build_dir: BuildDir,
    defines: Mapping[str, str],
) -> dict[str, Any]:
    """What CMake cannot change in an existing cache: when it differs, the cache is dropped."""
    environ = environment.environ
    return {
        "ironwheel": __version__,
        "source": str(_top_level(target)),
        "build": str(build_dir.path),
        "generator": _generator(environ)[0],
        "cmake": str(tools.cmake.version),
        "python": environment.python_identity(),
        "environment": {key: environ[key] for key in _FRESH_VARIABLES if key in environ},
        "defined": sorted(defines),
        "args": list(settings.cmake.args),
        # A launcher that is no longer wanted would stay in the cache: start over instead.
        "launcher": str(tools.launcher.path) if tools.launcher else "",
        # Another target or other compilers: nothing in the old cache is of use.
        "target": f"{target.wheel.platform} {target.wheel.libc} {target.wheel.python.extension_suffix}",
        **tools.compilers.key(),
    }


def make_plan(
    target: Target,
    settings: Settings,
    tools: Tools,
    environment: BuildEnvironment,
    view: EnvironmentView,
    build_dir: BuildDir,
) -> Plan:
    """The initial cache, the command line and the keys for configuring ``target`` in ``build_dir``."""
    init_cache, files, defines = initial_cache(target, settings, tools, environment, view, build_dir)
    command = command_line(target, settings, tools, environment.environ, view, build_dir, defines)
    configure_key = hashlib.sha256(
        json.dumps([command, init_cache], sort_keys=True).encode("utf-8")
    ).hexdigest()
    generator, multi_config = _generator(environment.environ)
    variables = {"SOURCE_DATE_EPOCH": str(source_date_epoch(environment.environ))}
    if tools.compilers.msvc is not None:
        variables.update(tools.compilers.msvc.variables)
    return Plan(
        command=tuple(command),
        init_cache=init_cache,
        environment=variables,
        fresh_key=fresh_key(target, settings, tools, environment, build_dir, defines),
        configure_key=configure_key,
        build_type=settings.cmake.build_type,
        multi_config=multi_config,
        generator=generator,
        files=files,
        install_prefix=_install_prefix(settings, build_dir),
        programs=compiler_programs(target, tools.compilers),
    )
