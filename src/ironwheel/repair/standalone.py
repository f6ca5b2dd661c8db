"""``ironwheel repair WHEEL -w DIR``: the build's repair, for any wheel.

Usable as cibuildwheel's ``repair-wheel-command``. Running it on a wheel it
repaired before writes an equivalent wheel again, so the output directory
always ends up holding exactly one wheel.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Sequence
from email.parser import HeaderParser
from pathlib import Path

from ironwheel.archive.reproducible import source_date_epoch
from ironwheel.archive.wheel import Source, write_wheel
from ironwheel.archive.wheelfile import open_wheel
from ironwheel.errors import PackagingError
from ironwheel.repair.base import Options
from ironwheel.repair.mode import decide_for_repair_command
from ironwheel.repair.pipeline import finish
from ironwheel.settings.model import RepairSettings

__all__ = ["repair_wheel_file"]

log = logging.getLogger("ironwheel")


def _name_version(entries: dict[str, Source], dist_info: str) -> tuple[str, str]:
    source = entries.get(f"{dist_info}/METADATA")
    raw = b"" if source is None else source if isinstance(source, bytes) else source.read_bytes()
    headers = HeaderParser().parsestr(raw.decode("utf-8", errors="replace"))
    return headers.get("Name", ""), headers.get("Version", "")


def repair_wheel_file(
    wheel: Path, out_dir: Path, settings: RepairSettings, lib_dirs: Sequence[Path] = ()
) -> Path:
    """Repair ``wheel`` into ``out_dir`` (unpacked once, zipped once); return the new wheel.

    ``lib_dirs`` are searched for libraries first (with ``repair.dll-dirs`` for Windows wheels).
    """
    if wheel.suffix != ".whl":
        raise PackagingError(f"{wheel} is not a wheel (a .whl file)", hint="pass the path of a .whl file")
    if not wheel.is_file():
        raise PackagingError(f"{wheel}: no such file", hint="pass the path of a .whl file")
    with tempfile.TemporaryDirectory(prefix="ironwheel-repair-") as name:
        work = Path(name)
        with open_wheel(wheel) as archive:
            entries: dict[str, Source] = dict(archive.extract(work / "wheel"))
            dist_info = archive.dist_info
        dist_name, version = _name_version(entries, dist_info)
        options = Options(
            manylinux=settings.manylinux,
            exclude=settings.exclude,
            macos_archs=settings.macos_archs,
            lib_dirs=tuple(path.resolve() for path in lib_dirs),
            environ=dict(os.environ),
        )
        entries, wheel_name = finish(
            entries,
            wheel_name=wheel.name,
            dist_info=dist_info,
            decision=decide_for_repair_command(settings.mode),
            options=options,
            work_dir=work / "tool",
            name=dist_name,
            version=version,
        )
        target = write_wheel(out_dir / wheel_name, entries, dist_info=dist_info, epoch=source_date_epoch())
    log.info("wrote %s", target)
    return target
