"""What the Windows loader reads from a PE file (DLL, .pyd, .exe): the DLLs it imports."""

from __future__ import annotations

import dataclasses
import struct
from collections.abc import Iterator
from pathlib import Path

__all__ = ["PEFile", "is_pe", "read_pe"]

_MACHINES = {0x14C: "x86", 0x8664: "x64", 0xAA64: "arm64", 0x1C4: "arm"}


@dataclasses.dataclass(frozen=True)
class PEFile:
    """The DLL names a PE file imports (normal and delay-loaded) and its machine."""

    needed: tuple[str, ...]
    machine: str
    imports: tuple[tuple[str, str], ...] = ()  # (DLL, symbol); only when asked for (symbols=True)


def is_pe(head: bytes) -> bool:
    return head.startswith(b"MZ")


def parse_pe(data: bytes, *, symbols: bool = False) -> PEFile:
    """Parse the import directories of a PE image; ValueError if it is malformed.

    ``symbols`` also reads the names imported from each DLL (an import by
    ordinal is given as ``#N``).
    """
    try:
        (pe_offset,) = struct.unpack_from("<I", data, 0x3C)
        if data[pe_offset : pe_offset + 4] != b"PE\0\0":
            msg = "not a PE file"
            raise ValueError(msg)
        machine, sections, _time, _symbols, _count, optional_size, _flags = struct.unpack_from(
            "<HHIIIHH", data, pe_offset + 4
        )
        optional = pe_offset + 24
        (magic,) = struct.unpack_from("<H", data, optional)
        thunk, ordinal_flag = ("<Q", 1 << 63) if magic == 0x20B else ("<I", 1 << 31)
        directories = optional + (112 if magic == 0x20B else 96)
        table = optional + optional_size
        section_list: list[tuple[int, int, int, int]] = [
            struct.unpack_from("<8xIIII", data, table + index * 40) for index in range(sections)
        ]

        def offset_of(rva: int) -> int:
            for virtual_size, address, raw_size, raw_offset in section_list:
                if address <= rva < address + max(virtual_size, raw_size):
                    return rva - address + raw_offset
            msg = f"RVA {rva:#x} is in no section"
            raise ValueError(msg)

        def name_at(rva: int) -> str:
            start = offset_of(rva)
            return data[start : data.index(b"\0", start)].decode("ascii", errors="replace")

        def names_at(dll: str, rva: int) -> Iterator[tuple[str, str]]:
            position, step = offset_of(rva), struct.calcsize(thunk)
            while entry := struct.unpack_from(thunk, data, position)[0]:
                yield dll, f"#{entry & 0xFFFF}" if entry & ordinal_flag else name_at(entry + 2)
                position += step

        needed: dict[str, None] = {}
        imports: dict[tuple[str, str], None] = {}
        # Data directory 1 is the import table (20-byte descriptors), 13 the delay-load
        # table (32-byte descriptors); both end with an all-zero descriptor. The names
        # are in the lookup table (field 0, 16 when delay-loaded), else the address table.
        for index, size, name_field, tables in ((1, 20, 12, (0, 16)), (13, 32, 4, (16, 12))):
            (rva,) = struct.unpack_from("<I", data, directories + index * 8)
            if not rva:
                continue
            position = offset_of(rva)
            while any(data[position : position + size]):
                (name_rva,) = struct.unpack_from("<I", data, position + name_field)
                dll = name_at(name_rva)
                needed[dll] = None
                if symbols:
                    lookup = next(
                        (
                            value
                            for table in tables
                            if (value := struct.unpack_from("<I", data, position + table)[0])
                        ),
                        0,
                    )
                    imports.update(dict.fromkeys(names_at(dll, lookup) if lookup else ()))
                position += size
    except (struct.error, IndexError, OverflowError) as error:
        msg = f"malformed PE file: {error}"
        raise ValueError(msg) from error
    return PEFile(tuple(needed), _MACHINES.get(machine, hex(machine)), tuple(imports))


def read_pe(path: Path) -> PEFile:
    """Read ``path``; ValueError if it is not a well-formed PE file."""
    return parse_pe(path.read_bytes())
