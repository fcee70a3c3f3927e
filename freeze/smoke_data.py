"""The frozen build's data checks, run by freeze/smoke.py with the unpacked executables only:

* ``samplebook-doc import`` of a CSV the way Excel writes it in Germany (``;``, decimal commas,
  a BOM, CRLF, a quoted line break) and of an ``.xlsx`` (openpyxl and et-xmlfile frozen);
* ``export-table`` to ``.csv`` and ``.xlsx``, and the round trip: a table exported from one
  document and imported into a new one gives the same samples and measurements;
* the GUI's plot panel (pyqtgraph and numpy frozen) drawing a plot the frozen app saves as PNG,
  judged by pngcheck (a real rendering: size, colours, not blank).
"""

from __future__ import annotations

import json
import sqlite3
import time
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Any

import pngcheck

SAMPLES_CSV = (
    "\ufeffcode;name;collected_on;location;tags\r\n"
    'D-1;Weiher Nord;2024-03-15;Weiher;"wasser; frühling"\r\n'
    'D-2;"Bach\r\nzweite Zeile";2024-03-16;Bach;wasser\r\n'
)
MEASUREMENTS_CSV = (
    "\ufeffcode;quantity;value;unit\r\n"
    "D-1;pH;7,25;\r\n"
    "D-1;Nitrat;<0,05;mg/L\r\n"
    "D-2;Nitrat;1,5 ± 0,1;mg/L\r\n"
)


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as db:
        return db.execute(sql).fetchall()


def _contents(path: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    # As typing stores them: an import trims text and stores an empty place as none, and the
    # fixture (written by SQL) has untrimmed names and empty locations.
    samples = _rows(
        path,
        "SELECT code, trim(name), collected_on, nullif(trim(location), '') FROM sample ORDER BY code",
    )
    measurements = _rows(
        path,
        "SELECT s.code, m.quantity, m.value, m.unit, m.qualifier, m.uncertainty "
        "FROM measurement m JOIN sample s ON s.id = m.sample_id ORDER BY 1, 2, 3",
    )
    return samples, measurements


def check_data(smoke: Any, cli: Path, docs: Path, source: Path) -> None:
    """Import, export-table and their round trip with the frozen samplebook-doc."""
    target = docs / "imported.db"
    result = smoke.run([cli, "new", target, "--title", "Imported"])
    if not smoke.expect(result.returncode == 0, "new document for the import"):
        return
    samples = docs / "proben.csv"
    samples.write_bytes(SAMPLES_CSV.encode())
    result = smoke.run([cli, "import", target, samples])
    smoke.expect(
        result.returncode == 0 and "Imported 2 samples" in result.stdout,
        "import of a ;-separated CSV with a BOM, CRLF and a quoted line break",
        f"exit {result.returncode}: {smoke_short(result)}",
    )
    measurements = docs / "messwerte.csv"
    measurements.write_bytes(MEASUREMENTS_CSV.encode())
    result = smoke.run([cli, "import", target, measurements, "--decimal-comma"])
    smoke.expect(
        result.returncode == 0 and "Imported 3 measurements" in result.stdout,
        "import of measurements with decimal commas and lab values",
        f"exit {result.returncode}: {smoke_short(result)}",
    )
    got = _rows(
        target, "SELECT quantity, value, qualifier, uncertainty FROM measurement ORDER BY id"
    )
    smoke.expect(
        got == [("pH", 7.25, None, None), ("Nitrat", 0.05, "<", None), ("Nitrat", 1.5, None, 0.1)],
        "imported values are numbers with their qualifier and uncertainty",
        str(got),
    )
    names = _rows(target, "SELECT name FROM sample WHERE code = 'D-2'")
    smoke.expect(
        names == [("Bach\r\nzweite Zeile",)], "a quoted CRLF line break round-trips", str(names)
    )

    # export-table from a document with real content, then back into a new document.
    for kind, suffix in (("samples", ".csv"), ("samples", ".xlsx"), ("measurements", ".xlsx")):
        out = docs / f"table-{kind}{suffix}"
        result = smoke.run([cli, "export-table", source, out, "--kind", kind])
        smoke.expect(
            result.returncode == 0 and out.is_file(),
            f"export-table --kind {kind} to {suffix}",
            f"exit {result.returncode}: {smoke_short(result)}",
        )
    csv = docs / "table-samples.csv"
    if csv.is_file():
        smoke.expect(
            csv.read_bytes().startswith(b"\xef\xbb\xbfcode,name,"), ".csv has a BOM for Excel"
        )
    book = docs / "table-samples.xlsx"
    if book.is_file():
        smoke.expect(zipfile.is_zipfile(book), ".xlsx is a workbook (zip)")
    copy = docs / "round-trip.db"
    smoke.run([cli, "new", copy])
    steps = [
        smoke.run([cli, "import", copy, docs / "table-samples.xlsx"]),
        smoke.run([cli, "import", copy, docs / "table-measurements.xlsx"]),
    ]
    smoke.expect(
        all(step.returncode == 0 for step in steps),
        "import of the exported .xlsx tables (openpyxl frozen)",
        "; ".join(smoke_short(step) for step in steps),
    )
    smoke.expect(
        _contents(copy) == _contents(source),
        "export-table → import gives the same samples and measurements",
    )
    info = smoke.run([cli, "info", copy, "--json"])
    counts = json.loads(info.stdout or "{}").get("counts") if info.returncode == 0 else None
    print(f"        round trip: {counts}")


def check_plot(smoke: Any, gui: Path, document: Path) -> None:
    """The frozen GUI opens the plot panel and saves its plot; the PNG must be a real drawing."""
    window, plot = smoke.work / "plot-window.png", smoke.work / "plot.png"
    started = time.monotonic()
    result = smoke.run([gui, "--smoke", window, document, "--smoke-plot", plot], timeout=240)
    elapsed = time.monotonic() - started
    said = [line for line in result.stderr.splitlines() if line.startswith("plot:")]
    if not smoke.expect(
        result.returncode == 0 and plot.is_file(),
        f"samplebook --smoke-plot: the plot panel drew and saved a plot in {elapsed:.1f}s",
        f"exit {result.returncode}: {smoke_short(result, 3000)}",
    ):
        return
    if said:
        print(f"        {said[0]}")
    try:
        picture = pngcheck.analyse_file(plot)
    except (pngcheck.NotAPng, ValueError, OSError) as error:
        smoke.fail(f"plot PNG unreadable: {error}")
        return
    problems = picture.problems(min_width=240, min_height=160)
    smoke.expect(
        not problems,
        f"plot PNG is a real rendering: {picture.width}x{picture.height} px, "
        f"{picture.colours} colours, top colour {picture.dominant_share:.0%}",
        "; ".join(problems),
    )


def smoke_short(result: Any, limit: int = 600) -> str:
    text = (result.stdout + result.stderr).strip()
    return text if len(text) <= limit else text[:limit] + " …"
