"""From staged entries to the entries of the final wheel: internal libraries, repair, SBOM.

Used by the wheel build (after ``cmake --install``) and by ``ironwheel
repair`` (on an unpacked wheel). Whatever happens, the caller zips the
result once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ironwheel._records import Record
from ironwheel.archive.reproducible import source_date_epoch
from ironwheel.archive.wheel import Source
from ironwheel.errors import IronwheelError, ToolError
from ironwheel.repair.base import Job, Options, Repairer, Report
from ironwheel.repair.binaries import binary_format
from ironwheel.repair.external import outside_libraries
from ironwheel.repair.internal import InternalLibrary
from ironwheel.repair.mode import Decision
from ironwheel.repair.platforms import repairer_for
from ironwheel.repair.sbom import SBOM_NAME, Library, previous_libraries, render_sbom
from ironwheel.repair.skeleton import merge_output, select_skeleton, wheel_tags, write_skeleton

__all__ = ["finish"]

log = logging.getLogger("ironwheel")


def _sbom_epoch() -> int | None:
    """SOURCE_DATE_EPOCH if set: an SBOM without it carries no time at all."""
    return source_date_epoch() if os.environ.get("SOURCE_DATE_EPOCH", "").strip() else None


def _is_binary(source: Source) -> bool:
    return isinstance(source, Path) and binary_format(source) is not None


def _log_report(report: Report, repairer: Repairer, wheel_name: str) -> None:
    if report.grafted:
        for library, where in report.grafted:
            log.info("repair check: %s would graft %s (%s)", repairer.tool, library, where or "NOT FOUND")
    else:
        log.info("repair check: %s would graft no library", repairer.tool)
    current = wheel_tags(wheel_name).split("-")[-1]
    log.info("repair check: the repaired wheel would be tagged %s (this one stays %s)", report.tag, current)
    for problem in report.problems:
        log.warning("repair check: %s", problem)


def _job(
    entries: dict[str, Source],
    names: list[str],
    wheel_name: str,
    dist_info: str,
    options: Options,
    work_dir: Path,
) -> Job:
    """The skeleton wheel of ``names`` in a clean work directory, and where the tool writes."""
    shutil.rmtree(work_dir, ignore_errors=True)
    skeleton = write_skeleton(
        entries, names, work_dir / "skeleton" / wheel_name, dist_info=dist_info, epoch=source_date_epoch()
    )
    out_dir = work_dir / "out"
    out_dir.mkdir(parents=True)
    return Job(skeleton, out_dir, options)


# What a check's answer depends on besides the files and the options: where libraries are found.
_CHECK_VARIABLES = ("PATH", "LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH", "DYLD_FALLBACK_LIBRARY_PATH", "ARCHFLAGS")


def _check_key(
    entries: dict[str, Source], names: list[str], tools: str, wheel_name: str, options: Options
) -> str:
    """A digest of everything a check's report depends on: contents, tool, options, library search."""
    hasher = hashlib.sha256()
    environ = sorted(
        (key, value)
        for key, value in options.environ.items()
        if key in _CHECK_VARIABLES or key.startswith(("AUDITWHEEL_", "MACOSX_"))
    )
    try:
        loader_cache = os.stat("/etc/ld.so.cache").st_mtime_ns
    except OSError:
        loader_cache = 0
    settings = (options.manylinux, options.exclude, options.macos_archs, [str(p) for p in options.lib_dirs])
    hasher.update(repr((tools, wheel_name, settings, environ, loader_cache)).encode())
    for name in names:
        source = entries[name]
        hasher.update(f"\0{name}\0".encode())
        hasher.update(source if isinstance(source, bytes) else hashlib.sha256(source.read_bytes()).digest())
    return hasher.hexdigest()


def _report(data: Any) -> Report:
    grafted = tuple(
        (str(library), None if where is None else str(where)) for library, where in data["grafted"]
    )
    return Report(grafted, str(data["tag"]), tuple(str(problem) for problem in data["problems"]))


def _check(
    entries: dict[str, Source],
    names: list[str],
    repairer: Repairer,
    wheel_name: str,
    dist_info: str,
    options: Options,
    work_dir: Path,
    cache: Record | None = None,
) -> None:
    """Report what repair would do; a missing or failing tool is a warning, never a failed build.

    With a ``cache`` file, the report of the last check is reused while the
    binaries, the tool, the options and the library search are the same: a
    rebuild that changed no binary does not run the tool again.
    """
    try:
        tools = repairer.versions()
    except ToolError:
        # A frontend installs the tool only for builds that repair; say what is known without it.
        outside = outside_libraries(entries, names)
        log.info(
            "repair check: %s is not installed here, so no tag was computed; `python -m ironwheel build` "
            "or -C repair.mode=on installs it and repairs",
            repairer.tool,
        )
        if outside:
            log.info(
                "repair check: the binaries load these libraries from outside the wheel: %s",
                ", ".join(outside),
            )
        else:
            log.info("repair check: the binaries load no library from outside the wheel but the system's own")
        return
    key = _check_key(entries, names, tools, wheel_name, options) if cache is not None else ""
    report = cache.recall(key, _report) if cache is not None else None
    if report is not None:
        log.info("repair check: the binaries are those checked before (%s)", tools)
        _log_report(report, repairer, wheel_name)
        return
    try:
        log.info("repair: using %s", tools)
        report = repairer.check(_job(entries, names, wheel_name, dist_info, options, work_dir))
    except IronwheelError as error:
        log.warning("repair check skipped: %s", error.message)
        if error.hint:
            log.warning("repair check: %s", error.hint)
        return
    _log_report(report, repairer, wheel_name)
    if cache is not None:
        cache.keep(key, dataclasses.asdict(report))


def _repair(
    entries: dict[str, Source],
    names: list[str],
    repairer: Repairer,
    wheel_name: str,
    dist_info: str,
    options: Options,
    work_dir: Path,
) -> tuple[dict[str, Source], str, list[str]]:
    """Run the tool on the skeleton and merge its output: the entries, the wheel name, what was grafted."""
    log.info("repair: using %s", repairer.versions())
    started = time.monotonic()
    job = _job(entries, names, wheel_name, dist_info, options, work_dir)
    output = repairer.repair(job)
    if output is None:
        log.info("repair: %s had repaired this wheel before; it is unchanged", repairer.tool)
        return entries, wheel_name, []
    merged = merge_output(entries, job.wheel, output, work_dir / "merged")
    grafted = [item for item in merged.added if _is_binary(merged.entries[item])]
    for item in grafted:
        log.info("repair: grafted %s", item)
    log.info(
        "repair: %s gave %s (%d of %d files through the tool, %.1f s)",
        repairer.tool,
        wheel_tags(merged.wheel_name),
        len(names),
        len(merged.entries),
        time.monotonic() - started,
    )
    return merged.entries, merged.wheel_name, grafted


def finish(
    entries: dict[str, Source],
    *,
    wheel_name: str,
    dist_info: str,
    decision: Decision,
    options: Options,
    work_dir: Path,
    name: str,
    version: str,
    internal: Sequence[InternalLibrary] = (),
    check_cache: Record | None = None,
) -> tuple[dict[str, Source], str]:
    """Repair (or check) ``entries`` as decided; add the SBOM; return the entries and the wheel name.

    ``check_cache`` keeps the last check's report (see :func:`_check`).
    """
    platform = wheel_tags(wheel_name).split("-")[-1].split(".")[0]
    repairer = repairer_for(platform, options.environ or None)
    grafted: list[str] = []
    if repairer is None:
        if platform != "any":
            log.info("repair: no repair tool for %s wheels", platform)
    else:
        log.info("repair: %s", decision.describe())
    if repairer is not None and decision.mode != "off":
        names = select_skeleton(entries, dist_info, repairer.wants)
        if not any(_is_binary(entries[item]) for item in names):
            log.info("repair: the wheel holds no binaries; nothing to repair")
        elif decision.mode == "check":
            _check(entries, names, repairer, wheel_name, dist_info, options, work_dir, check_cache)
        else:
            entries, wheel_name, grafted = _repair(
                entries, names, repairer, wheel_name, dist_info, options, work_dir
            )
    sbom_path = f"{dist_info}/{SBOM_NAME}"
    libraries = {library.path: library for library in previous_libraries(entries.get(sbom_path))}
    libraries.update((item.path, Library(item.path, "cmake-target", item.target)) for item in internal)
    if repairer is not None:
        libraries.update((item, Library(item, "grafted", repairer.tool)) for item in grafted)
    present = [library for path, library in sorted(libraries.items()) if path in entries]
    if present:
        entries[sbom_path] = render_sbom(
            present, entries, name=name, version=version, wheel_name=wheel_name, epoch=_sbom_epoch()
        )
    return entries, wheel_name
