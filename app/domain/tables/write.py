"""Writing tables: .csv for Excel, .tsv for scripts, .xlsx with real dates; always atomically.

* ``.csv``: comma, UTF-8 **with** a BOM (without one Excel reads UTF-8 as the ANSI code page and
  garbles every non-ASCII letter), CRLF line ends and quoting as RFC 4180 describes; line breaks
  inside a cell are written as they are, inside quotes.
* ``.tsv``: tab, UTF-8 without a BOM (its readers are R, pandas, awk, which take the BOM for part
  of the first column's name), otherwise like .csv. Cells with tabs or line breaks are quoted,
  as Excel and LibreOffice do, so they round-trip.
* ``.xlsx``: a bold, frozen header row; numbers as numbers; dates and date-times as real Excel
  dates (they sort, filter and plot in Excel and LibreOffice, and ``read_table`` gives them back
  as the same ISO text); text always as text, so a note starting with ``=`` never becomes a
  formula. Carriage returns and control characters are stored as OOXML's ``_xHHHH_`` escapes,
  as Excel does (XML itself would turn CRLF into LF).

Numbers in text files are written as the shortest text that reads back as the same float. The
file appears complete or not at all: it is written beside the target and then renamed.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from app.document import TABLE_PURPOSE, DestinationExists, new_file, reporting_failures
from app.domain.lab_values import format_number
from app.domain.tables.model import OutCell, TableError, count

#: What Excel can hold in one cell.
EXCEL_CELL_CHARS = 32_767
_XML_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_DATE_FORMAT = "yyyy-mm-dd"
_DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def write_table(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[OutCell]],
    *,
    overwrite: bool = False,
    sheet: str = "Table",
) -> int:
    """Write ``header`` and ``rows`` to ``path`` (format by extension); returns the row count.

    An existing ``path`` is refused with ``DestinationExists`` unless ``overwrite``.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tsv", ".xlsx"):
        raise TableError(
            f"“{path.name}”: Samplebook writes tables as .csv, .tsv or .xlsx.", path=path
        )
    if path.exists() and not overwrite:
        raise DestinationExists(
            f"“{path.name}” already exists.",
            "Choose another name, or confirm that it should be replaced.",
            path=path,
        )
    with (
        reporting_failures(f"write “{path.name}”"),
        new_file(path, TABLE_PURPOSE, overwrite=overwrite) as scratch,
    ):
        if suffix == ".xlsx":
            written = _write_xlsx(scratch, header, rows, sheet)
        else:
            written = _write_text(scratch, header, rows, "," if suffix == ".csv" else "\t")
    return written


def cell_text(cell: OutCell) -> str:
    """A cell as text files hold it: ISO dates, shortest exact numbers, "" for None."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        raise TypeError("booleans are not table cells")
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        return format_number(cell)
    if isinstance(cell, datetime.datetime):
        return cell.isoformat(sep=" ", timespec="seconds" if not cell.microsecond else "auto")
    return cell.isoformat()


def _write_text(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[OutCell]], delimiter: str
) -> int:
    encoding = "utf-8-sig" if delimiter == "," else "utf-8"
    written = 0
    with open(path, "w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            texts = [cell_text(cell) for cell in row]
            if any("\x00" in text for text in texts):
                # Readers (ours included) take a NUL for a sign of a binary file.
                raise TableError(
                    f"Row {written + 1} has a NUL character, which a text table cannot hold. "
                    "Export as .xlsx instead."
                )
            writer.writerow(texts)
            written += 1
    return written


def xlsx_text(text: str) -> str:
    """``text`` with OOXML's escapes: CR and control characters as ``_xHHHH_``, and a literal
    ``_xHHHH_`` protected as ``_x005F_xHHHH_`` (what Excel writes, and what the reader undoes)."""
    return _XML_ESCAPE.sub(
        lambda match: f"_x005F{match[0]}" if len(match[0]) > 1 else f"_x{ord(match[0]):04X}_",
        text,
    )


def _write_xlsx(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[OutCell]], title: str
) -> int:
    from openpyxl import Workbook  # noqa: PLC0415 - 0.3 s to import; only for .xlsx
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    _write_numbers_exactly()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(len(name) + 4, 40))
    bold = Font(bold=True)

    def cell(value: OutCell, row: int) -> Any:
        if isinstance(value, str):
            if len(value) > EXCEL_CELL_CHARS:
                raise TableError(
                    f"Row {row} has a cell of {count(len(value))} characters; Excel cells hold "
                    f"at most {count(EXCEL_CELL_CHARS)}. Export as .csv instead."
                )
            text = xlsx_text(value)
            if not text.startswith(("=", "#")):
                return text  # plain values are a third faster to write than cell objects
            out = WriteOnlyCell(sheet, value=text)
            out.data_type = "s"  # never a formula (=...) or an error value (#N/A)
            return out
        if isinstance(value, bool):
            raise TypeError("booleans are not table cells")
        if isinstance(value, datetime.datetime):
            out = WriteOnlyCell(sheet, value=value)
            out.number_format = _DATE_TIME_FORMAT
        elif isinstance(value, datetime.date):
            # The same serial number as the date; the format is what makes it a date.
            out = WriteOnlyCell(sheet, value=datetime.datetime.combine(value, datetime.time()))
            out.number_format = _DATE_FORMAT
        else:
            return value
        return out

    header_cells = []
    for name in header:
        header_cell = WriteOnlyCell(sheet, value=xlsx_text(name))
        header_cell.data_type = "s"
        header_cell.font = bold
        header_cells.append(header_cell)
    sheet.append(header_cells)
    written = 0
    try:
        for row in rows:
            written += 1
            sheet.append([None if value is None else cell(value, written + 1) for value in row])
        workbook.save(path)
    except BaseException:
        _discard(sheet)
        raise
    return written


def _write_numbers_exactly() -> None:
    """Make openpyxl write numbers as ``repr`` does: exactly.

    openpyxl formats every number with "%.16g", which changes about half of all doubles (the
    shortest exact text needs up to 17 digits: 0.1 + 0.2 becomes 0.3) and every integer beyond
    16 digits. Its cell writer looks the formatter up as a module global, so that one name is
    replaced, once, by a function that writes ``repr`` for finite ints and floats (valid
    xsd:double text that Excel and LibreOffice read) and leaves everything else to openpyxl.
    """
    import openpyxl.cell._writer as cell_writer  # noqa: PLC0415

    original = getattr(cell_writer, "safe_string")  # noqa: B009 - the stubs do not declare it
    if getattr(original, "exact_numbers", False):
        return

    def exact(value: object) -> str:
        if isinstance(value, int | float) and type(value) is not bool and math.isfinite(value):
            return repr(value)
        return str(original(value))

    exact.exact_numbers = True  # type: ignore[attr-defined]
    setattr(cell_writer, "safe_string", exact)  # noqa: B010


def _discard(sheet: Any) -> None:
    """Remove the temporary file openpyxl streams a write-only sheet into (it would otherwise
    stay in the temp folder, holding the rows, until Samplebook quits)."""
    with contextlib.suppress(Exception):
        sheet.close()
    writer = getattr(sheet, "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError, ValueError):
            writer.cleanup()
