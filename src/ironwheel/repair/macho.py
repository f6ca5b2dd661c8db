"""What dyld reads from a Mach-O file: its install name, the dylibs it loads, its rpaths.

Thin files and fat (universal) files are read; the answer for a fat file is
the union over its architectures, which is what install_name_tool changes.
"""

from __future__ import annotations

import dataclasses
import struct
from pathlib import Path

__all__ = ["MachOFile", "is_macho", "read_macho", "undefined_symbols"]

_THIN = {
    b"\xfe\xed\xfa\xce": (">", False),
    b"\xce\xfa\xed\xfe": ("<", False),
    b"\xfe\xed\xfa\xcf": (">", True),
    b"\xcf\xfa\xed\xfe": ("<", True),
}
_FAT = {b"\xca\xfe\xba\xbe": False, b"\xca\xfe\xba\xbf": True}
_MAX_FAT_ARCHS = 30  # Java class files share the fat magic; their "count" is a version number

_LC_REQ_DYLD = 0x80000000
_LC_SYMTAB = 0x2
_LC_LOAD_DYLIB = 0xC
_LC_ID_DYLIB = 0xD
_LC_LOAD_WEAK_DYLIB = 0x18 | _LC_REQ_DYLD
_LC_REEXPORT_DYLIB = 0x1F | _LC_REQ_DYLD
_LC_LOAD_UPWARD_DYLIB = 0x23 | _LC_REQ_DYLD
_LC_RPATH = 0x1C | _LC_REQ_DYLD
_LOADS = frozenset({_LC_LOAD_DYLIB, _LC_LOAD_WEAK_DYLIB, _LC_REEXPORT_DYLIB, _LC_LOAD_UPWARD_DYLIB})


@dataclasses.dataclass(frozen=True)
class MachOFile:
    """The dynamic-linking facts of one Mach-O file."""

    install_name: str | None  # LC_ID_DYLIB
    needed: tuple[str, ...]  # LC_LOAD_DYLIB and friends, in order, without duplicates
    rpath: tuple[str, ...]  # LC_RPATH
    archs: tuple[int, ...]  # CPU types


def is_macho(head: bytes) -> bool:
    if head[:4] in _THIN:
        return True
    if head[:4] in _FAT and len(head) >= 8:
        count: int = struct.unpack(">I", head[4:8])[0]
        return 0 < count <= _MAX_FAT_ARCHS
    return False


def _string(data: bytes, start: int, end: int) -> str:
    raw = data[start:end]
    return raw.split(b"\0", 1)[0].decode("utf-8", errors="surrogateescape")


def _thin(data: bytes, base: int) -> tuple[int, str | None, list[str], list[str]]:
    order, wide = _THIN[data[base : base + 4]]
    cputype, _sub, _filetype, ncmds, _size = struct.unpack_from(order + "iiIII", data, base + 4)
    position = base + (32 if wide else 28)
    install_name = None
    needed: list[str] = []
    rpath: list[str] = []
    for _ in range(ncmds):
        command, size = struct.unpack_from(order + "II", data, position)
        if command in _LOADS or command in (_LC_ID_DYLIB, _LC_RPATH):
            (name_offset,) = struct.unpack_from(order + "I", data, position + 8)
            text = _string(data, position + name_offset, position + size)
            if command == _LC_ID_DYLIB:
                install_name = text
            elif command == _LC_RPATH:
                rpath.append(text)
            else:
                needed.append(text)
        if size < 8:
            msg = "malformed load command"
            raise ValueError(msg)
        position += size
    return cputype, install_name, needed, rpath


def _slices(data: bytes) -> list[int]:
    """The file offsets of the thin images: one, or one per architecture of a fat file."""
    if data[:4] not in _FAT:
        return [0]
    wide = _FAT[data[:4]]
    (count,) = struct.unpack_from(">I", data, 4)
    entry = ">iiQQII" if wide else ">iiIII"
    step = struct.calcsize(entry)
    return [struct.unpack_from(entry, data, 8 + index * step)[2] for index in range(count)]


def _thin_undefined(data: bytes, base: int) -> list[str]:
    order, wide = _THIN[data[base : base + 4]]
    (ncmds,) = struct.unpack_from(order + "I", data, base + 16)
    position = base + (32 if wide else 28)
    names: list[str] = []
    for _ in range(ncmds):
        command, size = struct.unpack_from(order + "II", data, position)
        if command == _LC_SYMTAB:
            symoff, nsyms, stroff, _strsize = struct.unpack_from(order + "IIII", data, position + 8)
            layout = order + ("IBBHQ" if wide else "IBBHI")
            step = struct.calcsize(layout)
            for index in range(nsyms):
                strx, kind, _sect, _desc, _value = struct.unpack_from(
                    layout, data, base + symoff + index * step
                )
                # External (N_EXT), undefined (N_UNDF) and not a debugger entry (N_STAB).
                if kind & 0xE0 == 0 and kind & 0x0E == 0 and kind & 0x01 and strx:
                    name = _string(data, base + stroff + strx, len(data))
                    names.append(name[1:] if name.startswith("_") else name)
        if size < 8:
            msg = "malformed load command"
            raise ValueError(msg)
        position += size
    return names


def undefined_symbols(data: bytes) -> tuple[str, ...]:
    """The external symbols a Mach-O image leaves undefined (without the leading ``_``).

    For a fat file, the union over its architectures. ValueError if malformed.
    """
    if not is_macho(data[:8]):
        msg = "not a Mach-O file"
        raise ValueError(msg)
    try:
        found: dict[str, None] = {}
        for offset in _slices(data):
            found.update(dict.fromkeys(_thin_undefined(data, offset)))
    except (struct.error, KeyError, IndexError, OverflowError, ValueError) as error:
        msg = f"malformed Mach-O file: {error}"
        raise ValueError(msg) from error
    return tuple(found)


def parse_macho(data: bytes) -> MachOFile:
    """Parse a thin or fat Mach-O image; ValueError if it is malformed."""
    if not is_macho(data[:8]):
        msg = "not a Mach-O file"
        raise ValueError(msg)
    try:
        offsets = _slices(data)
        archs: list[int] = []
        install_name: str | None = None
        needed: dict[str, None] = {}
        rpath: dict[str, None] = {}
        for offset in offsets:
            cputype, name, loads, paths = _thin(data, offset)
            archs.append(cputype)
            install_name = install_name or name
            needed.update(dict.fromkeys(loads))
            rpath.update(dict.fromkeys(paths))
    except (struct.error, KeyError, IndexError, OverflowError, ValueError) as error:
        msg = f"malformed Mach-O file: {error}"
        raise ValueError(msg) from error
    return MachOFile(install_name, tuple(needed), tuple(rpath), tuple(archs))


def read_macho(path: Path) -> MachOFile:
    """Read ``path``; ValueError if it is not a well-formed Mach-O file."""
    return parse_macho(path.read_bytes())
