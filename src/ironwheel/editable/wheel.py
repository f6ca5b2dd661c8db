"""PEP 660 editable installs: the build in place, and the editable wheel.

The build happens in the persistent build directory (always: an editable
install needs one to rebuild in), exactly as for a wheel, and leaves there
what the import hook needs to rebuild later: the list of files the build
depends on and the time the build started (``.ironwheel/editable``), kept
copies of tools that lived in the build environment, and copies of the
environment's headers the compile read. The editable wheel holds no code of
the project: an import hook (``finder.py`` and ``rebuild.py``, copied) that
serves the source tree and the build directory, the metadata, and the
scripts, data and headers CMake installed.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Mapping
from importlib.machinery import EXTENSION_SUFFIXES, SOURCE_SUFFIXES
from pathlib import Path
from typing import Any

from ironwheel._fs import write_if_changed
from ironwheel.archive.layout import Package, import_name
from ironwheel.archive.reproducible import source_date_epoch
from ironwheel.archive.wheel import Source, write_wheel
from ironwheel.builds.contents import add_installed, dist_info_files
from ironwheel.builds.native import NativeBuild, build_native
from ironwheel.builds.wheel import find_packages
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.envfiles import environment_inputs
from ironwheel.cmake.envview import materialize, materialize_environment
from ironwheel.cmake.tools import temporary_roots
from ironwheel.editable import finder, rebuild
from ironwheel.project.generate import render_project
from ironwheel.project.project import Project
from ironwheel.settings.model import BuildSettings

__all__ = ["InPlace", "build_editable", "build_in_place"]

log = logging.getLogger("ironwheel")


@dataclasses.dataclass(frozen=True)
class InPlace:
    """The result of building a project in place for its editable install."""

    build_dir: BuildDir
    generated: Path  # files of [[tool.ironwheel.generate]] with location "install"
    platlib: Path  # the staging tree compiled modules are served from
    native: NativeBuild | None


def _build_root(project: Project) -> Path:
    path = project.build_dir()
    if path is None:
        path = project.build_dir(BuildSettings.dir)
        assert path is not None
        log.info(
            'build.dir = "" does not apply to editable installs: they rebuild in a persistent '
            "build directory, %s",
            path,
        )
    return path


def _write_generated(directory: Path, files: Mapping[str, bytes]) -> None:
    """Make ``directory`` hold exactly ``files``, rewriting only what changed."""
    for name, content in files.items():
        write_if_changed(directory / name, content)
    if not directory.is_dir():
        return
    for parent, _dirs, names in os.walk(directory, topdown=False):
        for name in names:
            path = Path(parent, name)
            if path.relative_to(directory).as_posix() not in files:
                path.unlink()
        if parent != str(directory) and not os.listdir(parent):
            os.rmdir(parent)


def build_in_place(project: Project) -> InPlace:
    """Configure (when needed), build and install into the build directory; record what to watch."""
    started = time.monotonic()
    generated = render_project(project)
    with BuildDir.open(_build_root(project)) as build_dir, build_dir.lock():
        generated_dir = build_dir.editable_generated
        _write_generated(
            generated_dir, {item.path: item.content for item in generated if item.location == "install"}
        )
        native = None
        if project.native:
            pending = rebuild.start_stamp(str(build_dir.editable_stamp))
            native = build_native(project, build_dir, generated)
            view = build_dir.view
            copied = materialize(view, environment_inputs(build_dir))
            # What the build's commands import (Cython, f2py's numpy, code generators).
            roots = temporary_roots(native.environment)
            copied += materialize_environment(view, roots, skip=("cmake", "ninja"))
            if copied:
                log.info("copied %s into the build dir: the build reads from it", ", ".join(copied))
            watched = rebuild.write_watch_list(str(build_dir.path), str(build_dir.editable_watch))
            rebuild.commit_stamp(pending, str(build_dir.editable_stamp))
            log.info("an import rebuilds when one of %d files changes", watched)
        log.info("built %s in place in %.1f s", project.core.name, time.monotonic() - started)
        return InPlace(build_dir, generated_dir, build_dir.tree("platlib"), native)


_MODULE_SUFFIXES = (*EXTENSION_SUFFIXES, *SOURCE_SUFFIXES)


def _module_name(entry: Path) -> str | None:
    for suffix in _MODULE_SUFFIXES:
        if entry.name.endswith(suffix):
            name = entry.name[: -len(suffix)]
            return name if name.isidentifier() else None
    return None


def finder_layout(packages: list[Package], roots: list[Path]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Top-level packages (their overlay directories) and modules (their files).

    ``roots`` are the trees after the source tree, in order (generated files,
    then the staging tree, whose last entry the layout always includes so that
    compiled modules built later are found).
    """
    overlays: dict[str, list[str]] = {}
    modules: dict[str, str] = {}
    for package in packages:
        if package.is_module:
            modules[package.name.removesuffix(".py")] = str(package.source)
        else:
            overlays.setdefault(package.name, []).append(str(package.source))
    for root in roots:
        entries = sorted(root.iterdir()) if root.is_dir() else []
        for entry in entries:
            if entry.is_dir() and entry.name.isidentifier():
                overlays.setdefault(entry.name, []).append(str(entry))
                continue
            name = _module_name(entry)
            # As in one installed directory, a compiled module beats a Python one.
            if name is not None and (name not in modules or entry.name.endswith(tuple(EXTENSION_SUFFIXES))):
                modules[name] = str(entry)
    staging = roots[-1]
    for name, directories in overlays.items():
        if str(staging / name) not in directories:
            directories.append(str(staging / name))
    return overlays, {name: path for name, path in modules.items() if name not in overlays}


def _rebuild_config(project: Project, place: InPlace, native: NativeBuild) -> tuple[dict[str, Any], bool]:
    """What the hook runs to rebuild, and whether it may do so on import."""
    plan, settings = native.plan, project.settings
    build_dir = str(place.build_dir.path)
    auto = settings.editable.rebuild
    if native.ninja is not None and plan.generator == "Ninja":
        build = [str(native.ninja.path)]
        build += ["-j", str(settings.build.jobs)] if settings.build.jobs else []
        verbose = [*build, "-v"]
        build, verbose = [*build, *settings.cmake.targets], [*verbose, *settings.cmake.targets]
    else:
        build = [str(native.cmake.path), "--build", build_dir]
        build += ["--config", plan.build_type] if plan.multi_config else []
        build += ["--parallel", str(settings.build.jobs)] if settings.build.jobs else []
        build += [part for target in settings.cmake.targets for part in ("--target", target)]
        verbose = [*build, "--verbose"]
        if auto:
            log.warning(
                "rebuilding on import needs the Ninja generator (this build uses %s); "
                "rebuild with python -m ironwheel develop",
                plan.generator,
            )
        auto = False
    install = [str(native.cmake.path), "--install", build_dir, "--prefix", str(plan.install_prefix)]
    install += ["--config", plan.build_type] if plan.multi_config else []
    config = {
        "project": str(project.root),
        "build_dir": build_dir,
        "watch": str(place.build_dir.editable_watch),
        "stamp": str(place.build_dir.editable_stamp),
        "lock": str(place.build_dir.lock_file),
        "platlib": str(place.platlib),
        "build": build,
        "build_verbose": verbose,
        "install": install,
        "environment": dict(plan.environment),
    }
    return config, auto


def build_editable(project: Project, wheel_directory: Path) -> str:
    """``build_editable``: build in place, then write the editable wheel; return its file name."""
    tag, _ = project.tag
    packages = find_packages(project)
    place = build_in_place(project)
    hook = f"_ironwheel_editable_{import_name(project.core.name)}"
    overlays, modules = finder_layout(packages, [place.generated, place.platlib])
    entries: dict[str, Source] = {f"{hook}.pth": f"import {hook}\n".encode()}
    executables: set[str] = set()
    config: dict[str, Any] | None = None
    auto = False
    if place.native is not None:
        config, auto = _rebuild_config(project, place, place.native)
        executables = add_installed(entries, place.native.installed, project, skip=("null", "platlib"))
        entries[f"{hook}_rebuild.py"] = Path(rebuild.__file__).read_bytes()
    call = (
        "\n\n# Written by ironwheel for this editable install.\n"
        f"install(\n    {project.core.name!r},\n    {overlays!r},\n    {modules!r},\n"
        f"    {config!r},\n    auto={auto!r},\n    rebuild_module={hook + '_rebuild'!r},\n)\n"
    )
    entries[f"{hook}.py"] = Path(finder.__file__).read_bytes() + call.encode("utf-8")
    entries.update(dist_info_files(project, tag))
    filename = f"{project.core.dist_info_name}-{tag}.whl"
    write_wheel(
        wheel_directory / filename,
        entries,
        dist_info=project.dist_info,
        epoch=source_date_epoch(),
        executables=frozenset(executables),
    )
    served = ", ".join(sorted([*overlays, *modules]))
    log.info("built %s (editable: %s)", filename, served or "nothing to import")
    return filename
