"""Under cibuildwheel, say when its default repair-wheel-command cannot repair the wheel, and what to set.

With ``CIBUILDWHEEL=1`` ironwheel leaves repair to cibuildwheel's own step,
whose defaults find libraries only where the loader would: auditwheel
through the binaries' search paths and the system's, delocate through the
install names and rpaths, delvewheel on PATH (never inside the wheel). So a
wheel that bundles the project's DLLs, or links a library from a directory
of the build machine, fails there. ironwheel's own repair searches the
build's library directories; the command logged here does the same, so
that cibuildwheel's step repairs the wheel as ironwheel would.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ironwheel.archive.wheel import Source
from ironwheel.repair.binaries import Binary, read_binary
from ironwheel.repair.external import outside_libraries

__all__ = ["DEFAULT_COMMANDS", "advise", "advise_repaired", "repair_command"]

log = logging.getLogger("ironwheel")

# cibuildwheel's defaults (resources/defaults.toml).
DEFAULT_COMMANDS = {
    "linux": "auditwheel repair -w {dest_dir} {wheel}",
    "macos": "delocate-wheel --require-archs {delocate_archs} -w {dest_dir} -v {wheel}",
    "windows": "delvewheel repair -w {dest_dir} -v {wheel}",
}


def _spelled(directory: Path, project: Path) -> str:
    """A directory as a repair-wheel-command names it: under ``{project}`` when it is the project's."""
    if directory == project or project in directory.parents:
        relative = directory.relative_to(project).as_posix()
        return "{project}" if relative == "." else f"{{project}}/{relative}"
    return directory.as_posix()


def repair_command(system: str, directories: Sequence[str], *, ignore_existing: bool) -> str:
    """The repair-wheel-command that finds libraries in ``directories`` (and the wheel's own DLLs)."""
    if system == "windows":
        parts = ["delvewheel repair"]
        if ignore_existing:
            parts.append("--ignore-existing")
        if directories:
            parts.append("--add-path " + ";".join(directories))
        return " ".join([*parts, "-w {dest_dir} -v {wheel}"])
    joined = ":".join(directories)
    if system == "macos":
        return f"DYLD_FALLBACK_LIBRARY_PATH={joined} {DEFAULT_COMMANDS['macos']}"
    return f"AUDITWHEEL_LD_LIBRARY_PATH={joined} {DEFAULT_COMMANDS['linux']}"


def _missing(
    binaries: Mapping[str, Binary], entries: Mapping[str, Source], names: Iterable[str]
) -> list[str]:
    """Libraries the binaries load from neither the wheel nor the system (``@rpath/`` ones included)."""
    inside = {posixpath.basename(name).lower() for name in binaries} | {
        binary.name.lower() for binary in binaries.values()
    }
    missing = set(outside_libraries(entries, names))
    for binary in binaries.values():
        for needed in binary.needed:
            base = posixpath.basename(needed)
            if needed.startswith("@rpath/") and base.lower() not in inside:
                missing.add(base)
    return sorted(missing)


def advise(
    system: str,
    entries: Mapping[str, Source],
    names: Sequence[str],
    *,
    lib_dirs: Sequence[Path],
    project: Path,
) -> str | None:
    """Log (and return) the repair-wheel-command to set when cibuildwheel's default would fail."""
    binaries: dict[str, Binary] = {}
    for name in names:
        source = entries[name]
        binary = read_binary(source) if isinstance(source, Path) else None
        if binary is not None:
            binaries[name] = binary
    if system not in DEFAULT_COMMANDS or not binaries:
        return None
    missing = _missing(binaries, entries, binaries)
    found = {
        library: directory
        for library in missing
        for directory in reversed(lib_dirs)
        if (directory / library).is_file()
    }
    reasons: list[str] = []
    bundled: list[str] = []
    if system == "windows":
        imported = {needed.lower() for binary in binaries.values() for needed in binary.needed}
        bundled = sorted(name for name in binaries if posixpath.basename(name).lower() in imported)
        if bundled:
            reasons.append(f"delvewheel looks for DLLs on PATH, not in the wheel ({', '.join(bundled)})")
    directories = list(dict.fromkeys(found[library] for library in sorted(found)))
    if found:
        tool = {"linux": "auditwheel", "macos": "delocate", "windows": "delvewheel"}[system]
        reasons.append(
            f"{tool} does not look where the build found "
            + ", ".join(f"{library} ({found[library].as_posix()})" for library in sorted(found))
        )
    if not reasons:
        return None
    command = repair_command(
        system, [_spelled(directory, project) for directory in directories], ignore_existing=bool(bundled)
    )
    log.warning(
        "cibuildwheel's default repair-wheel-command cannot repair this wheel: %s. In pyproject.toml, "
        'set [tool.cibuildwheel.%s] repair-wheel-command = "%s"',
        "; ".join(reasons),
        system,
        command,
    )
    return command


def advise_repaired(system: str) -> None:
    """Under cibuildwheel with repair on: its default step repairs again (and on Windows writes nothing)."""
    if system == "windows":
        log.warning(
            'this wheel is repaired here (repair.mode = "on") and cibuildwheel\'s default '
            "repair-wheel-command (%s) writes no wheel for a wheel delvewheel repaired, so cibuildwheel "
            'would fail: in pyproject.toml, set [tool.cibuildwheel.windows] repair-wheel-command = ""',
            DEFAULT_COMMANDS["windows"],
        )
    elif system in DEFAULT_COMMANDS:
        log.info(
            'this wheel is repaired here (repair.mode = "on"); cibuildwheel\'s repair step repairs it '
            'again unless [tool.cibuildwheel.%s] repair-wheel-command = ""',
            system,
        )
