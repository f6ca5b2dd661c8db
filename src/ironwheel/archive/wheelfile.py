"""Reading a wheel that someone else made, without trusting it.

:func:`open_wheel` checks every member of the central directory before a
byte is unpacked: names that could escape the target directory or collide
on a case-insensitive file system, symbolic links, compression methods
other than the two a wheel may use, and sizes that no honest wheel has
(zip bombs). It then checks ``RECORD``: every member listed exactly once,
every listed path present. :meth:`Wheel.extract` and :meth:`Wheel.read`
stream each member, stop at the size its header declares and compare the
bytes with the hash and size that ``RECORD`` gives.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import hashlib
import io
import re
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType

from ironwheel.errors import PackagingError

__all__ = ["Limits", "Member", "Wheel", "case_twin", "name_problem", "nested_member", "open_wheel"]

_HINT = "rebuild the wheel with a standards-compliant build backend; such a wheel is refused, not unpacked"
_CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")
_SIGNATURES = ("RECORD.jws", "RECORD.p7s")
_WEAK_HASHES = frozenset({"md5", "sha1"})


@dataclasses.dataclass(frozen=True)
class Limits:
    """What no honest wheel exceeds."""

    total_size: int = 16 << 30  # uncompressed bytes, all members together
    # deflate cannot compress better than about 1032:1: more is an overlapping-member bomb
    ratio: float = 1100.0
    members: int = 500_000


@dataclasses.dataclass(frozen=True)
class Member:
    """One file of the wheel, as its central directory and RECORD describe it."""

    name: str
    size: int
    crc: int
    executable: bool


def _problem(wheel: Path, message: str) -> PackagingError:
    return PackagingError(f"{wheel.name}: {message}", hint=_HINT)


def _name_problem(name: str) -> str | None:
    parts = name.rstrip("/").split("/")
    if not name or name.startswith("/"):
        return "is an absolute path"
    if "\\" in name:
        return "holds a backslash"
    if _DRIVE.match(name):
        return "starts with a drive letter"
    if ".." in parts:
        return 'climbs out of the wheel with ".."'
    if "" in parts or "." in parts:
        return 'has an empty or "." path component'
    if any(ord(char) < 32 or char == "\x7f" for char in name):
        return "holds a control character"
    if any("\ud800" <= char <= "\udfff" for char in name):
        return "holds bytes that are not UTF-8"
    return None


def _is_record(name: str) -> bool:
    head, _, tail = name.rpartition("/")
    return head.endswith(".dist-info") and "/" not in head and tail in ("RECORD", *_SIGNATURES)


def _check_members(wheel: Path, infos: list[zipfile.ZipInfo], limits: Limits) -> list[Member]:
    if len(infos) > limits.members:
        raise _problem(wheel, f"it has {len(infos)} members, more than the limit of {limits.members}")
    members: list[Member] = []
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        name = info.filename
        shown = f'member "{name}"'
        problem = _name_problem(name)
        if problem:
            raise _problem(wheel, f"{shown} {problem}")
        folded = name.rstrip("/").casefold()
        if folded in seen:
            other = seen[folded]
            what = "appears twice" if other == name else f'differs from "{other}" only in case'
            raise _problem(wheel, f"{shown} {what}")
        seen[folded] = name
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_ISLNK(mode):
            raise _problem(wheel, f"{shown} is a symbolic link")
        if info.is_dir():
            continue
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _problem(wheel, f"{shown} uses compression method {info.compress_type}, not deflate")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _CHUNK and ratio > limits.ratio:
            raise _problem(
                wheel,
                f"{shown} would unpack to {info.file_size} bytes from {info.compress_size} "
                f"(a ratio of {ratio:.0f}:1)",
            )
        total += info.file_size
        if total > limits.total_size:
            raise _problem(wheel, f"it would unpack to more than {limits.total_size} bytes")
        executable = bool(mode & stat.S_IXUSR) if info.create_system == 3 else False
        members.append(Member(name, info.file_size, info.CRC, executable))
    clash = nested_member([member.name for member in members])
    if clash is not None:
        raise _problem(wheel, f'member "{clash[0]}" lies inside the file "{clash[1]}"')
    return members


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a member of a wheel (it could escape or mislead), or None."""
    return _name_problem(name)


def case_twin(names: Iterable[str]) -> tuple[str, str] | None:
    """Two names that differ only in case (one overwrites the other on Windows and macOS)."""
    seen: dict[str, str] = {}
    for name in names:
        other = seen.setdefault(name.casefold(), name)
        if other != name:
            return name, other
    return None


def nested_member(names: Iterable[str]) -> tuple[str, str] | None:
    """A member below another member that is a file, as ``(member, file)``: it cannot be unpacked."""
    files = {name.casefold(): name for name in names}
    for name in files.values():
        parts = name.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth]).casefold()
            if parent in files:
                return name, files[parent]
    return None


def _dist_info(wheel: Path, members: list[Member]) -> str:
    found = sorted(
        {m.name.split("/", 1)[0] for m in members if m.name.split("/", 1)[0].endswith(".dist-info")}
    )
    if len(found) != 1:
        raise _problem(wheel, f"it has {len(found)} .dist-info directories instead of one")
    names = {member.name for member in members}
    for required in ("METADATA", "RECORD"):
        if f"{found[0]}/{required}" not in names:
            raise _problem(wheel, f"{found[0]}/{required} is missing")
    return found[0]


def _parse_record(
    wheel: Path, text: str, where: str, members: list[Member]
) -> dict[str, tuple[str, str, int]]:
    """RECORD's rows: path -> (algorithm, digest, size); checked against the members."""
    rows: dict[str, tuple[str, str, int]] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row:
            continue
        if len(row) != 3:
            raise _problem(wheel, f"{where} line {number} has {len(row)} fields instead of 3")
        path, digest, size = row
        if path in rows:
            raise _problem(wheel, f'{where} lists "{path}" twice')
        if _is_record(path):
            rows[path] = ("", "", -1)
            continue
        algorithm, _, value = digest.partition("=")
        if algorithm not in hashlib.algorithms_guaranteed or algorithm in _WEAK_HASHES or not value:
            raise _problem(wheel, f'{where} gives "{path}" the hash "{digest}", not sha256 or stronger')
        if not size.isdigit():
            raise _problem(wheel, f'{where} gives "{path}" the size "{size}"')
        rows[path] = (algorithm, value, int(size))
    names = {member.name for member in members}
    for path in rows:
        if path not in names:
            raise _problem(wheel, f'{where} lists "{path}", which is not in the wheel')
    for member in members:
        if member.name not in rows and not _is_record(member.name):
            raise _problem(wheel, f'member "{member.name}" is not listed in {where}')
    return rows


class Wheel:
    """A wheel whose members and RECORD passed the checks; read it through this."""

    def __init__(self, path: Path, limits: Limits = Limits()) -> None:
        self.path = path
        try:
            self._archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
            raise _problem(path, f"not a valid zip archive ({error})") from None
        try:
            self.members = tuple(_check_members(path, self._archive.infolist(), limits))
            self.dist_info = _dist_info(path, list(self.members))
            self._by_name = {member.name: member for member in self.members}
            record = f"{self.dist_info}/RECORD"
            text = self._read(self._by_name[record]).decode("utf-8", errors="strict")
            self._record = _parse_record(path, text, record, list(self.members))
        except UnicodeDecodeError:
            self.close()
            raise _problem(path, f"{self.dist_info}/RECORD is not UTF-8") from None
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Wheel:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._archive.close()

    def _chunks(self, member: Member) -> Iterator[bytes]:
        """The member's bytes, never more than its header declares, with its hash checked."""
        expected = self._record.get(member.name) if hasattr(self, "_record") else None
        hasher = hashlib.new(expected[0]) if expected and expected[0] else None
        size = 0
        try:
            with self._archive.open(member.name) as handle:
                while chunk := handle.read(_CHUNK):
                    size += len(chunk)
                    if size > member.size:
                        raise _problem(self.path, f'member "{member.name}" holds more than its header says')
                    if hasher is not None:
                        hasher.update(chunk)
                    yield chunk
        except (zipfile.BadZipFile, EOFError, zlib.error, ValueError) as error:
            raise _problem(self.path, f'member "{member.name}" is damaged ({error})') from None
        if size != member.size:
            raise _problem(self.path, f'member "{member.name}" holds less than its header says')
        if expected and expected[0]:
            if expected[2] != size:
                raise _problem(
                    self.path, f'member "{member.name}" is {size} bytes, but RECORD says {expected[2]}'
                )
            assert hasher is not None
            digest = base64.urlsafe_b64encode(hasher.digest()).rstrip(b"=").decode("ascii")
            if digest != expected[1].rstrip("="):
                raise _problem(self.path, f'member "{member.name}" does not match its hash in RECORD')

    def _read(self, member: Member) -> bytes:
        return b"".join(self._chunks(member))

    def read(self, name: str) -> bytes:
        """One member's bytes, checked against RECORD."""
        member = self._by_name.get(name)
        if member is None:
            raise KeyError(name)
        return self._read(member)

    def verify(self) -> None:
        """Read every member once, checking it against RECORD."""
        for member in self.members:
            for _chunk in self._chunks(member):
                pass

    def extract_member(self, member: Member, directory: Path) -> Path:
        """Unpack one member below ``directory`` (its executable bit kept)."""
        path = directory.joinpath(*member.name.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as target:
            for chunk in self._chunks(member):
                target.write(chunk)
        path.chmod(0o755 if member.executable else 0o644)
        return path

    def extract(self, directory: Path) -> dict[str, Path]:
        """Unpack every member but RECORD into ``directory``; name -> file."""
        return {
            member.name: self.extract_member(member, directory)
            for member in self.members
            if not _is_record(member.name)
        }


def open_wheel(path: Path, limits: Limits = Limits()) -> Wheel:
    """Open and check a wheel; every way it can be unsafe is a :class:`PackagingError`."""
    return Wheel(path, limits)
