"""The wheel build: plan, CMake, staging, one deterministic zip."""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Mapping
from pathlib import Path

from ironwheel._fs import write_if_changed
from ironwheel._gitignore import Rules
from ironwheel._reproducible import source_date_epoch
from ironwheel.cmake.build import Installed, build, install
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.configure import Plan, configure, make_plan
from ironwheel.cmake.fileapi import CodeModel, read_codemodel
from ironwheel.cmake.generated import write_generated
from ironwheel.cmake.installrules import Layout, check_install_rules
from ironwheel.cmake.tools import keep_tools
from ironwheel.errors import IronwheelError, PackagingError, ToolError
from ironwheel.files import Selection
from ironwheel.generate import Generated, render_project
from ironwheel.launcher import find_launcher
from ironwheel.layout import Package, discover_packages, import_name, package_files
from ironwheel.optional import OptionalPolicy, optional_policy
from ironwheel.project import Project
from ironwheel.sourcedirs import warn_marked_sources
from ironwheel.tags import WheelTag
from ironwheel.toolcache import ToolCache, choice_key
from ironwheel.toolchain import Program, cmake_requirement, find_cmake, find_ninja, needs_ninja
from ironwheel.toolchains.setup import Toolchain, check_languages, prepare_toolchain
from ironwheel.toolchains.zig import unsupported_languages
from ironwheel.unbuilt import warn_unbuilt
from ironwheel.wheel import Source, render_wheel_file, write_wheel

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ironwheel.extensions import Extension

__all__ = [
    "NativeBuild",
    "add_installed",
    "build_native",
    "build_wheel",
    "dist_info_files",
    "find_packages",
    "write_metadata",
]

log = logging.getLogger("ironwheel")

_SHEBANG = re.compile(rb"^#![^\n]*python[^\n]*\n")
_EXTENSION = re.compile(r"\.(cpython|pypy|graalpy)[^/]*\.(so|pyd|dylib)$|\.cp\d+[^/]*\.pyd$")


def dist_info_files(project: Project, tag: WheelTag) -> dict[str, Source]:
    """METADATA, WHEEL, entry points and license files of the wheel."""
    core = project.core
    prefix = project.dist_info
    files: dict[str, Source] = {
        f"{prefix}/METADATA": core.metadata,
        f"{prefix}/WHEEL": render_wheel_file([str(tag)], purelib=tag.is_pure),
    }
    if core.entry_points is not None:
        files[f"{prefix}/entry_points.txt"] = core.entry_points
    for license_file in core.license_files:
        files[f"{prefix}/licenses/{license_file}"] = project.root / license_file
    return files


def write_metadata(project: Project, metadata_directory: Path) -> str:
    """``prepare_metadata_for_build_wheel``: the .dist-info directory, nothing compiled."""
    tag, _ = project.tag
    target = metadata_directory / project.dist_info
    for name, source in dist_info_files(project, tag).items():
        path = metadata_directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(source if isinstance(source, bytes) else source.read_bytes())
    return target.name


def _tools(project: Project, cache: ToolCache) -> tuple[Program, Program | None]:
    key = choice_key(project.settings.cmake.version, project.source_dir)
    chosen = cache.chosen(key)
    if chosen is not None:
        for program in chosen:
            if program is not None:
                log.info("using %s", program.describe())
        return chosen
    cmake, ninja = _find_tools(project)
    cache.choose(key, cmake, ninja)
    return cmake, ninja


def _find_tools(project: Project) -> tuple[Program, Program | None]:
    spec = cmake_requirement(project.settings.cmake.version, project.source_dir)
    cmake, why = find_cmake(spec)
    if cmake is None:
        raise ToolError(
            f"no cmake{spec} found ({why})",
            hint=f'install one (pip install "cmake{spec}"), set CMAKE_EXECUTABLE, or build with '
            "build isolation so that ironwheel can request it",
        )
    log.info("using %s", cmake.describe())
    ninja = None
    if needs_ninja():
        ninja, why = find_ninja()
        if ninja is None:
            raise ToolError(
                f"no ninja found ({why})",
                hint="install it (pip install ninja, apt-get install ninja-build) or set "
                'CMAKE_GENERATOR="Unix Makefiles"',
            )
        log.info("using %s", ninja.describe())
    return cmake, ninja


def _script(source: Path) -> Source:
    """Scripts get a ``#!python`` line, which installers rewrite."""
    head = source.read_bytes()
    match = _SHEBANG.match(head)
    return b"#!python\n" + head[match.end() :] if match else source


def add_installed(
    entries: dict[str, Source],
    installed: list[Installed],
    project: Project,
    *,
    skip: tuple[str, ...] = ("null",),
) -> set[str]:
    """Put what ``cmake --install`` staged into the wheel's entries; return the executables."""
    data = f"{project.core.dist_info_name}.data"
    executables: set[str] = set()
    for item in installed:
        if item.tree in skip:
            continue
        if item.tree == "platlib":
            name = item.path
        elif item.tree == "metadata":
            name = f"{project.dist_info}/{item.path}"
        else:
            name = f"{data}/{item.tree}/{item.path}"
        if name in entries:
            log.debug("%s: the file CMake installed replaces the one from the source tree", name)
        entries[name] = _script(item.source) if item.tree == "scripts" else item.source
        if item.tree == "scripts":
            executables.add(name)
    return executables


def _check_stable_abi(entries: Mapping[str, Source], tag: WheelTag) -> None:
    if tag.abi != "abi3":
        return
    specific = sorted(name for name in entries if _EXTENSION.search(name))
    if specific:
        raise PackagingError(
            f"the wheel is tagged {tag} but {specific[0]} is built for one Python version only",
            hint="build extensions with the limited API and the .abi3 suffix, e.g. "
            "Python_add_library(name MODULE USE_SABI ${IRONWHEEL_SABI_VERSION} WITH_SOABI ...)",
        )


def _drop_unbuilt(
    build_dir: BuildDir,
    plan: Plan,
    extensions: list[Extension],
    failed: Mapping[str, IronwheelError],
    policy: OptionalPolicy,
) -> None:
    """Report optional extensions that did not build, and delete what an earlier build left of them."""
    unbuilt = {
        e.name for e in extensions if e.settings.optional and (policy.mode == "skip" or e.name in failed)
    }
    for name, problem in failed.items():
        policy.failed(name, problem)
    if not unbuilt:
        return
    model: CodeModel | None = read_codemodel(build_dir.path, plan.build_type)
    for target in model.targets if model else ():
        if target.name in unbuilt:
            for artifact in target.artifacts:
                artifact.unlink(missing_ok=True)
    if policy.mode == "skip":
        log.info("not building the optional extensions (%s): %s", policy.reason, ", ".join(sorted(unbuilt)))


def _compiled_by(
    toolchain: Toolchain, extensions: list[Extension], policy: OptionalPolicy
) -> list[Extension]:
    """The extensions the toolchain can compile; one it cannot is an error, or left out when optional."""
    kept: list[Extension] = []
    for extension in extensions:
        sources = [
            path for language in unsupported_languages(extension.languages) for path in extension.of(language)
        ]
        where = f"the extension {extension.name}" + (f" ({sources[0].name})" if sources else "")
        try:
            check_languages(toolchain, extension.languages, where)
        except ToolError as problem:
            if not extension.settings.optional:
                raise
            if policy.mode != "skip":
                policy.failed(extension.name, problem)
            continue
        kept.append(extension)
    return kept


@dataclasses.dataclass(frozen=True)
class NativeBuild:
    """What one configure + build + install of the CMake project gave."""

    plan: Plan
    installed: list[Installed]
    consumed: frozenset[Path]  # project files CMake compiled or read: not shipped as package files
    cmake: Program
    ninja: Program | None
    model: CodeModel | None


def build_native(
    project: Project, build_dir: BuildDir, generated: list[Generated], *, state: str
) -> NativeBuild:
    """Configure (when needed), build and install into the staging trees; the caller holds the lock."""
    tag, stable_abi = project.tag
    if project.settings.extension and not project.settings.wheel.cmake:
        log.warning("ignoring the extension tables: wheel.cmake = false")
    declared: list[Extension] = []
    extensions: list[Extension] = []
    policy = optional_policy()
    if project.settings.extension and project.settings.wheel.cmake:
        # Only projects with extension tables pay for their machinery.
        from ironwheel.compilers import buildable
        from ironwheel.extensions import load_extensions

        declared = load_extensions(project)
    toolchain = prepare_toolchain(project.settings, project.target, build_dir)
    if declared:
        declared = _compiled_by(toolchain, declared, policy)
        extensions = buildable(declared, policy, defines=project.settings.cmake.define)
    cache = ToolCache(None if build_dir.temporary else build_dir.state_dir)
    cmake, ninja = keep_tools(build_dir, *_tools(project, cache))
    cache.save()
    launcher = find_launcher(project.settings.build.compiler_launcher)
    for item in generated:
        if item.location == "build":
            write_if_changed(build_dir.path / item.path, item.content)
    cmake_project = write_generated(
        build_dir,
        project.core.name.replace("-", "_").replace(".", "_"),
        extensions,
        project.root,
        standalone=not project.has_cmakelists,
    )
    plan = make_plan(
        name=project.core.name,
        version=project.version,
        source_dir=project.source_dir,
        build_dir=build_dir,
        settings=project.settings,
        cmake=cmake,
        ninja=ninja,
        stable_abi=stable_abi,
        state=state,
        platform=tag.platform,
        compiler_launcher=launcher,
        generated=cmake_project,
        target=project.target,
        toolchain=toolchain,
    )
    configure(build_dir, plan)
    configured = read_codemodel(build_dir.path, plan.build_type)
    if configured is not None:
        check_languages(toolchain, (language for language, _ in configured.compilers), "the CMake project")
    optional = [e.name for e in extensions if e.settings.optional and policy.mode != "skip"]
    required = [e.name for e in extensions if not e.settings.optional]
    failed = build(build_dir, plan, project.settings, cmake, ninja, optional, required)
    _drop_unbuilt(build_dir, plan, extensions, failed, policy)
    # Read after the build: ninja re-runs CMake itself when a CMakeLists.txt changed.
    model = read_codemodel(build_dir.path, plan.build_type)
    if model is not None:

        def package() -> str:
            shipped = discover_packages(project.root, project.core.name, project.settings.wheel.packages)
            return next((p.name for p in shipped if not p.is_module), import_name(project.core.name))

        check_install_rules(
            model,
            Layout(
                prefix=plan.install_prefix,
                staging=build_dir.staging,
                root=project.root,
                generated=build_dir.state_dir / "generated",
                data=f"{project.core.dist_info_name}.data",
                package=package,
            ),
        )
    installed = install(build_dir, plan, cmake)
    # What CMake compiled or read (sources, CMakeLists.txt) is not shipped.
    consumed = model.build_inputs() if model else frozenset()
    # The sources of every table, built or not, are not package files.
    consumed |= {path.resolve() for extension in declared for path in extension.consumed}
    return NativeBuild(plan, installed, consumed, cmake, ninja, model)


def find_packages(project: Project) -> list[Package]:
    """The project's Python packages; an error when there is nothing at all to build."""
    name = project.core.name
    warn_marked_sources(project)
    settings = project.settings
    packages = discover_packages(
        project.root,
        name,
        settings.wheel.packages,
        settings.wheel.package_dirs,
        where=settings.where("wheel.packages"),
    )
    if not packages and not project.native:
        module = import_name(name)
        raise PackagingError(
            f"nothing to build: no CMakeLists.txt in {project.source_dir} and no Python package "
            f"(looked for src/, python/{module}/, {module}/ and {module}.py)",
            hint=f"create src/{module}/__init__.py, or list packages in tool.ironwheel.wheel.packages",
        )
    return packages


def build_wheel(
    project: Project, wheel_directory: Path, *, state: str = "wheel", release: bool = False
) -> str:
    """Build the wheel into ``wheel_directory``; return its file name.

    ``release`` is true for ``ironwheel build``: repair.mode = "auto" then repairs.
    """
    started = time.monotonic()
    tag, _ = project.tag
    packages = find_packages(project)
    log.info("building %s %s (%s)", project.core.name, project.version, tag)
    build_root = project.build_dir()
    never = [build_root] if build_root is not None else []
    never += [wheel_directory.resolve()] if project.root in wheel_directory.resolve().parents else []
    sdist = project.settings.sdist
    selection = Selection(
        include=sdist.include,
        exclude=sdist.exclude,
        never=never,
        follow_external_links=sdist.follow_external_links,
        dist_name=project.name,
    )
    generated = render_project(project)
    in_source = [item.path for item in generated if item.location == "source"]
    exclude = Rules(project.settings.wheel.exclude)
    entries: dict[str, Source] = {}
    executables: set[str] = set()
    if project.native:
        with BuildDir.open(build_root) as build_dir, build_dir.lock():
            native = build_native(project, build_dir, generated, state=state)
            files = {
                name: path
                for name, path in package_files(project.root, packages, selection, in_source).items()
                if path.resolve() not in native.consumed
            }
            warn_unbuilt(
                project.root, project.core.name, files, packages, native=True, excluded=exclude.ignores
            )
            entries.update(files)
            executables = add_installed(entries, native.installed, project)
            entries.update((item.path, item.content) for item in generated if item.location == "install")
            return _pack(
                project,
                tag=tag,
                entries=entries,
                executables=executables,
                wheel_directory=wheel_directory,
                started=started,
                exclude=exclude,
                native=_Native(native.model, build_dir.path, build_dir.outputs, state, release),
            )
    files = package_files(project.root, packages, selection, in_source)
    warn_unbuilt(project.root, project.core.name, files, packages, native=False, excluded=exclude.ignores)
    entries.update(files)
    entries.update((item.path, item.content) for item in generated if item.location == "install")
    for item in generated:
        if item.location == "build":
            log.warning('not writing %s: location = "build" needs a CMake build', item.path)
    return _pack(
        project,
        tag=tag,
        entries=entries,
        executables=executables,
        wheel_directory=wheel_directory,
        started=started,
        exclude=exclude,
    )


@dataclasses.dataclass(frozen=True)
class _Native:
    """What repair needs to know about a CMake build."""

    model: CodeModel | None
    build_dir: Path
    outputs: Path  # where the wheel is written before it is moved into the output directory
    state: str
    release: bool


def _pack(
    project: Project,
    *,
    tag: WheelTag,
    entries: dict[str, Source],
    executables: set[str],
    wheel_directory: Path,
    started: float,
    exclude: Rules,
    native: _Native | None = None,
) -> str:
    if exclude:
        entries = {name: source for name, source in entries.items() if not exclude.ignores(name)}
    _check_stable_abi(entries, tag)
    entries.update(dist_info_files(project, tag))
    filename = f"{project.core.dist_info_name}-{tag}.whl"
    if native is not None:
        from ironwheel.repair.project import repair_wheel_entries

        entries, filename = repair_wheel_entries(
            project,
            entries,
            filename,
            model=native.model,
            build_dir=native.build_dir,
            state=native.state,
            release=native.release,
        )
    target = write_wheel(
        wheel_directory / filename,
        entries,
        dist_info=project.dist_info,
        epoch=source_date_epoch(),
        executables=frozenset(executables),
        work_dir=native.outputs if native is not None else None,
    )
    size = target.stat().st_size
    log.info(
        "built %s (%d files, %.1f kB) in %.1f s",
        filename,
        len(entries) + 1,
        size / 1000,
        time.monotonic() - started,
    )
    return filename
