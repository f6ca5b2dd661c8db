"""``ironwheel build``: the sdist, then the wheel built from it, and one summary of both."""

from __future__ import annotations

import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from ironwheel.errors import CommandError, IronwheelError, PackagingError
from ironwheel.release.hooks import Distribution, HookError, Hooks, in_process, isolated

__all__ = ["build_release", "missing_from_sdist", "summary"]

log = logging.getLogger("ironwheel")

_TOKEN = re.compile(r"[\w.+@-]+(?:/[\w.+@-]+)*")
_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "build", "dist", "wheelhouse"})
_WALK_LIMIT = 50_000


def _project_files(root: Path) -> set[str]:
    """The project's files, without version-control data, build trees and environments."""
    found: set[str] = set()
    for directory, dirs, files in os.walk(root):
        here = Path(directory)
        dirs[:] = [
            name
            for name in dirs
            if not name.startswith(".")
            and name not in _SKIPPED_DIRS
            and not (here / name / "pyvenv.cfg").exists()
            and not (here / name / "CMakeCache.txt").exists()
        ]
        relative = here.relative_to(root).as_posix()
        found.update(name if relative == "." else f"{relative}/{name}" for name in files)
        if len(found) > _WALK_LIMIT:
            break
    return found


def missing_from_sdist(lines: Iterable[str], project: Path, unpacked: Path) -> list[str]:
    """Files of the project that a failed build of the unpacked sdist names and the sdist lacks."""
    absent = {name for name in _project_files(project) if not (unpacked / name).exists()}
    if not absent:
        return []
    by_base: dict[str, list[str]] = {}
    for name in absent:
        by_base.setdefault(name.rsplit("/", 1)[-1], []).append(name)
    prefix = unpacked.as_posix().rstrip("/") + "/"
    found: list[str] = []
    for line in lines:
        for raw in _TOKEN.findall(line.replace("\\", "/")):
            token = raw.strip(".")
            relative = token[len(prefix) :] if token.startswith(prefix) else token.lstrip("/")
            if relative in absent:
                matches = [relative]
            elif "." in relative.rsplit("/", 1)[-1]:
                matches = by_base.get(relative.rsplit("/", 1)[-1], [])
            else:
                matches = []
            found += [match for match in sorted(matches) if match not in found]
    return found


def _lines(error: BaseException) -> list[str]:
    if isinstance(error, HookError):
        return list(error.output)
    assert isinstance(error, IronwheelError)
    lines = [error.message, *error.details]
    if isinstance(error, CommandError):
        lines += error.output
    return lines


def _from_sdist(error: BaseException, project: Path, unpacked: Path, sdist: Path) -> IronwheelError | None:
    """The error of a wheel build from the sdist that failed for want of a project file, or None."""
    missing = missing_from_sdist(_lines(error), project, unpacked)
    if not missing:
        return None
    shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    include = ", ".join(f'"{name}"' for name in missing[:3])
    return PackagingError(
        f"the wheel cannot be built from {sdist.name}: the build wanted {shown}, which "
        f"{'is' if len(missing) == 1 else 'are'} in the project but not in the sdist",
        details=[f"the build said: {error}"] if isinstance(error, IronwheelError) else [],
        hint=f"ship {'it' if len(missing) == 1 else 'them'} in the sdist: check .gitignore and "
        f"tool.ironwheel.sdist.exclude, or add tool.ironwheel.sdist.include = [{include}]",
    )


def summary(artifacts: Sequence[Path], seconds: float, cwd: Path | None = None) -> list[str]:
    """One line per artifact (path, size, tags or "sdist"), under a line with the time it all took."""
    from ironwheel.inspect.render import size

    cwd = cwd or Path.cwd()
    rows: list[tuple[str, str, str]] = []
    for path in artifacts:
        shown = os.path.relpath(path, cwd) if cwd in path.parents else str(path)
        tags = "-".join(path.name[: -len(".whl")].split("-")[-3:])
        kind = "sdist" if path.name.endswith(".tar.gz") else tags
        rows.append((shown, size(path.stat().st_size), kind))
    width = [max((len(row[index]) for row in rows), default=0) for index in range(2)]
    lines = [f"built {len(artifacts)} file{'s' if len(artifacts) != 1 else ''} in {seconds:.1f} s:"]
    lines += [f"  {name.ljust(width[0])}  {value.rjust(width[1])}  {kind}" for name, value, kind in rows]
    return lines


def build_release(
    project: Path,
    outdir: Path,
    settings: Mapping[str, str | list[str]],
    *,
    wanted: Sequence[Distribution],
    isolation: bool,
) -> list[Path] | int:
    """Build ``wanted``; an sdist and a wheel means the wheel is built from the unpacked sdist.

    Returns the artifacts, or the exit code of a hook that failed in a subprocess
    (it printed its own error).
    """
    hooks_for = isolated if isolation else in_process
    started = time.monotonic()
    outdir.mkdir(parents=True, exist_ok=True)
    artifacts: list[Path] = []
    try:
        _build(project, outdir, settings, wanted, hooks_for, artifacts)
    except HookError as failure:
        _remove(artifacts)
        return failure.returncode if 0 < failure.returncode < 128 else 4
    except BaseException:
        _remove(artifacts)  # a release is both files or neither
        raise
    for line in summary(artifacts, time.monotonic() - started):
        log.info("%s", line)
    return artifacts


def _remove(artifacts: Sequence[Path]) -> None:
    for path in artifacts:
        path.unlink(missing_ok=True)


def _build(
    project: Path,
    outdir: Path,
    settings: Mapping[str, str | list[str]],
    wanted: Sequence[Distribution],
    hooks_for: Callable[[Path], AbstractContextManager[Hooks]],
    artifacts: list[Path],
) -> None:
    if list(wanted) == ["wheel"]:
        with hooks_for(project) as hooks:
            artifacts.append(hooks.build("wheel", outdir, settings))
        return
    with hooks_for(project) as hooks:
        sdist = hooks.build("sdist", outdir, settings)
    artifacts.append(sdist)
    if "wheel" in wanted:
        artifacts.append(_wheel_from_sdist(sdist, project, outdir, settings, hooks_for))


def _wheel_from_sdist(
    sdist: Path,
    project: Path,
    outdir: Path,
    settings: Mapping[str, str | list[str]],
    hooks_for: Callable[[Path], AbstractContextManager[Hooks]],
) -> Path:
    from ironwheel.inspect.sdist import extract_sdist

    with tempfile.TemporaryDirectory(prefix="ironwheel-sdist-") as temporary:
        unpacked = extract_sdist(sdist, Path(temporary))
        log.info("building the wheel from %s", sdist.name)
        with hooks_for(unpacked) as hooks:
            try:
                return hooks.build("wheel", outdir, settings)
            except (IronwheelError, HookError) as error:
                problem = _from_sdist(error, project, unpacked, sdist)
                if problem is None:
                    raise
                raise problem from error
