"""Render resources/icons/samplebook.svg into the PNG sizes, the Windows .ico and the macOS .icns.

    uv run python freeze/make_icons.py          # rewrite the files (commit them)
    uv run python freeze/make_icons.py --check  # exit 1 if any is missing or not what the SVG
                                                # renders to

The generated files are committed, so a build never writes them; freeze/build.py runs --check,
which renders the SVG and compares the bytes (a fresh clone gives every file the checkout time,
so modification times say nothing). Rendering with the pinned Qt is byte-for-byte reproducible.
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


def rendered() -> dict[str, bytes]:
    """The content every generated file should have, by file name (needs a QGuiApplication)."""
    pngs = {size: render(size) for size in sorted({*ICON_SIZES, *ICO_SIZES, *ICNS_TYPES})}
    files = {png_path(size).name: pngs[size] for size in ICON_SIZES}
    files["samplebook.png"] = pngs[256]
    files["samplebook.ico"] = ico_bytes({s: pngs[s] for s in ICO_SIZES})
    files["samplebook.icns"] = icns_bytes({s: pngs[s] for s in ICNS_TYPES})
    return files


def stale(folder: Path = ICONS) -> list[str]:
    """The generated files in ``folder`` that are missing or differ from what the SVG renders to."""
    return [
        name
        for name, content in rendered().items()
        if not (folder / name).is_file() or (folder / name).read_bytes() != content
    ]


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415

    _app = QGuiApplication(sys.argv[:1])
    if "--check" in argv:
        out_of_date = stale()
        if out_of_date:
            names = ", ".join(out_of_date)
            print(f"icons out of date ({names}): run uv run python freeze/make_icons.py")
            return 1
        return 0
    for name, content in rendered().items():
        (ICONS / name).write_bytes(content)
    for path in outputs():
        print(f"{path.relative_to(ICONS.parent.parent)}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
