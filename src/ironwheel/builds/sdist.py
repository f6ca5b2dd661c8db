"""File selection -> a deterministic ``.tar.gz`` with PKG-INFO (version frozen in)."""

from __future__ import annotations

import contextlib
import gzip
import io
import logging
import stat
import tarfile
from collections.abc import Sequence
from pathlib import Path

from ironwheel._fs import atomic_output
from ironwheel.archive.files import Selection, check_inside, forced_files, select_files
from ironwheel.archive.reproducible import source_date_epoch
from ironwheel.errors import PackagingError
from ironwheel.project.generate import render_project
from ironwheel.project.project import Project

__all__ = ["build_sdist", "sdist_files"]

log = logging.getLogger("ironwheel")


def sdist_files(project: Project, output: Path | None = None, generated: Sequence[str] = ()) -> list[str]:
    """The project files that go into the sdist, sorted (never ``output`` itself).

    ``generated`` (files [[generate]] or the version provider write into the
    source tree, and the files the dynamic metadata is read from) are always in,
    even when .gitignore leaves them out, as version files usually are; so are
    the sources of ``wheel.force-include``, so that a wheel built from the sdist
    carries them too.
    """
    settings = project.settings.sdist
    never = [output] if output is not None else []
    selection = Selection(
        include=settings.include,
        exclude=settings.exclude,
        never=never,
        follow_external_links=settings.follow_external_links,
        dist_name=project.name,
    )
    selected = select_files(project.root, selection)
    where = project.settings.where("wheel.force-include")
    forced = forced_files(project.root, project.settings.wheel.force_include, never, where)
    required = {"pyproject.toml", *generated}
    required |= {path.relative_to(project.root).as_posix() for _source, path in forced.values()}
    for name in sorted(required - set(selected)):
        check_inside(project.root, project.root / name, follow_external_links=settings.follow_external_links)
    return sorted((set(selected) | required) - {"PKG-INFO"})


def _tar_info(name: str, size: int, executable: bool, epoch: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = epoch
    info.mode = 0o755 if executable else 0o644
    info.type = tarfile.REGTYPE
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def build_sdist(project: Project, sdist_directory: Path) -> str:
    """Write ``name-version.tar.gz`` into ``sdist_directory``; return its name."""
    core = project.core
    base = core.dist_info_name
    filename = f"{base}.tar.gz"
    epoch = source_date_epoch()
    generated = [item.path for item in render_project(project) if item.location == "source"]
    files = sdist_files(project, sdist_directory, [*generated, *core.read])
    pkg_info = core.metadata  # METADATA and PKG-INFO are the same file
    with contextlib.ExitStack() as stack:
        temporary = stack.enter_context(atomic_output(sdist_directory / filename))
        raw = stack.enter_context(temporary.open("wb"))
        compressed = stack.enter_context(
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9)
        )
        archive = stack.enter_context(tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT))
        for name in files:
            path = project.root / name
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):  # never read a pipe or a device
                raise PackagingError(f"{name} is not a regular file", hint="remove it from the project")
            executable = bool(info.st_mode & stat.S_IXUSR)
            with path.open("rb") as handle:
                archive.addfile(_tar_info(f"{base}/{name}", info.st_size, executable, epoch), handle)
        archive.addfile(_tar_info(f"{base}/PKG-INFO", len(pkg_info), False, epoch), io.BytesIO(pkg_info))
    log.info("built %s (%d files)", filename, len(files) + 1)
    return filename
