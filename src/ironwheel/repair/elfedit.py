"""Rewriting an ELF file's library search path (DT_RUNPATH / DT_RPATH) in place.

A new search path can always be written over the old one in ``.dynstr``
when it is not longer: the rest of the old string becomes NUL bytes, and
nothing moves. CMake reserves such room in every binary it installs (see
``cmake/rpath.py``), so the project's own binaries are relinked without
patchelf. An empty search path removes the entries from the dynamic section
altogether: an empty DT_RUNPATH string would make the loader search the
current directory.

The old string must belong to the search path alone. A linker may let a
shorter string (a symbol name, a library name) share the tail of a longer
one; such a file is left alone (:class:`NoRoomError`), as is one without a
search path entry to reuse.

The linker hashed the file as it was linked, with the build tree's search
path, into the GNU build-id; an edited file gets a build-id hashed from its
new content (:func:`refresh_build_id`), so that the same sources built in
two directories give the same bytes.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from pathlib import Path

from ironwheel.repair.elf import Reader, file_offset, segments

__all__ = ["NoRoomError", "refresh_build_id", "rewrite_search_path", "set_search_path"]

_PT_DYNAMIC = 2
_PT_NOTE = 4
_NT_GNU_BUILD_ID = 3
_SHT_DYNSYM = 11
_DT_NULL = 0
_DT_HASH = 4
_DT_STRTAB = 5
_DT_SYMTAB = 6
_DT_STRSZ = 10
_DT_SYMENT = 11
_DT_RPATH = 15
_DT_RUNPATH = 29
_DT_VERDEF = 0x6FFFFFFC
_DT_VERDEFNUM = 0x6FFFFFFD
_DT_VERNEED = 0x6FFFFFFE
_DT_VERNEEDNUM = 0x6FFFFFFF
_SEARCH = frozenset({_DT_RPATH, _DT_RUNPATH})
_Segments = list[tuple[int, int, int, int]]
# Dynamic entries whose value is an offset into the string table.
_STRINGS = frozenset(
    {1, 14, _DT_RPATH, _DT_RUNPATH, 0x7FFFFFFD, 0x7FFFFFFF, 0x6FFFFEFA, 0x6FFFFEFB, 0x6FFFFEFC}
)


class NoRoomError(Exception):
    """The search path cannot be written in place; the message says why."""


def _symbol_names(reader: Reader, table: _Segments, values: dict[int, int]) -> list[int]:
    """String offsets of the dynamic symbols' names (section headers, else DT_HASH)."""
    wide = reader.wide
    shoff = reader.unpack("Q" if wide else "I", 40 if wide else 32)[0]
    shentsize, shnum = reader.unpack("HH", 58 if wide else 46)
    layout = "IIQQQQIIQQ" if wide else "IIIIIIIIII"
    for index in range(shnum if shoff else 0):
        fields = reader.unpack(layout, shoff + index * shentsize)
        if fields[1] == _SHT_DYNSYM:
            offset, size, entsize = fields[4], fields[5], fields[9]
            return [reader.unpack("I", offset + n * entsize)[0] for n in range(size // max(entsize, 1))]
    if _DT_HASH in values and _DT_SYMTAB in values:
        count = reader.unpack("I", file_offset(table, values[_DT_HASH]) + 4)[0]
        start = file_offset(table, values[_DT_SYMTAB])
        entsize = values.get(_DT_SYMENT, 24 if wide else 16)
        return [reader.unpack("I", start + n * entsize)[0] for n in range(count)]
    raise NoRoomError("its symbol names cannot be found (no section headers and no DT_HASH)")


def _version_names(reader: Reader, table: _Segments, values: dict[int, int]) -> list[int]:
    """String offsets of the version needs' and definitions' names."""
    found: list[int] = []
    if _DT_VERNEED in values:
        position = file_offset(table, values[_DT_VERNEED])
        for _ in range(values.get(_DT_VERNEEDNUM, 0)):
            _version, count, file_name, aux, following = reader.unpack("HHIII", position)
            found.append(file_name)
            aux_position = position + aux
            for _ in range(count):
                _hash, _flags, _other, name, aux_next = reader.unpack("IHHII", aux_position)
                found.append(name)
                aux_position += aux_next
            if not following:
                break
            position += following
    if _DT_VERDEF in values:
        position = file_offset(table, values[_DT_VERDEF])
        for _ in range(values.get(_DT_VERDEFNUM, 0)):
            _version, _flags, _index, count, _hash, aux, following = reader.unpack("HHHHIII", position)
            aux_position = position + aux
            for _ in range(count):
                name, aux_next = reader.unpack("II", aux_position)
                found.append(name)
                aux_position += aux_next
            if not following:
                break
            position += following
    return found


def rewrite_search_path(data: bytearray, entries: Sequence[str]) -> None:
    """Make the search path of the ELF image ``data`` exactly ``entries``, in place.

    Raises :class:`NoRoomError` when that is impossible without moving anything,
    and ValueError when ``data`` is not a well-formed ELF image.
    """
    reader = Reader(bytes(data))
    try:
        _rewrite(reader, data, ":".join(entries).encode("utf-8", errors="surrogateescape"))
    except (struct.error, KeyError, IndexError, OverflowError) as error:
        msg = f"malformed ELF file: {error}"
        raise ValueError(msg) from error


def _rewrite(reader: Reader, data: bytearray, new: bytes) -> None:
    table = segments(reader)
    dynamic = next(((offset, size) for kind, offset, _v, size in table if kind == _PT_DYNAMIC), None)
    if dynamic is None:
        if not new:
            return
        raise NoRoomError("it is linked statically")
    layout, entry_size = ("qQ", 16) if reader.wide else ("iI", 8)
    start, size = dynamic
    entries: list[tuple[int, int]] = []
    for position in range(start, start + size - entry_size + 1, entry_size):
        tag, value = reader.unpack(layout, position)
        if tag == _DT_NULL:
            break
        entries.append((tag, value))
    values = dict(entries)
    search = sorted({value for tag, value in entries if tag in _SEARCH})
    if not search:
        if not new:
            return
        raise NoRoomError("it has no DT_RUNPATH or DT_RPATH entry to rewrite")
    strtab = file_offset(table, values[_DT_STRTAB])
    limit = values.get(_DT_STRSZ, len(data) - strtab)
    others = [value for tag, value in entries if tag in _STRINGS and tag not in _SEARCH]
    others += _version_names(reader, table, values) + _symbol_names(reader, table, values)
    spans: list[tuple[int, int]] = []
    for offset in search:
        end = data.index(b"\0", strtab + offset) - strtab
        if end >= limit:
            msg = "the search path runs past the string table"
            raise ValueError(msg)
        if any(offset <= other < end for other in others):
            if not new:
                continue  # dropping the entries is enough; the other name keeps its bytes
            raise NoRoomError("its search path string is shared with another name")
        if len(new) > end - offset:
            raise NoRoomError(f"its search path has room for {end - offset} bytes, {len(new)} are needed")
        spans.append((offset, end))
    for offset, end in spans:
        data[strtab + offset : strtab + end] = new.ljust(end - offset, b"\0")
    if new:
        return
    # No search path at all: drop its entries, keeping the others in order, NULs after them.
    kept = [(tag, value) for tag, value in entries if tag not in _SEARCH]
    packed = b"".join(struct.pack(reader.order + layout, tag, value) for tag, value in kept)
    data[start : start + entry_size * len(entries)] = packed.ljust(entry_size * len(entries), b"\0")


def _build_ids(reader: Reader) -> list[tuple[int, int]]:
    """(file offset, size) of the descriptor of every GNU build-id note in the note segments."""
    if reader.wide:
        phoff, phentsize, phnum = reader.unpack("Q", 32)[0], *reader.unpack("HH", 54)
    else:
        phoff, phentsize, phnum = reader.unpack("I", 28)[0], *reader.unpack("HH", 42)
    found: list[tuple[int, int]] = []
    for index in range(phnum):
        position = phoff + index * phentsize
        if reader.wide:
            kind, _flags, offset, _vaddr, _paddr, size, _memsz, align = reader.unpack("IIQQQQQQ", position)
        else:
            kind, offset, _vaddr, _paddr, size, _memsz, _flags, align = reader.unpack("IIIIIIII", position)
        if kind != _PT_NOTE:
            continue
        step = 8 if align == 8 else 4  # notes are padded to their segment's alignment (4 or 8)
        note, end = offset, offset + size
        while note + 12 <= end:
            name_size, desc_size, note_type = reader.unpack("III", note)
            desc = note + 12 + -(-name_size // step) * step
            name = reader.data[note + 12 : note + 12 + name_size]
            if note_type == _NT_GNU_BUILD_ID and name == b"GNU\0" and desc + desc_size <= end:
                found.append((desc, desc_size))
            note = desc + -(-desc_size // step) * step
    return found


def refresh_build_id(data: bytearray) -> None:
    """Give the ELF image ``data`` a GNU build-id hashed from its content (that id's bytes zeroed).

    A file without a build-id is left alone; ValueError if it is malformed.
    """
    try:
        notes = _build_ids(Reader(bytes(data)))
    except (struct.error, IndexError, OverflowError) as error:
        msg = f"malformed ELF file: {error}"
        raise ValueError(msg) from error
    for offset, size in notes:
        data[offset : offset + size] = bytes(size)
    if notes:
        digest = hashlib.shake_256(bytes(data)).digest(max(size for _offset, size in notes))
        for offset, size in notes:
            data[offset : offset + size] = digest[:size]


def set_search_path(path: Path, entries: Sequence[str]) -> None:
    """:func:`rewrite_search_path` on a file, then :func:`refresh_build_id` if anything changed."""
    before = path.read_bytes()
    data = bytearray(before)
    rewrite_search_path(data, entries)
    if data != before:
        refresh_build_id(data)
        path.write_bytes(data)
