"""Which files are loadable binaries, and what each one needs from the loader.

One view over the three formats: ELF (Linux), Mach-O (macOS) and PE
(Windows). ``name`` is what other binaries use to find the file: the ELF
SONAME, the last part of the Mach-O install name, the DLL's file name.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Literal

from ironwheel.repair import elf, macho
from ironwheel.repair.elf import is_elf, parse_elf
from ironwheel.repair.macho import is_macho, parse_macho
from ironwheel.repair.pe import is_pe, parse_pe

__all__ = ["Binary", "Format", "binary_format", "imported_symbols", "read_binary"]

Format = Literal["elf", "macho", "pe"]


@dataclasses.dataclass(frozen=True)
class Binary:
    """A shared library, extension module or executable."""

    format: Format
    name: str
    needed: tuple[str, ...]
    rpath: tuple[str, ...] = ()


def format_of(head: bytes) -> Format | None:
    """The format of a file whose first bytes are ``head``, or None if it is no binary."""
    if is_elf(head):
        return "elf"
    if is_macho(head):
        return "macho"
    if is_pe(head):
        return "pe"
    return None


def binary_format(path: Path) -> Format | None:
    """The format of ``path`` (by its first bytes), or None."""
    with path.open("rb") as handle:
        return format_of(handle.read(8))


def read_binary(path: Path, data: bytes | None = None) -> Binary | None:
    """Parse ``path`` (or ``data``); None when it is no binary or a malformed one."""
    data = path.read_bytes() if data is None else data
    kind = format_of(data[:8])
    try:
        if kind == "elf":
            elf = parse_elf(data)
            return Binary("elf", elf.soname or path.name, elf.needed, elf.rpath)
        if kind == "macho":
            macho = parse_macho(data)
            name = macho.install_name.rsplit("/", 1)[-1] if macho.install_name else path.name
            return Binary("macho", name, macho.needed, macho.rpath)
        if kind == "pe":
            return Binary("pe", path.name, parse_pe(data).needed)
    except ValueError:
        return None
    return None


def imported_symbols(data: bytes) -> tuple[tuple[str, str], ...] | None:
    """The symbols a binary imports, as ``(library, name)``; None when it is no binary or a malformed one.

    Only PE files say which DLL each symbol comes from; ELF and Mach-O
    (flat namespace, or ``-undefined dynamic_lookup``) give ``""``.
    """
    kind = format_of(data[:8])
    try:
        if kind == "elf":
            return tuple(("", name) for name in elf.undefined_symbols(data))
        if kind == "macho":
            return tuple(("", name) for name in macho.undefined_symbols(data))
        if kind == "pe":
            return parse_pe(data, symbols=True).imports
    except ValueError:
        return None
    return None
