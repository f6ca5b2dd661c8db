"""The fast path: only binaries and metadata go through a repair tool.

A repair tool unzips a wheel, edits a few binaries, adds libraries and
rezips everything, and a wheel with hundreds of megabytes of data pays for
that in zip time alone. Instead the tool gets a *skeleton*: a wheel holding
the binaries, the ``.dist-info`` files and whatever else the tool reads (its
RECORD is consistent). What the tool changed or added is read back from its
output and merged into the full set of entries, which is then zipped once.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

from ironwheel.archive.wheel import Source, write_wheel
from ironwheel.archive.wheelfile import open_wheel
from ironwheel.repair.binaries import binary_format

__all__ = ["Merged", "extract_wheel", "merge_output", "select_skeleton", "wheel_tags", "write_skeleton"]


@dataclasses.dataclass(frozen=True)
class Merged:
    """The entries after the tool's output was merged in."""

    entries: dict[str, Source]
    wheel_name: str
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]


def _is_binary(source: Source) -> bool:
    return isinstance(source, Path) and binary_format(source) is not None


def select_skeleton(entries: Mapping[str, Source], dist_info: str, wants: Callable[[str], bool]) -> list[str]:
    """Binaries, metadata, what the tool asks for, and one file per top-level directory.

    Tools look at the wheel's top-level directories (delvewheel patches each
    package, delocate picks one for its libraries), so each is represented.
    """
    chosen = {
        name
        for name, source in entries.items()
        if name.startswith(f"{dist_info}/") or wants(name) or _is_binary(source)
    }
    covered = {name.split("/", 1)[0] for name in chosen}
    # The smallest file of each directory not represented yet.
    for name in sorted(entries, key=lambda item: (_size(entries[item]), item)):
        top = name.split("/", 1)[0]
        if "/" in name and top not in covered:
            chosen.add(name)
            covered.add(top)
    return sorted(chosen)


def _size(source: Source) -> int:
    return len(source) if isinstance(source, bytes) else source.stat().st_size


def write_skeleton(
    entries: Mapping[str, Source], names: list[str], target: Path, *, dist_info: str, epoch: int
) -> Path:
    """Write the chosen entries as a wheel (with a RECORD) for the tool to read."""
    return write_wheel(
        target,
        {name: entries[name] for name in names},
        dist_info=dist_info,
        epoch=epoch,
        work_dir=target.parent,
    )


def extract_wheel(wheel: Path, directory: Path) -> dict[str, Source]:
    """Unpack a checked wheel (keeping executable bits); return its entries, RECORD left out."""
    with open_wheel(wheel) as archive:
        return dict(archive.extract(directory))


def _is_record(name: str) -> bool:
    head, _, tail = name.rpartition("/")
    return head.endswith(".dist-info") and "/" not in head and tail in ("RECORD", "RECORD.jws", "RECORD.p7s")


def merge_output(entries: Mapping[str, Source], skeleton: Path, output: Path, directory: Path) -> Merged:
    """Merge the tool's ``output`` wheel (made from ``skeleton``) into ``entries``.

    Members whose size and CRC match the skeleton's are left alone; others are
    extracted into ``directory``. Skeleton members missing from the output were
    removed by the tool (auditwheel moves ELF scripts, for instance).
    """
    with zipfile.ZipFile(skeleton) as archive:
        before = {info.filename: (info.file_size, info.CRC) for info in archive.infolist()}
    merged = dict(entries)
    added: list[str] = []
    changed: list[str] = []
    seen: set[str] = set()
    with open_wheel(output) as archive:
        for member in archive.members:
            name = member.name
            if _is_record(name):
                continue
            seen.add(name)
            if before.get(name) == (member.size, member.crc):
                continue
            merged[name] = archive.extract_member(member, directory)
            (changed if name in before else added).append(name)
    removed = sorted(name for name in before if name not in seen and not _is_record(name))
    for name in removed:
        merged.pop(name, None)
    return Merged(merged, output.name, tuple(sorted(added)), tuple(sorted(changed)), tuple(removed))


def wheel_tags(wheel_name: str) -> str:
    """``cp311-cp311-manylinux_2_34_x86_64`` from a wheel file name."""
    stem = wheel_name[: -len(".whl")] if wheel_name.endswith(".whl") else wheel_name
    return "-".join(stem.split("-")[-3:])
