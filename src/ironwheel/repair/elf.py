"""What the dynamic loader reads from an ELF file: SONAME, NEEDED, RPATH, version needs.

A small reader of the dynamic section, so that ironwheel itself needs no
ELF library: only the program headers, the dynamic entries, the string
table and the version-needs table they point at are parsed.
"""

from __future__ import annotations

import dataclasses
import struct
from pathlib import Path

__all__ = [
    "ElfFile",
    "Reader",
    "file_offset",
    "is_elf",
    "parse_elf",
    "read_elf",
    "segments",
    "undefined_symbols",
]

MAGIC = b"\x7fELF"

_PT_LOAD = 1
_PT_DYNAMIC = 2
_DT_NULL = 0
_DT_NEEDED = 1
_DT_STRTAB = 5
_DT_SONAME = 14
_DT_RPATH = 15
_DT_RUNPATH = 29
_DT_VERNEED = 0x6FFFFFFE
_DT_VERNEEDNUM = 0x6FFFFFFF
_SHT_DYNSYM = 11


@dataclasses.dataclass(frozen=True)
class ElfFile:
    """The dynamic-linking facts of one ELF file."""

    soname: str | None
    needed: tuple[str, ...]
    rpath: tuple[str, ...]  # DT_RUNPATH, else DT_RPATH, split at ':'
    version_needs: tuple[tuple[str, str], ...]  # (library, version), e.g. ("libc.so.6", "GLIBC_2.34")
    machine: int


def is_elf(head: bytes) -> bool:
    return head.startswith(MAGIC)


class Reader:
    """Unpacks fields of an ELF image in its own byte order and word size."""

    def __init__(self, data: bytes) -> None:
        if not data.startswith(MAGIC) or len(data) < 64:
            msg = "not an ELF file"
            raise ValueError(msg)
        self.data = data
        self.wide = data[4] == 2
        self.order = "<" if data[5] == 1 else ">"

    def unpack(self, layout: str, offset: int) -> tuple[int, ...]:
        return struct.unpack_from(self.order + layout, self.data, offset)

    def string(self, offset: int) -> str:
        end = self.data.index(b"\0", offset)
        return self.data[offset:end].decode("utf-8", errors="surrogateescape")


def segments(reader: Reader) -> list[tuple[int, int, int, int]]:
    """(type, file offset, virtual address, file size) of every program header."""
    if reader.wide:
        phoff, phentsize, phnum = reader.unpack("Q", 32)[0], *reader.unpack("HH", 54)
        layout = "IIQQQQ"  # type, flags, offset, vaddr, paddr, filesz
    else:
        phoff, phentsize, phnum = reader.unpack("I", 28)[0], *reader.unpack("HH", 42)
        layout = "IIIII"  # type, offset, vaddr, paddr, filesz
    found = []
    for index in range(phnum):
        fields = reader.unpack(layout, phoff + index * phentsize)
        if reader.wide:
            kind, _flags, offset, vaddr, _paddr, size = fields
        else:
            kind, offset, vaddr, _paddr, size = fields
        found.append((kind, offset, vaddr, size))
    return found


def file_offset(table: list[tuple[int, int, int, int]], address: int) -> int:
    """The file offset of a virtual address in one of the loaded segments of ``table``."""
    for kind, offset, vaddr, size in table:
        if kind == _PT_LOAD and vaddr <= address < vaddr + size:
            return address - vaddr + offset
    msg = f"address {address:#x} is in no loaded segment"
    raise ValueError(msg)


def parse_elf(data: bytes) -> ElfFile:
    """Parse the dynamic section of an ELF image; ValueError if it is malformed."""
    reader = Reader(data)
    try:
        machine = reader.unpack("H", 18)[0]
        table = segments(reader)
        dynamic = next(((offset, size) for kind, offset, _v, size in table if kind == _PT_DYNAMIC), None)
        if dynamic is None:  # a static executable
            return ElfFile(None, (), (), (), machine)
        entry_layout, entry_size = ("qQ", 16) if reader.wide else ("iI", 8)
        entries: list[tuple[int, int]] = []
        offset, size = dynamic
        for position in range(offset, offset + size, entry_size):
            tag, value = reader.unpack(entry_layout, position)
            if tag == _DT_NULL:
                break
            entries.append((tag, value))
        values = dict(entries)
        strtab = file_offset(table, values[_DT_STRTAB])
        needed = tuple(reader.string(strtab + value) for tag, value in entries if tag == _DT_NEEDED)
        soname = reader.string(strtab + values[_DT_SONAME]) if _DT_SONAME in values else None
        path_tag = _DT_RUNPATH if _DT_RUNPATH in values else _DT_RPATH
        rpath_text = reader.string(strtab + values[path_tag]) if path_tag in values else ""
        needs: list[tuple[str, str]] = []
        if _DT_VERNEED in values:
            position = file_offset(table, values[_DT_VERNEED])
            for _ in range(values.get(_DT_VERNEEDNUM, 0)):
                _version, count, file_name, aux, following = reader.unpack("HHIII", position)
                library = reader.string(strtab + file_name)
                aux_position = position + aux
                for _ in range(count):
                    _hash, _flags, _other, name, aux_next = reader.unpack("IHHII", aux_position)
                    needs.append((library, reader.string(strtab + name)))
                    aux_position += aux_next
                if not following:
                    break
                position += following
    except (struct.error, KeyError, IndexError, OverflowError, ValueError) as error:
        msg = f"malformed ELF file: {error}"
        raise ValueError(msg) from error
    rpath = tuple(item for item in rpath_text.split(":") if item)
    return ElfFile(soname, needed, rpath, tuple(needs), machine)


def undefined_symbols(data: bytes) -> tuple[str, ...]:
    """The names the dynamic symbol table (``.dynsym``) leaves undefined: what the file imports.

    Weak references count too. Read through the section headers; a file
    without them (stripped with sstrip) has none to report. ValueError if the
    image is malformed.
    """
    reader = Reader(data)
    try:
        if reader.wide:
            shoff, (shentsize, shnum) = reader.unpack("Q", 40)[0], reader.unpack("HH", 58)
            header, symbol_size = "IIQQQQIIQQ", 24
        else:
            shoff, (shentsize, shnum) = reader.unpack("I", 32)[0], reader.unpack("HH", 46)
            header, symbol_size = "IIIIIIIIII", 16
        sections = [
            reader.unpack(header, shoff + index * shentsize) for index in range(shnum if shoff else 0)
        ]
        names: list[str] = []
        for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
            if kind != _SHT_DYNSYM:
                continue
            strtab = sections[link][4]
            step = entsize or symbol_size
            for position in range(offset + step, offset + size, step):  # entry 0 is the null symbol
                if reader.wide:
                    name, _st_info, _other, shndx = reader.unpack("IBBH", position)
                else:
                    name, _value, _size, _st_info, _other, shndx = reader.unpack("IIIBBH", position)
                if shndx == 0 and name:
                    names.append(reader.string(strtab + name))
    except (struct.error, IndexError, OverflowError, ValueError) as error:
        msg = f"malformed ELF file: {error}"
        raise ValueError(msg) from error
    return tuple(names)


def read_elf(path: Path) -> ElfFile:
    """Read ``path``; ValueError if it is not a well-formed ELF file."""
    return parse_elf(path.read_bytes())
