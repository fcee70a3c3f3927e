"""Is a PNG a real rendering of a window? Decoded with zlib and struct only (no Qt, no Pillow), so
the smoke test judges the frozen GUI's output without trusting the libraries under test.
"""

from __future__ import annotations

import struct
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # grey, RGB, grey+alpha, RGBA (8-bit only)


class NotAPng(ValueError):
    pass


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    colours: int  # distinct pixel values
    dominant_share: float  # share of the most common pixel value, 0..1

    def problems(
        self,
        min_width: int = 320,
        min_height: int = 200,
        min_colours: int = 16,
        max_dominant: float = 0.97,
    ) -> list[str]:
        """Why this does not look like a rendered window ([] when it does)."""
        found = []
        if self.width < min_width or self.height < min_height:
            found.append(f"only {self.width}x{self.height} px (want ≥ {min_width}x{min_height})")
        if self.colours < min_colours:
            found.append(f"only {self.colours} distinct colours (want ≥ {min_colours})")
        if self.dominant_share > max_dominant:
            found.append(f"{self.dominant_share:.1%} of pixels are one colour (blank?)")
        return found


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(raw: bytes, width: int, height: int, bpp: int) -> list[bytes]:
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    position = 0
    for _ in range(height):
        kind = raw[position]
        line = bytearray(raw[position + 1 : position + 1 + stride])
        position += 1 + stride
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 0xFF
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                upper_left = previous[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + _paeth(left, previous[i], upper_left)) & 0xFF
        elif kind != 0:
            raise NotAPng(f"unknown filter type {kind}")
        rows.append(bytes(line))
        previous = line
    return rows


def analyse(data: bytes) -> Picture:
    if not data.startswith(SIGNATURE):
        raise NotAPng("no PNG signature")
    position = len(SIGNATURE)
    header: tuple[int, ...] | None = None
    idat = b""
    while position < len(data):
        length, kind = struct.unpack_from(">I4s", data, position)
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    if header is None:
        raise NotAPng("no IHDR chunk")
    width, height, depth, colour_type, _compression, _filter, interlace = header
    if depth != 8 or colour_type not in CHANNELS or interlace != 0:
        raise NotAPng(f"unsupported PNG (depth {depth}, colour type {colour_type}, interlace)")
    bpp = CHANNELS[colour_type]
    rows = _unfilter(zlib.decompress(idat), width, height, bpp)
    counts: Counter[bytes] = Counter()
    for row in rows:
        counts.update(row[i : i + bpp] for i in range(0, len(row), bpp))
    total = width * height
    dominant = counts.most_common(1)[0][1] if counts else 0
    return Picture(width, height, len(counts), dominant / total if total else 1.0)


def analyse_file(path: Path) -> Picture:
    return analyse(path.read_bytes())
