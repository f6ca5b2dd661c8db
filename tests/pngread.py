"""A small PNG reader for the tests (8-bit RGB or RGBA, not interlaced): pixels as RGB tuples."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

__all__ = ["count_colour", "read_png"]


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows (RGB or RGBA bytes) of a PNG file."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG file")
    position, idat = 8, b""
    width = height = channels = 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                raise ValueError(
                    f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}"
                )
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        method, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            add = (0, left, up, (left + up) // 2, _paeth(left, up, corner))[method]
            line[x] = (line[x] + add) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def count_colour(path: Path, colour: str, tolerance: int = 6) -> int:
    """How many pixels are ``colour`` (``#rrggbb``), give or take ``tolerance`` per channel."""
    want = tuple(int(colour[index : index + 2], 16) for index in (1, 3, 5))
    width, _height, rows = read_png(path)
    channels = len(rows[0]) // width if rows else 3
    found = 0
    for row in rows:
        for x in range(0, len(row), channels):
            if all(abs(row[x + i] - want[i]) <= tolerance for i in range(3)):
                found += 1
    return found
