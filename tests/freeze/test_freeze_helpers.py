"""Pure helpers of the frozen-build tooling in freeze/ (nothing is frozen here; see freeze/smoke.py)."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

FREEZE = Path(__file__).resolve().parents[2] / "freeze"
sys.path.insert(0, str(FREEZE))

import config  # noqa: E402
import make_icons  # noqa: E402
import pngcheck  # noqa: E402
from linux import debian, elf  # noqa: E402


def png(
    width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]], filter_type: int = 0
) -> bytes:
    rows = b""
    for y in range(height):
        line = b"".join(bytes(pixel(x, y)) for x in range(width))
        if filter_type == 1:  # Sub
            raw = bytearray(line)
            for i in range(len(raw) - 1, 2, -1):
                raw[i] = (raw[i] - raw[i - 3]) & 0xFF
            line = bytes(raw)
        rows += bytes([filter_type]) + line

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        pngcheck.SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_blank_png_is_not_a_rendering() -> None:
    picture = pngcheck.analyse(png(400, 300, lambda x, y: (255, 255, 255)))
    assert picture.colours == 1
    assert picture.problems()


@pytest.mark.parametrize("filter_type", [0, 1])
def test_varied_png_is_a_rendering(filter_type: int) -> None:
    picture = pngcheck.analyse(
        png(400, 300, lambda x, y: (x % 64 * 4, y % 32 * 8, 90), filter_type)
    )
    assert (picture.width, picture.height) == (400, 300)
    assert picture.colours == 64 * 32
    assert picture.problems() == []


def test_tiny_png_is_too_small() -> None:
    picture = pngcheck.analyse(png(20, 10, lambda x, y: (x * 10, y * 20, 0)))
    assert any("20x10" in problem for problem in picture.problems())


def test_not_a_png() -> None:
    with pytest.raises(pngcheck.NotAPng):
        pngcheck.analyse(b"GIF89a")


def test_imported_modules() -> None:
    source = "from __future__ import annotations\nimport sqlalchemy as sa\nfrom alembic import op\n"
    assert config.imported_modules([source]) == {
        "__future__",
        "__future__.annotations",
        "sqlalchemy",
        "alembic",
        "alembic.op",
    }


def test_migrations_imports_are_importable_and_exclude_migrations() -> None:
    names = config.migrations_imports()
    assert "alembic.op" in names
    assert "sqlalchemy" in names
    assert not any(name.split(".")[0] in ("migrations", "__future__") for name in names)


def test_the_user_guide_is_shipped_where_the_app_looks_for_it() -> None:
    """The frozen app finds resources/ beside its executable (app.ui.resources)."""
    shipped = dict((target, source) for source, target in config.resource_files())
    assert "resources/guide/index.html" in shipped
    assert shipped["resources/guide/index.html"].is_file()


def test_migration_files_ship_sources_only() -> None:
    targets = [target for _source, target in config.migration_files()]
    assert "lib/migrations/env.py" in targets
    assert "lib/migrations/script.py.mako" in targets
    assert any(t.startswith("lib/migrations/versions/") and t.endswith(".py") for t in targets)
    assert not any("__pycache__" in t or t.endswith(".pyc") for t in targets)


def test_needed_of_a_real_library() -> None:
    import _sqlite3  # noqa: PLC0415 - an extension module: a shared object on Linux

    library = Path(_sqlite3.__file__)
    if not elf.is_elf(library):
        pytest.skip("not an ELF platform")
    names = elf.needed_of(library)
    assert names and all(isinstance(name, str) and ".so" in name for name in names)
    assert elf.needed(b"not an elf") == []


def test_max_glibc() -> None:
    assert elf.max_glibc(b"xx GLIBC_2.17\0GLIBC_2.34\0GLIBC_2.4\0") == (2, 34)
    assert elf.max_glibc(b"none") is None


def test_control_fields() -> None:
    text = debian.control("2.0.0", 1234, ["libc6 (>= 2.34)", "libegl1"], ["libgtk-3-0"])
    assert "Package: samplebook\n" in text
    assert "Depends: libc6 (>= 2.34), libegl1\n" in text
    assert "Installed-Size: 1234\n" in text
    assert text.endswith("\n")
    assert all(line.startswith(" ") for line in text.split("Description: ")[1].splitlines()[1:])


def test_ico_and_icns_containers() -> None:
    fake = {size: b"\x89PNG" + bytes([size % 256]) * 10 for size in (16, 32, 64, 128, 256, 512)}
    ico = make_icons.ico_bytes({16: fake[16], 256: fake[256]})
    assert struct.unpack_from("<HHH", ico) == (0, 1, 2)
    assert ico[6 + 16] == 0  # 256 px is written as 0
    icns = make_icons.icns_bytes(fake)
    assert icns[:4] == b"icns"
    assert struct.unpack_from(">I", icns, 4)[0] == len(icns)


def test_committed_icons_exist() -> None:
    assert all(path.is_file() for path in make_icons.outputs())


@pytest.mark.usefixtures("qapp")
def test_the_icon_check_compares_content_not_times(tmp_path: Path) -> None:
    assert make_icons.stale() == []  # the committed icons are what the SVG renders to
    for path in make_icons.outputs():
        shutil.copy2(path, tmp_path / path.name)
    # Newer than the SVG but different (an edit), and missing: both out of date.
    (tmp_path / "samplebook-32.png").write_bytes(b"\x89PNG not the rendering")
    (tmp_path / "samplebook.ico").unlink()
    # Older than the SVG but identical (a fresh clone's times): up to date.
    os.utime(tmp_path / "samplebook-64.png", (0, 0))
    assert make_icons.stale(tmp_path) == ["samplebook-32.png", "samplebook.ico"]


def test_the_app_imports_nothing_the_build_excludes() -> None:
    assert config.excluded_but_imported() == []


def test_the_plot_library_imports_nothing_the_build_excludes() -> None:
    """pyqtgraph imports QtOpenGL, QtOpenGLWidgets and QtTest when it loads: a build excluding
    them would fail when the plot panel opens. Checked in a fresh interpreter drawing a plot."""
    script = (
        "import sys; before = set(sys.modules);"  # what site.py loaded is not the app's
        "from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from app.ui.plot.canvas import PlotCanvas; c = PlotCanvas(str); c.plot([1, 2]);"
        "print('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=FREEZE.parent,
        check=True,
    )
    loaded = result.stdout.split()
    assert "pyqtgraph" in loaded and "PySide6.QtOpenGL" in loaded
    assert config.excluded_at_run_time(loaded) == []
