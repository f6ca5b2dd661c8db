"""Run real frontends (pip, build) on a project and report what happened."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from tests.archive_checks import check_archive

SRC = Path(__file__).resolve().parents[2] / "src"


@dataclasses.dataclass
class Result:
    returncode: int
    output: str
    wheels: list[Path]

    @property
    def wheel(self) -> Path:
        assert len(self.wheels) == 1, (self.wheels, self.output)
        return self.wheels[0]


def _environ(isolated: bool, extra: dict[str, str] | None) -> dict[str, str]:
    environ = dict(os.environ)
    if not isolated:
        # Without isolation the backend is imported from the running environment.
        environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), environ.get("PYTHONPATH")]))
    environ.update(extra or {})
    return environ


def _collect(outdir: Path, completed: subprocess.CompletedProcess[str]) -> Result:
    wheels = sorted(outdir.glob("*.whl")) if outdir.is_dir() else []
    # Whatever a frontend built must satisfy other tools too.
    for archive in [*wheels, *(sorted(outdir.glob("*.tar.gz")) if outdir.is_dir() else [])]:
        check_archive(archive)
    return Result(completed.returncode, completed.stdout, wheels)


def pip_wheel(
    project: Path,
    outdir: Path,
    *options: str,
    isolated: bool = True,
    env: dict[str, str] | None = None,
    python: str = sys.executable,
) -> Result:
    """``pip wheel PROJECT -w OUTDIR`` (verbose, so the backend's output is kept)."""
    command = [python, "-m", "pip", "wheel", str(project), "--wheel-dir", str(outdir), "--no-deps", "-v"]
    if not isolated:
        command.append("--no-build-isolation")
    completed = subprocess.run(
        [*command, *options],
        env=_environ(isolated, env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return _collect(outdir, completed)


def python_build(
    project: Path, outdir: Path, *options: str, isolated: bool = True, env: dict[str, str] | None = None
) -> Result:
    """``python -m build PROJECT --outdir OUTDIR``."""
    command = [sys.executable, "-m", "build", str(project), "--outdir", str(outdir)]
    # Without isolation ironwheel is imported from src/, which build cannot see as installed.
    command += ["--installer", "pip"] if isolated else ["--no-isolation", "--skip-dependency-check"]
    completed = subprocess.run(
        [*command, *options],
        env=_environ(isolated, env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return _collect(outdir, completed)


def configure_runs(project: Path) -> list[tuple[str, int, int, tuple[str, ...]]]:
    """What every CMake configure leaves in the project's build dirs, to compare across builds.

    CMake rewrites ``CMakeFiles/cmake.check_cache`` whenever it configures, whether ironwheel
    runs it or ninja re-runs it, and writes a new File API reply index when it generates
    replies; other files it only replaces when their contents change.
    """
    runs = []
    for stamp in sorted(project.glob("build/*/CMakeFiles/cmake.check_cache")):
        build_dir = stamp.parent.parent
        state = stamp.stat()
        replies = tuple(sorted(path.name for path in build_dir.glob(".cmake/api/v1/reply/index-*.json")))
        runs.append((build_dir.name, state.st_ino, state.st_mtime_ns, replies))
    assert runs, f"no CMake build dir under {project / 'build'}"
    return runs


def path_with_old_cmake(directory: Path) -> str:
    """A PATH with every program of this one but cmake, which is a cmake 3.20 stand-in."""
    directory.mkdir()
    for entry in os.environ["PATH"].split(os.pathsep):
        folder = Path(entry)
        if not folder.is_dir():
            continue
        for program in folder.iterdir():
            link = directory / program.name
            if program.name.startswith("cmake") or link.exists() or link.is_symlink():
                continue
            if os.access(program, os.X_OK) and program.is_file():
                link.symlink_to(program)
    stand_in = directory / "cmake"
    stand_in.write_text("#!/bin/sh\necho 'cmake version 3.20.0'\n")
    stand_in.chmod(0o755)
    return str(directory)


def names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tail(text: str, lines: int = 60) -> str:
    return "\n".join(text.splitlines()[-lines:])


__all__: Sequence[str] = [
    "Result",
    "configure_runs",
    "names",
    "path_with_old_cmake",
    "pip_wheel",
    "python_build",
    "sha256",
    "tail",
]
