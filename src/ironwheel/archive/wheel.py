"""Staged files -> one deterministic wheel, written atomically.

Entries are sorted with the ``.dist-info`` directory last and ``RECORD`` the
very last entry; every entry gets the same timestamp (``SOURCE_DATE_EPOCH``,
else 1980-01-01) and a normalised mode (0644, or 0755 for executables).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import stat
import time
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Union

from ironwheel._faults import stall
from ironwheel._fs import atomic_output
from ironwheel._version import __version__
from ironwheel.errors import PackagingError

__all__ = ["Source", "is_executable", "render_wheel_file", "write_wheel"]

Source = Union[Path, bytes]

_CHUNK = 1 << 20


def render_wheel_file(tags: Sequence[str], *, purelib: bool) -> bytes:
    """The ``.dist-info/WHEEL`` file; compressed tag sets are expanded."""
    lines = [
        "Wheel-Version: 1.0",
        f"Generator: ironwheel {__version__}",
        f"Root-Is-Purelib: {'true' if purelib else 'false'}",
    ]
    for tag in tags:
        interpreters, abis, platforms = tag.split("-")
        lines.extend(
            f"Tag: {i}-{a}-{p}"
            for i in interpreters.split(".")
            for a in abis.split(".")
            for p in platforms.split(".")
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _check_names(names: Iterable[str]) -> None:
    """Refuse what installers refuse: unsafe paths, and paths that collide once unpacked."""
    from ironwheel.archive.wheelfile import case_twin, name_problem, nested_member

    for name in names:
        problem = name_problem(name)
        if problem is not None:
            raise PackagingError(
                f'"{name}" is not a valid path inside a wheel: it {problem}',
                hint="rename the file, or give its install() a relative DESTINATION inside the package",
            )
    twin = case_twin(names)
    if twin is not None:
        raise PackagingError(
            f'"{twin[0]}" and "{twin[1]}" differ only in case',
            hint="rename one: installed on Windows or macOS, one would overwrite the other",
        )
    nested = nested_member(names)
    if nested is not None:
        raise PackagingError(
            f'"{nested[0]}" would be installed inside "{nested[1]}", which is a file',
            hint="a path cannot be both a file and a directory; rename one",
        )


def _digest(digest: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _zip_info(name: str, date_time: tuple[int, int, int, int, int, int], executable: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so that the mode below is honoured everywhere
    mode = 0o755 if executable else 0o644
    info.external_attr = (stat.S_IFREG | mode) << 16
    return info


def is_executable(name: str, source: Source, executables: frozenset[str] = frozenset()) -> bool:
    """Whether the entry is written with mode 0755: named so, or a file with an execute bit."""
    if name in executables:
        return True
    if isinstance(source, bytes):
        return False
    return bool(source.stat().st_mode & 0o111)


def write_wheel(
    target: Path,
    entries: Mapping[str, Source],
    *,
    dist_info: str,
    epoch: int,
    executables: frozenset[str] = frozenset(),
    work_dir: Path | None = None,
    digests: dict[str, str] | None = None,
) -> Path:
    """Write ``entries`` (wheel path -> file or bytes) and RECORD to ``target``.

    The archive is written in ``work_dir`` (else a temporary directory) and moved
    to ``target`` when complete. ``digests``, when given, gets the sha256 (hex) of
    every entry written.
    """
    record_name = f"{dist_info}/RECORD"
    _check_names(list(entries))
    body = sorted(name for name in entries if not name.startswith(f"{dist_info}/"))
    meta = sorted(name for name in entries if name.startswith(f"{dist_info}/") and name != record_name)
    date_time = time.gmtime(epoch)[:6]
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    with atomic_output(target, work_dir=work_dir) as temporary, zipfile.ZipFile(temporary, "w") as archive:
        for name in (*body, *meta):
            source = entries[name]
            executable = is_executable(name, source, executables)
            info = _zip_info(name, date_time, executable)
            hasher = hashlib.sha256()
            if isinstance(source, bytes):
                hasher.update(source)
                archive.writestr(info, source)
                size = len(source)
            else:
                size = 0
                info.file_size = source.stat().st_size
                with (
                    source.open("rb") as handle,
                    archive.open(info, "w", force_zip64=info.file_size > 1 << 30) as out,
                ):
                    for chunk in iter(lambda: handle.read(_CHUNK), b""):
                        hasher.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
            writer.writerow([name, _digest(hasher.digest()), size])
            if digests is not None:
                digests[name] = hasher.hexdigest()
        stall("pack")
        writer.writerow([record_name, "", ""])
        archive.writestr(_zip_info(record_name, date_time, False), record.getvalue().encode("utf-8"))
    return target
