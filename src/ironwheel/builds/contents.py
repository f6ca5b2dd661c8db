"""What goes into a wheel: package files, what CMake installed, scripts, generated files, the dist-info.

The package files are selected like the sdist's, minus what CMake consumed
(compiled sources, its own input files). The staging trees follow
(``platlib`` at the root, ``data``/``scripts``/``headers`` under
``.data/``, ``metadata`` under ``.dist-info/``), then the files of
``[[tool.ironwheel.generate]]``; ``wheel.exclude`` applies to all of them.
``wheel.force-include`` adds its files last, beside them, never over them. An abi3
wheel holding a version-specific extension is refused, and optional
extensions that did not build are reported and their stale artifacts deleted
before anything is installed.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from ironwheel.archive.files import Selection, forced_files
from ironwheel.archive.gitignore import Rules
from ironwheel.archive.layout import Package, package_files
from ironwheel.archive.tags import WheelTag
from ironwheel.archive.unbuilt import warn_unbuilt
from ironwheel.archive.wheel import Source, render_wheel_file
from ironwheel.cmake.build import Installed
from ironwheel.cmake.fileapi import CodeModel
from ironwheel.errors import ConfigError, IronwheelError, PackagingError
from ironwheel.extensions.optional import OptionalPolicy
from ironwheel.project.generate import Generated
from ironwheel.project.project import Project

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ironwheel.extensions.tables import Extension

__all__ = [
    "Contents",
    "add_installed",
    "check_stable_abi",
    "dist_info_files",
    "drop_unbuilt",
    "wheel_contents",
]

log = logging.getLogger("ironwheel")

_SHEBANG = re.compile(rb"^#![^\n]*python[^\n]*\n")
_EXTENSION = re.compile(r"\.(cpython|pypy|graalpy)[^/]*\.(so|pyd|dylib)$|\.cp\d+[^/]*\.pyd$")


@dataclasses.dataclass(frozen=True)
class Contents:
    """The entries of a wheel (wheel path -> file or bytes) and those that are executable."""

    entries: dict[str, Source]
    executables: frozenset[str]


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


def _script(source: Path) -> Source:
    """Scripts get a ``#!python`` line, which installers rewrite."""
    head = source.read_bytes()
    match = _SHEBANG.match(head)
    return b"#!python\n" + head[match.end() :] if match else source


def add_installed(
    entries: dict[str, Source],
    installed: Sequence[Installed],
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


def check_stable_abi(entries: Mapping[str, Source], tag: WheelTag) -> None:
    """An abi3 wheel holds no extension built for one Python version only."""
    if tag.abi != "abi3":
        return
    specific = sorted(name for name in entries if _EXTENSION.search(name))
    if specific:
        raise PackagingError(
            f"the wheel is tagged {tag} but {specific[0]} is built for one Python version only",
            hint="build extensions with the limited API and the .abi3 suffix, e.g. "
            "Python_add_library(name MODULE USE_SABI ${IRONWHEEL_SABI_VERSION} WITH_SOABI ...)",
        )


def drop_unbuilt(
    model: CodeModel | None,
    extensions: Sequence[Extension],
    failed: Mapping[str, IronwheelError],
    policy: OptionalPolicy,
) -> None:
    """Report optional extensions that did not build, and delete what an earlier build left of them.

    Without their artifacts, ``install(... OPTIONAL)`` leaves them out of the staging tree.
    """
    unbuilt = {
        e.name for e in extensions if e.settings.optional and (policy.mode == "skip" or e.name in failed)
    }
    for name, problem in failed.items():
        policy.failed(name, problem)
    if not unbuilt:
        return
    for target in model.targets if model else ():
        if target.name in unbuilt:
            for artifact in target.artifacts:
                artifact.unlink(missing_ok=True)
    if policy.mode == "skip":
        log.info("not building the optional extensions (%s): %s", policy.reason, ", ".join(sorted(unbuilt)))


def wheel_contents(
    project: Project,
    tag: WheelTag,
    packages: Sequence[Package],
    selection: Selection,
    generated: Sequence[Generated],
    *,
    installed: Sequence[Installed] | None = None,
    consumed: frozenset[Path] = frozenset(),
) -> Contents:
    """Every entry of the wheel; ``installed`` is what a CMake build staged (None: nothing native)."""
    native = installed is not None
    in_source = [item.path for item in generated if item.location == "source"]
    exclude = Rules(project.settings.wheel.exclude)
    files = {
        name: path
        for name, path in package_files(project.root, packages, selection, in_source).items()
        if not consumed or path.resolve() not in consumed
    }
    warn_unbuilt(project.root, project.core.name, files, packages, native=native, excluded=exclude.ignores)
    entries: dict[str, Source] = dict(files)
    executables = add_installed(entries, installed, project) if installed is not None else set()
    entries.update((item.path, item.content) for item in generated if item.location == "install")
    if not native:
        for item in generated:
            if item.location == "build":
                log.warning('not writing %s: location = "build" needs a CMake build', item.path)
    if exclude:
        entries = {name: source for name, source in entries.items() if not exclude.ignores(name)}
    settings = project.settings
    where = settings.where("wheel.force-include")
    forced = forced_files(project.root, settings.wheel.force_include, selection.never, where)
    for name, (entry, path) in forced.items():
        if name in entries:
            raise ConfigError(
                f"{entry}: {name} would take the place of a file the wheel already has "
                "(a package file, a file CMake installed or a generated file)",
                hint="choose a destination that no other file of the wheel has",
            )
        entries[name] = path
    check_stable_abi(entries, tag)
    entries.update(dist_info_files(project, tag))
    return Contents(entries, frozenset(executables))
