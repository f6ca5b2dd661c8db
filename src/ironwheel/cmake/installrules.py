"""The project's install() rules, checked before ``cmake --install`` runs.

CMake's code model lists every rule with its evaluated destination and the
file and line of the ``install()`` call. A destination outside the wheel (an
absolute path elsewhere, ``..`` above the install prefix) would write into
the user's file system and silently drop the file from the wheel; two rules
that write the same file (an extension table and the project's own
CMakeLists.txt building the same module, say) would let one silently win.
Both are errors that name the rules. A ``.py`` file of the sources that
CMake installs over is allowed: installing a generated version of a module
is a common pattern.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

from ironwheel.cmake.fileapi import CodeModel, Installer
from ironwheel.errors import PackagingError

__all__ = ["Layout", "check_install_rules"]

_COMMANDS = {
    "target": "install(TARGETS)",
    "file": "install(FILES)",
    "directory": "install(DIRECTORY)",
    "export": "install(EXPORT)",
    "fileSet": "install(TARGETS ... FILE_SET)",
    "runtimeDependencySet": "install(RUNTIME_DEPENDENCY_SET)",
    "importedRuntimeArtifacts": "install(IMPORTED_RUNTIME_ARTIFACTS)",
}


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where the rules install to, and how to name things for the user."""

    prefix: Path  # CMAKE_INSTALL_PREFIX: the wheel's root (or wheel.install-dir in it)
    staging: Path  # every staging tree (platlib, data, scripts, headers, ...)
    root: Path  # the project root, which file names are shown relative to
    generated: Path  # the directory of the CMakeLists.txt written for the extension tables
    data: str  # the wheel's .data directory, "name-1.0.data"
    package: Callable[[], str]  # the name of the project's package, for hints (found only when needed)


def _inside(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents


def _where(rule: Installer, layout: Layout) -> str:
    if rule.file is not None and rule.file.parent == layout.generated:
        return f'[tool.ironwheel.extension."{rule.target}"]' if rule.target else "an extension table"
    if rule.file is None:
        return "an install() rule"
    shown = (
        rule.file.relative_to(layout.root).as_posix() if _inside(rule.file, layout.root) else str(rule.file)
    )
    return f"{shown}:{rule.line}"


def _producer(rule: Installer, layout: Layout) -> str:
    where = _where(rule, layout)
    if where.startswith("[tool.ironwheel"):
        return where
    if rule.target:
        return f"target {rule.target} ({where})"
    return f"{_COMMANDS.get(rule.kind, 'install()')} at {where}"


def _in_wheel(path: Path, layout: Layout) -> str:
    relative = path.relative_to(layout.staging).as_posix()
    tree, _, rest = relative.partition("/")
    return rest if tree == "platlib" else f"{layout.data}/{tree}/{rest}"


def _destination_problem(rule: Installer, layout: Layout) -> str | None:
    assert rule.destination is not None
    destination = Path(rule.destination)
    command = _COMMANDS.get(rule.kind, "install()")
    where = _where(rule, layout)
    if destination.is_absolute():
        if _inside(Path(os.path.normpath(destination)), layout.staging):
            return None  # ${IRONWHEEL_DATA_DIR}/..., ${CMAKE_INSTALL_PREFIX}/...
        return f'{where}: {command} DESTINATION "{rule.destination}" is an absolute path outside the wheel'
    if _inside(Path(os.path.normpath(layout.prefix / destination)), layout.prefix):
        return None
    return f'{where}: {command} DESTINATION "{rule.destination}" points above the wheel\'s root'


def check_install_rules(model: CodeModel, layout: Layout) -> None:
    """Raise :class:`PackagingError` for destinations outside the wheel and files written twice."""
    problems = [
        problem
        for rule in model.installers
        if rule.destination is not None
        for problem in [_destination_problem(rule, layout)]
        if problem is not None
    ]
    if problems:
        raise PackagingError(
            problems[0]
            if len(problems) == 1
            else f"{len(problems)} install() destinations are outside the wheel:",
            details=problems if len(problems) > 1 else (),
            hint="write DESTINATION relative to the wheel's root, such as DESTINATION "
            f"{layout.package()} for the package; for the wheel's data, scripts and headers use "
            "${IRONWHEEL_DATA_DIR}, ${IRONWHEEL_SCRIPTS_DIR} and ${IRONWHEEL_HEADERS_DIR}",
        )
    claimed: dict[Path, tuple[str, Installer]] = {}
    for rule in model.installers:
        if rule.destination is None or rule.kind not in ("target", "file"):
            continue
        base = Path(rule.destination)
        base = base if base.is_absolute() else layout.prefix / base
        for name, origin in zip(rule.names, rule.origins * len(rule.names) if rule.target else rule.origins):
            path = Path(os.path.normpath(base / name))
            if _inside(path, layout.staging / "null"):
                continue  # dropped from the wheel anyway
            previous = claimed.setdefault(path, (origin, rule))
            if previous[0] == origin:
                continue  # the same file again (a library's version links, a rule repeated)
            raise PackagingError(
                f"two install() rules write {_in_wheel(path, layout)}: {_producer(previous[1], layout)} and "
                f"{_producer(rule, layout)}",
                hint="remove one of them, or install one under another name; an extension table that the "
                "project's CMakeLists.txt builds too is not needed (tool.ironwheel.wheel.cmake = false "
                "builds only the tables)",
            )
