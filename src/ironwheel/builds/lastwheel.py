"""The last wheel of a build directory, handed out again while what goes into it is the same.

A wheel is a function of its entries (names, contents, modes), of the time
stamped on them (``SOURCE_DATE_EPOCH``) and of the writer (ironwheel's
version, zlib's). Once a build has its final entries (after the repair),
their sha256 digests are compared with those of the wheel the last build
wrote, which is kept in ``.ironwheel/wheel/``: when every one is the same,
that file is copied into the output directory instead of zipping again. A
file keeps the digest the last build computed while its signature
(``_records.signature``) is the one it had then, and was not changed in the
moment before it was taken; any other file is read. The kept wheel itself is
used only while it has the signature it had when it was written: a wheel
removed or changed there is written again.

``.ironwheel/wheel.json`` holds the key (the digest of all that) of the kept
wheel, its name and signature, the digests by file signature, and the files
its entries were read from.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ironwheel._fs import atomic_output
from ironwheel._records import is_racy, signature
from ironwheel._version import __version__
from ironwheel.archive.wheel import Source, is_executable, write_wheel
from ironwheel.cmake.builddir import BuildDir

__all__ = ["LastWheel"]

log = logging.getLogger("ironwheel")

_CHUNK = 1 << 20


def _file_digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


class LastWheel:
    """The wheel kept in one build directory (none in a temporary one)."""

    def __init__(self, build_dir: BuildDir) -> None:
        self.build_dir = build_dir
        self.record = build_dir.record("wheel")
        self._kept: dict[str, Any] = (
            self.record.load(lambda data: data if isinstance(data, dict) else {}) or {}
        )
        known = self._kept.get("digests")
        self._digests: dict[str, list[Any]] = known if isinstance(known, dict) else {}
        self._now = time.time_ns()
        self._seen: dict[str, list[Any]] = {}  # path -> [signature, digest] of the files of this build
        self._entries: dict[str, str] = {}  # entry -> the digest the key holds
        self._sources: list[str] = []  # the files the entries are read from

    @property
    def directory(self) -> Path:
        """Where the kept wheel is, and where a new one is written first."""
        return self.build_dir.last_wheel

    def _digest(self, source: Source) -> str:
        if isinstance(source, bytes):
            return hashlib.sha256(source).hexdigest()
        path = str(source)
        sig = signature(source)
        known = self._digests.get(path)
        if sig is not None and known is not None and known[0] == sig:
            digest = str(known[1])
        else:
            digest = _file_digest(source)
        if sig is not None and not is_racy(sig, self._now):
            self._seen[path] = [sig, digest]
        return digest

    def key(
        self,
        entries: Mapping[str, Source],
        executables: frozenset[str],
        *,
        dist_info: str,
        epoch: int,
        name: str,
    ) -> str:
        """The digest of everything the wheel ``name`` written from ``entries`` depends on."""
        self._entries = {entry: self._digest(source) for entry, source in sorted(entries.items())}
        self._sources = sorted({str(source) for source in entries.values() if not isinstance(source, bytes)})
        described = [
            [entry, digest, is_executable(entry, entries[entry], executables)]
            for entry, digest in self._entries.items()
        ]
        inputs = [__version__, zlib.ZLIB_RUNTIME_VERSION, dist_info, epoch, name, described]
        return hashlib.sha256(json.dumps(inputs).encode("utf-8")).hexdigest()

    def take(self, key: str, target: Path) -> bool:
        """Copy the kept wheel to ``target`` if it is the one ``key`` describes and nothing touched it."""
        if self.build_dir.temporary or self._kept.get("key") != key:
            return False
        kept = self.directory / str(self._kept.get("name"))
        if kept.name != target.name or signature(kept) != self._kept.get("signature"):
            return False
        self._hand_out(kept, target)
        if self._kept.get("digests") != self._seen or self._kept.get("sources") != self._sources:
            # The same entries read from other files, or from files rewritten: what the
            # record holds of them is what ``builds/reusable.py`` checks.
            self._save(key, kept)
        log.info(
            "the wheel's files are those of the last build: copied its wheel instead of writing it again"
        )
        return True

    def write(
        self,
        key: str,
        target: Path,
        entries: Mapping[str, Source],
        executables: frozenset[str],
        *,
        dist_info: str,
        epoch: int,
    ) -> None:
        """Write the wheel here, keep it for ``key``, and copy it to ``target``."""
        self.forget()
        digests: dict[str, str] = {}
        written = write_wheel(
            self.directory / target.name,
            entries,
            dist_info=dist_info,
            epoch=epoch,
            executables=executables,
            work_dir=self.build_dir.outputs,
            digests=digests,
        )
        self.keep(written, key, digests)
        self._hand_out(written, target)

    def _hand_out(self, kept: Path, target: Path) -> None:
        with atomic_output(target, work_dir=self.build_dir.outputs) as temporary:
            shutil.copyfile(kept, temporary)

    def keep(self, written: Path, key: str, digests: Mapping[str, str]) -> None:
        """Keep the wheel just ``written`` (in :meth:`directory`) for the entries :meth:`key` described.

        ``digests`` are those of what the writer read, by entry: a file that
        changed between the key and the writing makes a wheel that the key
        does not describe, and it is not kept.
        """
        for other in self.directory.iterdir():
            if other != written:
                other.unlink()
        if self.build_dir.temporary:
            return
        if digests != self._entries:
            log.debug("not keeping %s: a file changed while it was written", written.name)
            return
        self._save(key, written)

    def _save(self, key: str, wheel: Path) -> None:
        self.record.save(
            {
                "key": key,
                "name": wheel.name,
                "signature": signature(wheel),
                "digests": self._seen,
                "sources": self._sources,
            }
        )

    def forget(self) -> None:
        """Before the kept wheel is replaced: no record may name a wheel half written."""
        self.record.forget()
        os.makedirs(self.directory, exist_ok=True)
