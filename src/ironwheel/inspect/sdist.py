"""Inspecting an sdist: its files, its PKG-INFO, and what it lacks compared with the git tree.

The archive is read without unpacking it, and refused like an unsafe wheel:
member names that could escape (absolute, ``..``, backslashes, control
characters), links, devices, names that appear twice, and sizes past the
wheel reader's limits.
"""

from __future__ import annotations

import tarfile
from email.parser import HeaderParser
from pathlib import Path

from packaging.utils import canonicalize_name

from ironwheel._compat import tomllib
from ironwheel.archive.wheelfile import Limits, name_problem
from ironwheel.errors import PackagingError, ToolError
from ironwheel.inspect.model import Finding, Report, SdistSummary
from ironwheel.inspect.wheel import archive_summary

__all__ = ["default_project", "extract_sdist", "git_files", "inspect_sdist"]

_HINT = "rebuild the sdist with a standards-compliant build backend; such an sdist is refused, not unpacked"
_SUMMARY_FIELDS = (
    "Metadata-Version",
    "Name",
    "Version",
    "Summary",
    "Requires-Python",
    "License-Expression",
    "License",
    "Dynamic",
    "Provides-Extra",
)
_PKG_INFO_LIMIT = 16 << 20


def _problem(sdist: Path, message: str) -> PackagingError:
    return PackagingError(f"{sdist.name}: {message}", hint=_HINT)


def _kind(info: tarfile.TarInfo) -> str | None:
    if info.issym():
        return "a symbolic link"
    if info.islnk():
        return "a hard link"
    if not (info.isreg() or info.isdir()):
        return "a device, pipe or other special file"
    return None


def _read_members(path: Path, limits: Limits) -> tuple[dict[str, int], bytes | None, str]:
    """Every file's size, PKG-INFO's bytes and the top directory; unsafe members are refused."""
    sizes: dict[str, int] = {}
    seen: set[str] = set()
    tops: set[str] = set()
    pkg_info: bytes | None = None
    total = 0
    try:
        with tarfile.open(path, "r:gz") as archive:
            for count, info in enumerate(archive, start=1):
                if count > limits.members:
                    raise _problem(path, f"it has more than {limits.members} members")
                name = info.name
                problem = name_problem(name)
                if problem:
                    raise _problem(path, f'member "{name}" {problem}')
                kind = _kind(info)
                if kind:
                    raise _problem(path, f'member "{name}" is {kind}')
                name = name.rstrip("/")
                if name.casefold() in seen:
                    raise _problem(
                        path, f'member "{name}" appears twice (or differs from another only in case)'
                    )
                seen.add(name.casefold())
                tops.add(name.split("/", 1)[0])
                if info.isdir():
                    continue
                total += info.size
                if total > limits.total_size:
                    raise _problem(path, f"it would unpack to more than {limits.total_size} bytes")
                sizes[name] = info.size
                if name.count("/") == 1 and name.endswith("/PKG-INFO") and info.size <= _PKG_INFO_LIMIT:
                    handle = archive.extractfile(info)
                    pkg_info = handle.read() if handle is not None else None
    except (tarfile.TarError, EOFError, OSError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise _problem(path, f"not a valid .tar.gz archive ({error})") from None
    if len(tops) != 1:
        raise _problem(path, f"its files are in {len(tops)} top-level directories instead of one")
    return sizes, pkg_info, next(iter(tops))


def extract_sdist(path: Path, directory: Path, limits: Limits | None = None) -> Path:
    """Check the sdist as :func:`inspect_sdist` does, unpack it into ``directory``; its top directory."""
    _sizes, _pkg_info, top = _read_members(path, limits or Limits())
    with tarfile.open(path, "r:gz") as archive:
        for info in archive:
            target = directory.joinpath(*info.name.rstrip("/").split("/"))
            if info.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(info)
            assert source is not None  # a regular file: the checks refused everything else
            with source, target.open("wb") as handle:
                while chunk := source.read(1 << 20):
                    handle.write(chunk)
            target.chmod(0o755 if info.mode & 0o100 else 0o644)
    return directory / top


def default_project(name: str, directory: Path | None = None) -> Path | None:
    """The current directory, when its pyproject.toml names the same project."""
    directory = directory or Path.cwd()
    try:
        data = tomllib.loads((directory / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    project = data.get("project")
    found = project.get("name") if isinstance(project, dict) else None
    if isinstance(found, str) and canonicalize_name(found) == canonicalize_name(name):
        return directory
    return None


def git_files(project: Path) -> list[str] | None:
    """The files git tracks in ``project`` (relative to it) that exist; None when it is no checkout."""
    from ironwheel._run import capture
    from ironwheel.errors import CommandError

    try:
        output = capture(["git", "ls-files", "-z", "--cached", "--", "."], cwd=project)
    except (CommandError, ToolError):
        return None
    names = [item for item in output.split("\0") if item]
    return sorted(name for name in names if (project / name).is_file())


def _metadata(text: str) -> tuple[tuple[str, str], ...]:
    message = HeaderParser().parsestr(text)
    found: list[tuple[str, str]] = []
    for field in _SUMMARY_FIELDS:
        values = message.get_all(field) or []
        if values:
            found.append((field, ", ".join(" ".join(str(value).split()) for value in values)))
    requirements = message.get_all("Requires-Dist") or []
    found.append(("Requires-Dist", f"{len(requirements)} requirement{'s' if len(requirements) != 1 else ''}"))
    return tuple(found)


def inspect_sdist(path: Path, project: Path | None = None, limits: Limits | None = None) -> Report:
    """Report on an sdist; ``project`` is the directory whose git tree it is compared with."""
    sizes, pkg_info, top = _read_members(path, limits or Limits())
    findings: list[Finding] = []
    relative = {name.split("/", 1)[1]: size for name, size in sizes.items() if "/" in name}
    metadata: tuple[tuple[str, str], ...] = ()
    name, _, version = top.rpartition("-")
    if pkg_info is None:
        findings.append(Finding("defect", "missing-pkg-info", f"{top}/PKG-INFO is missing"))
    else:
        metadata = _metadata(pkg_info.decode("utf-8", errors="replace"))
        fields = dict(metadata)
        name, version = fields.get("Name", name), fields.get("Version", version)
        expected = f"{canonicalize_name(name).replace('-', '_')}-{version}"
        if path.name != f"{expected}.tar.gz":
            findings.append(
                Finding(
                    "warning",
                    "sdist-file-name",
                    f"PKG-INFO names {name} {version}, so the file should be {expected}.tar.gz (PEP 625)",
                )
            )
    if "pyproject.toml" not in relative:
        findings.append(
            Finding(
                "defect", "missing-pyproject", f"{top}/pyproject.toml is missing: no frontend can build it"
            )
        )
    summary = SdistSummary(metadata, None)
    if project is not None:
        tracked = git_files(project)
        if tracked is None:
            findings.append(
                Finding("note", "not-compared", f"{project} is not a git checkout: nothing compared")
            )
        else:
            missing = tuple(item for item in tracked if item not in relative)
            extra = tuple(item for item in sorted(relative) if item not in set(tracked))
            summary = SdistSummary(metadata, str(project), missing, extra)
            if missing:
                findings.append(
                    Finding(
                        "note",
                        "not-in-sdist",
                        f"{len(missing)} file{'s' if len(missing) != 1 else ''} tracked by git "
                        f"{'are' if len(missing) != 1 else 'is'} not in the sdist: {', '.join(missing[:5])}"
                        + (" ..." if len(missing) > 5 else ""),
                    )
                )
    return Report(
        kind="sdist",
        file=path.name,
        name=name,
        version=version,
        archive=archive_summary(path.stat().st_size, relative),
        findings=tuple(findings),
        sdist=summary,
    )
