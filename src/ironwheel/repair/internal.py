"""The project's own shared libraries: found from CMake's code model, shipped once, linked relatively.

CMake installs a shared library with its version links (``libfoo.so`` ->
``libfoo.so.1`` -> ``libfoo.so.1.2.3``); a wheel cannot hold links, so each
would be a full copy. The library ships once, under the name the loader
looks for (its SONAME, the last part of its install name, the DLL name).

A library CMake installed inside one of the wheel's packages stays there; one
installed elsewhere (``lib/``, ``bin/``, a ``.data`` tree) moves next to the
binaries that load it, or to ``<name>.libs/`` when those are in several
directories (on Windows, next to each of them, since the loader looks in the
directory of the module being loaded). Binaries that load an internal library
then get a relative search path (``$ORIGIN``, ``@loader_path``), and search
paths into the build or source tree are dropped.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import posixpath
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ironwheel.archive.wheel import Source
from ironwheel.cmake.fileapi import CodeModel, Target
from ironwheel.cmake.rpath import project_entries
from ironwheel.errors import PackagingError, ToolError
from ironwheel.repair.base import Linker
from ironwheel.repair.binaries import Binary, read_binary

__all__ = ["InternalLibrary", "link_internal_libraries", "search_dirs"]

log = logging.getLogger("ironwheel")

_SHARED = "SHARED_LIBRARY"


@dataclasses.dataclass(frozen=True)
class InternalLibrary:
    """A shared library built by one of the project's CMake targets, as it ships."""

    target: str
    path: str  # in the wheel


@dataclasses.dataclass(frozen=True)
class _Built:
    target: Target
    binary: Binary
    names: frozenset[str]  # every name CMake may have installed it under


def _built_libraries(model: CodeModel) -> list[_Built]:
    found = []
    for target in model.targets:
        if target.type != _SHARED:
            continue
        for artifact in target.artifacts:
            binary = read_binary(artifact) if artifact.is_file() else None
            if binary is None:
                continue  # an import library (.lib, .dll.a) or a file not built yet
            names = {artifact.name, binary.name, *(a.name for a in target.artifacts)}
            if target.name_on_disk:
                names.add(target.name_on_disk)
            found.append(_Built(target, binary, frozenset(names)))
            break
    return found


def _installed_as(built: _Built, entries: Mapping[str, Source]) -> list[str]:
    """The wheel paths holding this target's installed library and its links.

    Installed files are matched by the target's install destinations and file
    names, and must be the same library (same loader name): an import library
    (``.lib``, ``.dll.a``) installed beside it is not the library.
    """
    target = built.target
    candidates: set[str] = set()
    for destination in target.install_destinations:
        base = Path(destination)
        if not base.is_absolute() and target.install_prefix is not None:
            base = target.install_prefix / base
        candidates.update(os.path.abspath(base / name) for name in built.names)

    def same(source: Source) -> bool:
        found = read_binary(source.resolve()) if isinstance(source, Path) and source.is_file() else None
        return found is not None and found.name == built.binary.name

    matched = [
        name
        for name, source in entries.items()
        if isinstance(source, Path) and os.path.abspath(source) in candidates and same(source)
    ]
    if matched:
        return sorted(matched)
    # Installed some other way (install(FILES $<TARGET_FILE:...>), a script): the same
    # file name and the same loader name identify it.
    return sorted(
        name for name, source in entries.items() if posixpath.basename(name) in built.names and same(source)
    )


def _case(format_: str, name: str) -> str:
    return name.lower() if format_ == "pe" else name


def _loads(binary: Binary, library: str) -> bool:
    """Whether ``binary`` loads a library called ``library`` (by name, however referenced)."""
    wanted = _case(binary.format, library)
    return any(_case(binary.format, posixpath.basename(item)) == wanted for item in binary.needed)


def _is_package_dir(top: str, entries: Iterable[str]) -> bool:
    if top.endswith((".data", ".dist-info")):
        return False
    return any(name.startswith(top + "/") and name.endswith((".py", ".pyi")) for name in entries)


def _destinations(
    current: str,
    library: str,
    dependents: Sequence[str],
    entries: Mapping[str, Source],
    format_: str,
    libs: str,
) -> list[str]:
    """Where a library ships: one path, or (Windows) one per directory of its dependents."""
    directory = posixpath.dirname(current)
    dirs = sorted({posixpath.dirname(name) for name in dependents})
    if format_ == "pe":
        if not dirs or dirs == [directory]:
            return [current]
        return [posixpath.join(item, library) for item in dirs]
    top = current.split("/", 1)[0]
    if not dependents or ("/" in current and _is_package_dir(top, entries)):
        return [current]
    return [posixpath.join(dirs[0] if len(dirs) == 1 else libs, library)]


def _outside(path: str, roots: Sequence[Path]) -> bool:
    if not path.startswith("/"):
        return True
    absolute = Path(os.path.abspath(path))
    return not any(absolute == root or root in absolute.parents for root in roots)


def link_internal_libraries(
    entries: dict[str, Source],
    model: CodeModel,
    *,
    linker: Linker,
    libs_dir: str,
    work_dir: Path,
    build_roots: Sequence[Path],
) -> list[InternalLibrary]:
    """Ship each internal library once, where its dependents find it; relink them. Edits ``entries``.

    A binary that cannot be given the search path it needs is an error
    (:class:`ToolError`), whatever the repair mode: its wheel would not import.
    """
    shipped: dict[str, str] = {}  # wheel path -> target
    for built in _built_libraries(model):
        if built.binary.format != linker.format:
            continue
        names = _installed_as(built, entries)
        if not names:
            continue
        first = entries[names[0]]
        assert isinstance(first, Path)
        real = first.resolve()
        library = built.binary.name
        for directory in sorted({posixpath.dirname(name) for name in names}):
            keep = posixpath.join(directory, library)
            for name in names:
                if posixpath.dirname(name) == directory:
                    del entries[name]
            entries[keep] = real
            shipped[keep] = built.target.name
            dropped = sorted(posixpath.basename(n) for n in names if posixpath.dirname(n) == directory)
            if dropped != [library]:
                log.info(
                    "internal library %s: shipping %s once (installed as %s)",
                    built.target.name,
                    keep,
                    ", ".join(dropped),
                )
    binaries = _read_binaries(entries, linker.format)
    placed: dict[str, str] = {}
    for current, target in sorted(shipped.items()):
        library = posixpath.basename(current)
        dependents = [
            name for name, binary in binaries.items() if name != current and _loads(binary, library)
        ]
        destinations = _destinations(current, library, dependents, entries, linker.format, libs_dir)
        source = entries.pop(current)
        for destination in destinations:
            if destination in entries:
                raise PackagingError(
                    f"internal library {library} (CMake target {target}) cannot go to {destination}: "
                    "another file of the wheel has that name",
                    hint="install the library or the other file under a different name or directory",
                )
            entries[destination] = source
            placed[destination] = target
            if destination != current:
                log.info(
                    "internal library %s: %s -> %s (next to what loads it)", target, current, destination
                )
        moved = binaries.pop(current, None)
        if moved is not None:
            binaries.update(dict.fromkeys(destinations, moved))
    if linker.origin is not None:
        _relink(entries, binaries, placed, linker, work_dir, build_roots)
    return [InternalLibrary(target, path) for path, target in sorted(placed.items())]


def _read_binaries(entries: Mapping[str, Source], format_: str) -> dict[str, Binary]:
    binaries: dict[str, Binary] = {}
    for name, source in entries.items():
        if isinstance(source, Path):
            binary = read_binary(source.resolve()) if source.is_file() else None
            if binary is not None and binary.format == format_:
                binaries[name] = binary
    return binaries


def _relink(
    entries: dict[str, Source],
    binaries: Mapping[str, Binary],
    placed: Mapping[str, str],
    linker: Linker,
    work_dir: Path,
    build_roots: Sequence[Path],
) -> None:
    origin = linker.origin
    assert origin is not None
    by_name = {posixpath.basename(path): path for path in placed}
    for name, binary in sorted(binaries.items()):
        wanted: list[str] = []
        loads: list[str] = []
        changes: dict[str, str] = {}
        for needed in binary.needed:
            path = by_name.get(posixpath.basename(needed))
            if path is None:
                continue
            loads.append(posixpath.basename(path))
            relative = posixpath.relpath(posixpath.dirname(path), posixpath.dirname(name) or ".")
            wanted.append(origin if relative == "." else f"{origin}/{relative}")
            if binary.format == "macho" and not needed.startswith("@"):
                changes[needed] = f"@rpath/{posixpath.basename(needed)}"
        # What the project asked for stays, unless it points into the build; the room
        # ironwheel reserved (cmake/rpath.py) goes.
        kept = [item for item in project_entries(binary.rpath) if _outside(item, build_roots)]
        rpath = tuple(dict.fromkeys([*kept, *wanted]))
        install_name = None
        if binary.format == "macho" and name in placed and not binary.name.startswith("@"):
            install_name = f"@rpath/{posixpath.basename(name)}"
        if rpath == binary.rpath and not changes and install_name is None:
            continue
        copy = work_dir / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        source = entries[name]
        assert isinstance(source, Path)
        shutil.copyfile(source.resolve(), copy)
        copy.chmod(0o755 if os.access(source, os.X_OK) else 0o644)
        try:
            linker.relink(copy, binary, rpath, changes, install_name)
        except ToolError as error:
            # A module that cannot find the project's library would fail to import: never ship it.
            purpose = f" to find {', '.join(loads)}" if loads else ""
            raise ToolError(f"cannot relink {name}{purpose}: {error.message}", hint=error.hint) from error
        entries[name] = copy
        # Every binary loses the room reserved in it; only a search path left is news.
        log.log(
            logging.INFO if rpath else logging.DEBUG,
            "%s: library search path %s",
            name,
            ":".join(rpath) or "(none)",
        )


def search_dirs(model: CodeModel) -> tuple[Path, ...]:
    """Directories holding the libraries the build made or linked: where a repair tool looks first."""
    found: dict[Path, None] = {}
    for target in model.targets:
        if target.type == _SHARED:
            found.update((artifact.parent, None) for artifact in target.artifacts)
        for fragment in target.link_libraries:
            path = Path(fragment)
            if not path.is_absolute() or not path.is_file():
                continue
            name = path.name.lower()
            if name.endswith((".lib", ".dll.a")):
                bin_dir = path.parent.parent / "bin"
                if bin_dir.is_dir():
                    found[bin_dir] = None
            elif (".so" in name or name.endswith(".dylib")) and not _is_system_dir(path.parent):
                found[path.parent] = None
    return tuple(found)


def _is_system_dir(path: Path) -> bool:
    """A directory the loader (and so every repair tool) searches anyway."""
    parts = path.parts[1:3]
    return bool(parts) and (parts[0] in ("lib", "lib64") or parts[:2] in (("usr", "lib"), ("usr", "lib64")))
