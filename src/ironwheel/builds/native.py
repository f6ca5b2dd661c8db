"""The native part of a build: tools, configure (when needed), build and install into the staging trees.

One sequence for wheels and editable installs, in the order the data flows:
the build environment is probed once, the tools chosen, the extension
tables' CMake project and the environment view written, the configure
planned (a pure function of all that) and run when something relevant
changed, then ninja and ``cmake --install``.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from ironwheel import _layout
from ironwheel._fs import write_if_changed
from ironwheel.archive.layout import discover_packages, import_name
from ironwheel.builds.contents import drop_unbuilt
from ironwheel.builds.timings import step
from ironwheel.cmake.build import Installed, build, build_commands, install
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.configure import configure
from ironwheel.cmake.environment import BuildEnvironment
from ironwheel.cmake.fileapi import CodeModel, read_codemodel
from ironwheel.cmake.installrules import Layout, check_install_rules
from ironwheel.cmake.plan import Plan, Target, Tools, make_plan
from ironwheel.cmake.tools import keep_compilers, keep_tools
from ironwheel.extensions.generated import write_generated
from ironwheel.extensions.optional import OptionalPolicy, optional_policy
from ironwheel.project.generate import Generated
from ironwheel.project.project import Project
from ironwheel.tools.choice import choose_tools
from ironwheel.tools.compilerset import Compilers, check_languages, prepare_compilers
from ironwheel.tools.launcher import find_launcher
from ironwheel.tools.toolcache import ToolCache
from ironwheel.tools.toolchain import Program

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ironwheel.extensions.tables import Extension

__all__ = ["NativeBuild", "build_native"]

log = logging.getLogger("ironwheel")


@dataclasses.dataclass(frozen=True)
class NativeBuild:
    """What one configure + build + install of the CMake project gave."""

    plan: Plan
    installed: list[Installed]
    consumed: frozenset[Path]  # project files CMake compiled or read: not shipped as package files
    cmake: Program
    ninja: Program | None
    model: CodeModel | None
    environment: BuildEnvironment
    # What compiled: ninja (or cmake --build), then each optional target.
    commands: tuple[tuple[str, ...], ...] = ()
    compiler_programs: tuple[Path, ...] = ()  # programs the compilers run that CMake does not name (zig)


def _tools(
    project: Project, build_dir: BuildDir, environment: BuildEnvironment, policy: OptionalPolicy
) -> tuple[list[Extension], list[Extension], Compilers, Program, Program | None]:
    """The compilers, the extension tables (declared, and those that can be built), cmake and ninja."""
    settings = project.settings
    declared: list[Extension] = []
    extensions: list[Extension] = []
    compilers = prepare_compilers(
        settings, project.target, environment.environ, build_dir.cmake_file(_layout.MSVC)
    )
    compilers = keep_compilers(build_dir, environment, compilers)
    if settings.extension:
        # Only projects with extension tables pay for their machinery. A table whose
        # language has no compiler is named before cmake is looked for: the more exact error.
        from ironwheel.tools.compilers import buildable

        declared = project.extensions()
        extensions = buildable(
            declared, policy, environment.environ, defines=settings.cmake.define, compilers=compilers
        )
    cache = ToolCache(build_dir.record("tools"))
    chosen = choose_tools(settings.cmake.version, project.source_dir, cache)
    cmake, ninja = keep_tools(build_dir, environment, *chosen)
    cache.save()
    return declared, extensions, compilers, cmake, ninja


def _check_install_rules(project: Project, build_dir: BuildDir, plan: Plan, model: CodeModel) -> None:
    """Every install rule's destination, checked against the wheel's layout before anything installs."""

    def package() -> str:
        shipped = discover_packages(project.root, project.core.name, project.settings.wheel.packages)
        return next((p.name for p in shipped if not p.is_module), import_name(project.core.name))

    check_install_rules(
        model,
        Layout(
            prefix=plan.install_prefix,
            staging=build_dir.staging,
            root=project.root,
            generated=build_dir.generated,
            data=f"{project.core.dist_info_name}.data",
            package=package,
        ),
    )


def build_native(project: Project, build_dir: BuildDir, generated: list[Generated]) -> NativeBuild:
    """Configure (when needed), build and install into the staging trees; the caller holds the lock."""
    stable_abi = project.tag[1]
    settings = project.settings
    environment = BuildEnvironment.probe(build_dir.record("entry-points"))
    policy = optional_policy(environment.environ)
    with step("tools"):
        declared, extensions, compilers, cmake, ninja = _tools(project, build_dir, environment, policy)
    asked = {e: f"{x.where}.include-packages" for x in extensions for e in x.settings.include_packages}
    if asked:
        from ironwheel.cmake.includes import package_includes  # only tables that ask pay for it

        includes = package_includes(sorted(asked), environment.executable, build_dir.state_dir, asked)
        environment = dataclasses.replace(environment, package_includes=includes)
    launcher = find_launcher(settings.build.compiler_launcher, environment.environ)
    tools = Tools(cmake, ninja, launcher, compilers)
    for item in generated:
        if item.location == "build":
            write_if_changed(build_dir.path / item.path, item.content)
    cmake_project = write_generated(
        build_dir.generated,
        project.core.name.replace("-", "_").replace(".", "_"),
        extensions,
        project.root,
        standalone=not project.has_cmakelists,
    )
    with step("environment view"):
        view = build_dir.prepare_view(environment, ninja.path if ninja is not None else None)
    target = Target(
        name=project.core.name,
        version=project.version,
        source_dir=project.source_dir,
        wheel=project.target,
        stable_abi=stable_abi,
        request=project.request,
        generated=cmake_project,
    )
    plan = make_plan(target, settings, tools, environment, view, build_dir)
    with step("configure"):
        configure(build_dir, plan)
    if compilers.zig is not None:  # zig compiles C and C++ only: say so before the build fails
        configured = read_codemodel(build_dir.path, plan.build_type)
        languages = [language for language, _ in configured.compilers] if configured else []
        check_languages(compilers, languages, "the CMake project")
    optional = [e.name for e in extensions if e.settings.optional and policy.mode != "skip"]
    required = [e.name for e in extensions if not e.settings.optional]
    with step("compile", ninja_log=build_dir.path / ".ninja_log"):
        failed = build(build_dir, plan, settings, cmake, ninja, optional, required)
    commands = build_commands(build_dir, plan, settings, cmake, ninja, optional, required)
    # Read after the build: ninja re-runs CMake itself when a CMakeLists.txt changed.
    model = read_codemodel(build_dir.path, plan.build_type)
    drop_unbuilt(model, extensions, failed, policy)
    if model is not None:
        _check_install_rules(project, build_dir, plan, model)
    with step("install"):
        installed = install(build_dir, plan, cmake, model)
    # What CMake compiled or read (sources, CMakeLists.txt) is not shipped.
    consumed = model.build_inputs() if model else frozenset()
    # The sources of every table, built or not, are not package files.
    consumed |= {path.resolve() for extension in declared for path in extension.consumed}
    return NativeBuild(
        plan,
        installed,
        consumed,
        cmake,
        ninja,
        model,
        environment,
        tuple(tuple(item) for item in commands),
        (compilers.zig_program,) if compilers.zig_program is not None else (),
    )
