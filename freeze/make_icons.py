"""Render resources/icons/samplebook.svg into the PNG sizes, the Windows .ico and the macOS .icns.

    uv run python freeze/make_icons.py          # rewrite the files (commit them)
    uv run python freeze/make_icons.py --check  # exit 1 if any is missing or older than the SVG

The generated files are committed, so builds never need to render; freeze/build.py runs --check.
.ico and .icns hold PNG images (supported since Windows Vista and macOS 10.7).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from config import ICON_SIZES, ICONS

SVG = ICONS / "samplebook.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 256)
#: ICNS element types holding PNG data, by pixel size (ic10 is 512@2x, ic14 256@2x, …).
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def png_path(size: int) -> Path:
    return ICONS / f"samplebook-{size}.png"


def outputs() -> list[Path]:
    return [
        *(png_path(size) for size in ICON_SIZES),
        ICONS / "samplebook.png",
        ICONS / "samplebook.ico",
        ICONS / "samplebook.icns",
    ]


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon file whose images are PNGs (sizes ≥ 256 are written as 0 in the directory)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    directory = b""
    data = b""
    for size in sizes:
        png = pngs[size]
        side = 0 if size >= 256 else size
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + directory + data


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An Apple icon family of PNG elements."""
    body = b""
    for size, kind in sorted(ICNS_TYPES.items()):
        png = pngs[size]
        body += kind + struct.pack(">I", 8 + len(png)) + png
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def render(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: PLC0415
    from PySide6.QtGui import QImage, QPainter  # noqa: PLC0415
    from PySide6.QtSvg import QSvgRenderer  # noqa: PLC0415

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG for Qt")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = [p for p in outputs() if not p.is_file() or p.stat().st_mtime < SVG.stat().st_mtime]
        if stale:
            names = ", ".join(p.name for p in stale)
            print(f"icons out of date ({names}): run uv run python freeze/make_icons.py")
            # A fresh clone gives every file the checkout time: only missing files are fatal.
            return 1 if any(not p.is_file() for p in stale) else 0
        return 0
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415

    _app = QGuiApplication(sys.argv[:1])
    pngs = {size: render(size) for size in sorted({*ICON_SIZES, *ICO_SIZES, *ICNS_TYPES})}
    for size in ICON_SIZES:
        png_path(size).write_bytes(pngs[size])
    (ICONS / "samplebook.png").write_bytes(pngs[256])
    (ICONS / "samplebook.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (ICONS / "samplebook.icns").write_bytes(icns_bytes({s: pngs[s] for s in ICNS_TYPES}))
    for path in outputs():
        print(f"{path.relative_to(ICONS.parent.parent)}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
