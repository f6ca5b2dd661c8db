"""The configure step: what ironwheel tells CMake, and when it runs CMake at all.

Two keys decide. The *fresh key* holds everything CMake cannot change in an
existing cache (compilers, flags from the environment, generator, Python,
cmake itself): when it changes, the cache is dropped. The *configure key* is
the exact command and initial cache: when it is unchanged and the tree is
generated, configuring is skipped altogether and ninja alone runs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import shlex
import sys
import sysconfig
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from packaging.version import Version

from ironwheel import __version__
from ironwheel._fs import write_if_changed
from ironwheel._reproducible import source_date_epoch
from ironwheel._run import run
from ironwheel.cmake.builddir import STAGING_TREES, BuildDir, site_directories
from ironwheel.cmake.entrypoints import cmake_entry_points
from ironwheel.cmake.fileapi import read_codemodel, write_query
from ironwheel.cmake.generated import GeneratedProject, extensions_hook
from ironwheel.cmake.helpers import HELPERS_DIR, numpy_dirs
from ironwheel.cmake.rpath import ROOM_INCLUDE, default_install_rpath, has_room
from ironwheel.cmake.targetcache import target_cache
from ironwheel.errors import CommandError, ConfigError
from ironwheel.launcher import LANGUAGES, Launcher
from ironwheel.settings import Settings
from ironwheel.settings.model import install_prefix_arguments
from ironwheel.tags import StableABI
from ironwheel.target import Target, resolve_target, running_python, target_inputs
from ironwheel.target.arch import macos_arch
from ironwheel.toolchain import Program
from ironwheel.toolchains.setup import ZIG_DIR, Toolchain

__all__ = ["Plan", "configure", "make_plan"]

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
    files: Mapping[str, str]  # state-dir file name -> content, written before configuring
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


def _python_identity(executable: Path) -> dict[str, str]:
    """The interpreter behind any virtual environment: what the build depends on."""
    config = sysconfig.get_config_vars()
    return {
        "executable": str(executable.resolve()),
        "version": sys.version,
        "soabi": str(config.get("SOABI") or ""),
        "include": sysconfig.get_path("include"),
    }


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


def make_plan(
    *,
    name: str,
    version: Version,
    source_dir: Path,
    build_dir: BuildDir,
    settings: Settings,
    cmake: Program,
    ninja: Program | None,
    stable_abi: StableABI | None,
    state: str,
    platform: str,
    environ: Mapping[str, str] | None = None,
    compiler_launcher: Launcher | None = None,
    generated: GeneratedProject | None = None,
    target: Target | None = None,
    toolchain: Toolchain | None = None,
) -> Plan:
    """Compose the configure command and the initial cache.

    ``generated`` is the project written for the extension tables: the top
    level when the project has no CMakeLists.txt, else added to it.
    ``target`` is what the wheel is for (by default: ``platform``, the tag's,
    with the settings and the environment), ``toolchain`` the compilers set
    up for it.
    """
    environ = os.environ if environ is None else environ
    running = running_python()
    if target is None:
        # The platform of the wheel's tag, which the caller decided.
        inputs = target_inputs(settings, source_dir, environ, running)
        target = resolve_target(dataclasses.replace(inputs, platform=platform))
    toolchain = toolchain or Toolchain()
    about = target_cache(target, running, stable=stable_abi is not None, state_dir=build_dir.state_dir)
    generator = environ.get("CMAKE_GENERATOR") or "Ninja"
    multi_config = generator.startswith(("Visual Studio", "Xcode")) or generator == "Ninja Multi-Config"
    build_type = settings.cmake.build_type
    python = Path(sys.executable)
    base_python = Path(getattr(sys, "_base_executable", "") or sys.executable)
    real_sites = site_directories()
    launcher, sites = build_dir.environment_view(python, base_python, real_sites)

    def stable(path: Path) -> str:
        """A path inside the environment, seen through the build dir's view of it."""
        for real, link in zip(real_sites, sites):
            if path == real or real in path.parents:
                return (link / path.relative_to(real)).as_posix()
        return path.as_posix()

    registered = cmake_entry_points(
        None if build_dir.temporary else build_dir.state_dir / "entry-points.json"
    )

    project_name = name.replace("-", "_").replace(".", "_")
    release = ".".join(str(part) for part in version.release[:4])
    trees = {tree: build_dir.tree(tree).as_posix() for tree in STAGING_TREES}
    install_prefix = build_dir.tree("platlib")
    if settings.wheel.install_dir:
        install_prefix = install_prefix / settings.wheel.install_dir
    soabi = about.soabi
    sabi_version = stable_abi.version if stable_abi else ""
    sabi_component = "Development.SABIModule" if stable_abi else ""
    defines = dict(settings.cmake.define)
    prefix_path = [item for item in defines.pop("CMAKE_PREFIX_PATH", "").split(";") if item]
    prefix_path += [stable(path) for path in registered.prefix]
    prefix_path.append(stable(HELPERS_DIR))  # find_package(ironwheel CONFIG)
    prefix_path += [site.as_posix() for site in sites]
    module_path = list(about.module_path)  # a cross build's FindPython goes first
    module_path += [item for item in defines.pop("CMAKE_MODULE_PATH", "").split(";") if item]
    module_path += [stable(path) for path in registered.module]

    lines = [
        "# Written by ironwheel on every configure; do not edit.",
        _cache_line("IRONWHEEL", "ON", "BOOL"),
        _cache_line("IRONWHEEL_VERSION", __version__),
        _cache_line("IRONWHEEL_STATE", state),
        _cache_line("IRONWHEEL_PROJECT_NAME", project_name),
        _cache_line("IRONWHEEL_PROJECT_VERSION", release),
        _cache_line("IRONWHEEL_PROJECT_VERSION_FULL", str(version)),
        _cache_line("IRONWHEEL_SOABI", soabi),
        _cache_line("IRONWHEEL_SABI_VERSION", sabi_version),
        _cache_line("IRONWHEEL_SABI_COMPONENT", sabi_component),
        *(_cache_line(f"IRONWHEEL_{tree.upper()}_DIR", path, "PATH") for tree, path in trees.items()),
        # The same contract under scikit-build-core's names.
        _cache_line("SKBUILD", "2"),
        _cache_line("SKBUILD_STATE", state),
        _cache_line("SKBUILD_PROJECT_NAME", project_name),
        _cache_line("SKBUILD_PROJECT_VERSION", release),
        _cache_line("SKBUILD_PROJECT_VERSION_FULL", str(version)),
        _cache_line("SKBUILD_SOABI", soabi),
        _cache_line("SKBUILD_SABI_VERSION", sabi_version),
        _cache_line("SKBUILD_SABI_COMPONENT", sabi_component),
        *(_cache_line(f"SKBUILD_{tree.upper()}_DIR", path, "PATH") for tree, path in trees.items()),
        # Python hints: this interpreter, never the registry or another install.
        *(
            _cache_line(f"{prefix}_EXECUTABLE", launcher.as_posix(), "FILEPATH")
            for prefix in ("Python", "Python3", "PYTHON")
        ),
        *(_cache_line(name, value, kind) for name, value, kind in about.entries),
        _cache_line("Python_FIND_REGISTRY", "NEVER"),
        _cache_line("Python3_FIND_REGISTRY", "NEVER"),
        _cache_line("CMAKE_PREFIX_PATH", ";".join(prefix_path), "STRING"),
        _cache_line("CMAKE_MODULE_PATH", ";".join(module_path), "STRING"),
        *(_cache_line(f"{name}_ROOT", stable(path), "PATH") for name, path in registered.root),
        _cache_line("CMAKE_FIND_ROOT_PATH_MODE_PACKAGE", "BOTH"),
    ]
    if target.system == "macos" and target.macos_version is not None:
        lines += [
            _cache_line("CMAKE_OSX_ARCHITECTURES", ";".join(macos_arch(arch) for arch in target.archs)),
            _cache_line("CMAKE_OSX_DEPLOYMENT_TARGET", "{}.{}".format(*target.macos_version)),
        ]
    programs: dict[str, str] = {}
    if toolchain.zig is not None and toolchain.zig_program is not None:
        scripts = build_dir.state_dir / ZIG_DIR
        programs.update(
            (f"{ZIG_DIR}/{name}", text) for name, text in toolchain.zig.scripts(toolchain.zig_program).items()
        )
        lines += [
            _cache_line(name, value, kind)
            for name, value, kind in toolchain.zig.cache_entries(scripts, target)
        ]
        if target.system == "macos":
            programs[f"{ZIG_DIR}/rules.cmake"] = toolchain.zig.rules()
    if compiler_launcher is not None:
        lines += [_cache_line(variable, value) for variable, value in compiler_launcher.cache_lines()]
    if target.python.free_threaded and cmake.version >= Version("3.30"):
        lines += [_cache_line(f"{prefix}_FIND_ABI", "ANY;ANY;ANY;ON") for prefix in ("Python", "Python3")]
    numpy = numpy_dirs()
    if numpy is not None:
        numpy_include, f2py_source = (stable(path) for path in numpy)
        lines += [
            _cache_line("IRONWHEEL_NUMPY_INCLUDE_DIR", numpy_include, "PATH"),
            _cache_line("IRONWHEEL_F2PY_INCLUDE_DIR", f2py_source, "PATH"),
            *(
                _cache_line(f"{prefix}_NumPy_INCLUDE_DIR", numpy_include, "PATH")
                for prefix in ("Python", "Python3")
            ),
        ]
    files: dict[str, str] = dict(about.files)
    includes: list[Path] = []
    if "CMAKE_PROJECT_INCLUDE" not in defines and os.name != "nt":
        files["reproducible.cmake"] = _reproducible_include(source_dir, build_dir.path)
        includes.append(build_dir.state_dir / "reproducible.cmake")
    install_rpath = default_install_rpath(platform)
    if install_rpath is not None:
        lines.append(_cache_line("CMAKE_INSTALL_RPATH", install_rpath))
    if has_room(platform):
        files["rpath-room.cmake"] = ROOM_INCLUDE
        includes.append(build_dir.state_dir / "rpath-room.cmake")
    if generated is not None and not generated.standalone:
        files["extensions.cmake"] = extensions_hook(generated, build_dir.path / "ironwheel-extensions")
        includes.append(build_dir.state_dir / "extensions.cmake")
    if includes and "CMAKE_PROJECT_INCLUDE" in defines:
        includes.insert(0, Path(defines.pop("CMAKE_PROJECT_INCLUDE")))
    if len(includes) > 1:
        files["project-include.cmake"] = "".join(f"include({_quote(path.as_posix())})\n" for path in includes)
        includes = [build_dir.state_dir / "project-include.cmake"]
    if includes:
        lines.append(_cache_line("CMAKE_PROJECT_INCLUDE", includes[0].as_posix(), "FILEPATH"))
    init_cache = "\n".join(lines) + "\n"
    files["init-cache.cmake"] = init_cache

    top_level = generated.directory if generated is not None and generated.standalone else source_dir
    command = [
        str(cmake.path),
        "-S",
        str(top_level),
        "-B",
        str(build_dir.path),
        "-G",
        generator,
        "-C",
        str(build_dir.state_dir / "init-cache.cmake"),
        f"-DCMAKE_INSTALL_PREFIX={install_prefix.as_posix()}",
    ]
    if not multi_config:
        command.append(f"-DCMAKE_BUILD_TYPE={build_type}")
    visual_studio_platform = _VISUAL_STUDIO_PLATFORMS.get(platform)
    if (
        generator.startswith("Visual Studio")
        and visual_studio_platform
        and "CMAKE_GENERATOR_PLATFORM" not in environ
        and not any(arg.startswith("-A") for arg in (*settings.cmake.args, *_split_cmake_args(environ)))
    ):
        command += ["-A", visual_studio_platform]  # a 32-bit Python needs a 32-bit build
    if ninja is not None and generator.startswith("Ninja"):
        command.append(f"-DCMAKE_MAKE_PROGRAM={build_dir.stable_program('ninja', ninja.path)}")
    command += [f"-D{key}={value}" for key, value in sorted(defines.items())]
    command += list(settings.cmake.args)
    command += _split_cmake_args(environ)

    fresh_key: dict[str, Any] = {
        "ironwheel": __version__,
        "source": str(top_level),
        "build": str(build_dir.path),
        "generator": generator,
        "cmake": str(cmake.version),
        "python": _python_identity(base_python),
        "environment": {key: environ[key] for key in _FRESH_VARIABLES if key in environ},
        "defined": sorted(defines),
        "args": list(settings.cmake.args),
        # A launcher that is no longer wanted would stay in the cache: start over instead.
        "launcher": str(compiler_launcher.path) if compiler_launcher else "",
        # Another target or other compilers: nothing in the old cache is of use.
        "target": f"{target.platform} {target.libc} {target.python.extension_suffix}",
        **toolchain.key(),
    }
    configure_key = hashlib.sha256(
        json.dumps([command, init_cache], sort_keys=True).encode("utf-8")
    ).hexdigest()
    environment = {"SOURCE_DATE_EPOCH": str(source_date_epoch(environ))}
    if toolchain.msvc is not None:
        environment.update(toolchain.msvc.variables)
    return Plan(
        command=tuple(command),
        init_cache=init_cache,
        environment=environment,
        fresh_key=fresh_key,
        configure_key=configure_key,
        build_type=build_type,
        multi_config=multi_config,
        generator=generator,
        files=files,
        install_prefix=install_prefix,
        programs=programs,
    )


def _changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))


def _stat(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_size]


def _why_fresh(build_dir: BuildDir, plan: Plan, state: Mapping[str, Any]) -> str:
    if not (build_dir.path / "CMakeCache.txt").is_file():
        return ""
    if not state:
        return "no record of how it was configured"
    changed = _changed(state.get("fresh_key", {}), plan.fresh_key)
    if changed:
        environment = _changed(
            state.get("fresh_key", {}).get("environment", {}), plan.fresh_key["environment"]
        )
        names = [name for name in changed if name != "environment"] + environment
        return "changed: " + ", ".join(names)
    for _language, path, recorded in state.get("compilers", []):
        if _stat(Path(path)) != recorded:
            return f"the compiler {path} changed"
    return ""


def configure(build_dir: BuildDir, plan: Plan) -> None:
    """Configure unless nothing relevant changed."""
    state = build_dir.read_state()
    reason = _why_fresh(build_dir, plan, state)
    if reason:
        log.info("configuring %s from scratch (%s)", build_dir.path, reason)
        build_dir.wipe_cache()
        state = {}
    generated = (build_dir.path / "CMakeCache.txt").is_file() and any(
        (build_dir.path / name).is_file() for name in ("build.ninja", "Makefile", "CMakeFiles/Makefile.cmake")
    )
    model = read_codemodel(build_dir.path, plan.build_type) if generated else None
    if state.get("configure_key") == plan.configure_key and model is not None:
        log.info("CMake configuration of %s is up to date", build_dir.path)
        return
    build_dir.write_state({"fresh_key": plan.fresh_key, "configure_key": None})
    for name, text in plan.files.items():
        write_if_changed(build_dir.state_dir / name, text)
    for name, text in plan.programs.items():
        write_if_changed(build_dir.state_dir / name, text, mode=0o755)
    write_query(build_dir.path)
    try:
        run(plan.command, env=plan.environment)
    except CommandError as error:
        from ironwheel.cmake.diagnose import configure_error  # only a failure pays for its patterns

        raise configure_error(error) from error
    model = read_codemodel(build_dir.path, plan.build_type)
    compilers = [[language, str(path), _stat(path)] for language, path in (model.compilers if model else ())]
    build_dir.write_state(
        {"fresh_key": plan.fresh_key, "configure_key": plan.configure_key, "compilers": compilers}
    )
