"""Writing a rendered project: all at once into a new directory, or beside existing files.

``create`` builds the project in a temporary directory beside the target and
renames it into place, so a failure leaves nothing behind. ``add`` never
replaces a file: each is created exclusively, and one that exists is
reported as skipped.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from ironwheel._compat import tomllib
from ironwheel.errors import CommandError, ProjectDirError, ToolError

__all__ = ["Added", "Vcs", "add", "check_no_project", "create", "init_git", "require_git", "wants_git"]

log = logging.getLogger("ironwheel")

Vcs = Literal["auto", "git", "none"]


@dataclasses.dataclass(frozen=True)
class Added:
    """What ``add`` did: the files it wrote and the ones it left alone, as project paths."""

    written: tuple[str, ...]
    skipped: tuple[str, ...]


def _write(root: Path, relative: str, text: str, mode: Literal["w", "x"]) -> None:
    path = root.joinpath(*relative.split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    # newline="" keeps "\n": the templates' line endings on every platform.
    with path.open(mode, encoding="utf-8", newline="") as handle:
        try:
            handle.write(text)
        except BaseException:
            path.unlink()  # no half-written file (a full disk, say)
            raise


def create(directory: Path, files: Mapping[str, str]) -> None:
    """Write ``files`` into ``directory``, which must not exist yet."""
    if directory.exists() or directory.is_symlink():
        raise ProjectDirError(
            f"{directory} already exists",
            hint=f"choose another directory, or add a project to this one with: ironwheel init {directory}",
        )
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".tmp", dir=directory.parent))
    try:
        for relative, text in files.items():
            _write(staging, relative, text, "x")
        # mkdtemp's directory is private to its owner; a project directory is not.
        umask = os.umask(0o022)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
        os.rename(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def check_no_project(directory: Path) -> None:
    """Refuse a directory that is missing, or that already holds a Python project."""
    if not directory.is_dir():
        raise ProjectDirError(
            f"{directory} is not a directory",
            hint=f"create a project in a new directory with: ironwheel new {directory}",
        )
    for name in ("setup.py", "setup.cfg"):
        if (directory / name).is_file() and (name == "setup.py" or _declares_setuptools(directory / name)):
            raise ProjectDirError(
                f"{directory / name}: the directory already holds a setuptools project",
                hint=f"convert it to ironwheel with: ironwheel migrate {directory}",
            )
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        try:
            has_project = "project" in tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            has_project = False
        if has_project:
            raise ProjectDirError(
                f"{pyproject}: the directory already holds a project ([project] table)",
                hint=f"convert it to ironwheel with: ironwheel migrate {directory}",
            )
        raise ProjectDirError(
            f"{pyproject} exists, and init never overwrites it",
            hint="move it aside, run ironwheel init again, then copy its tables into the new one",
        )


def _declares_setuptools(setup_cfg: Path) -> bool:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(setup_cfg, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return False
    return parser.has_section("metadata") or parser.has_section("options")


def add(directory: Path, files: Mapping[str, str]) -> Added:
    """Write each of ``files`` into ``directory`` unless a file (or anything) is already there."""
    written: list[str] = []
    skipped: list[str] = []
    for relative, text in files.items():
        try:
            _write(directory, relative, text, "x")
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            skipped.append(relative)
        else:
            written.append(relative)
    return Added(tuple(written), tuple(skipped))


def wants_git(vcs: Vcs, directory: Path) -> bool:
    """Whether to run ``git init``: always for ``git``; for ``auto``, when git is on PATH
    and ``directory`` is not inside a work tree already."""
    if vcs == "none":
        return False
    if vcs == "git":
        return True
    if shutil.which("git") is None:
        return False
    from ironwheel._run import capture

    try:
        capture(["git", "rev-parse", "--is-inside-work-tree"], cwd=directory)
    except (CommandError, ToolError):
        return True
    return False


def require_git(vcs: Vcs) -> None:
    """Fail before anything is written when ``--vcs git`` cannot be honoured."""
    if vcs == "git" and shutil.which("git") is None:
        raise ToolError(
            "--vcs git: git is not on PATH",
            hint="install git, or leave the repository out with --vcs none",
        )


def init_git(directory: Path) -> bool:
    """``git init`` in ``directory``; a failure is a warning, since the project is there."""
    from ironwheel._run import run

    try:
        run(["git", "init", "--quiet", str(directory)])
    except (CommandError, ToolError) as error:
        reason = error.output[-1] if isinstance(error, CommandError) and error.output else error.message
        log.warning(
            "git init failed in %s (%s); the project is there, without a repository", directory, reason
        )
        return False
    return True
