"""Reading .xlsx tables with openpyxl, after checking that the zip and its XML are safe to open.

openpyxl's read-only mode streams a sheet's rows, but it still trusts the file: it loads the
shared strings whole, pads every row to the width the sheet's stored dimension claims, and walks
row numbers up to whatever a row's ``r`` attribute says. So before openpyxl sees the file:

* the zip's declared sizes are checked (unpacked total and pack ratio; zipfile never unpacks more
  than an entry declares, so the declared sizes bound the work);
* every XML part is scanned with expat: no DOCTYPE (entity tricks; OOXML never has one), and no
  sheet row with more cells than Excel allows, which bounds what one row costs in memory.

Then rows are read ignoring the stored dimension, up to Excel's row count and ``Limits``.

Cells: numbers come back as the int or float stored (never formatted); dates and times as ISO
text (``2024-03-15``, ``2024-03-15 14:30:00``: a date-time at midnight whose number format shows
no time is a date); booleans as TRUE/FALSE; formulas as their last computed value; OOXML's
``_xHHHH_`` escapes decoded (that is how Excel stores a carriage return or control character).
"""

from __future__ import annotations

import datetime
import re
import xml.parsers.expat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.domain.tables.model import (
    LIMITS,
    Cell,
    Limits,
    Record,
    Table,
    TableError,
    TableSource,
    count,
    is_blank,
    trim_record,
)

EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
_MAX_PARTS = 10_000
_RATIO_FROM = 1 << 20
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Quoted literals, [colour]/[$-locale] sections and escaped characters in a number format.
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def read_xlsx_table(path: Path, *, sheet: str | None = None, limits: Limits = LIMITS) -> Table:
    """Read one sheet (the first unless ``sheet`` names another) of an .xlsx workbook."""
    check_workbook_file(path, limits)
    import openpyxl  # noqa: PLC0415 - 0.3 s to import; only when a workbook is read

    try:
        workbook = openpyxl.load_workbook(
            path, read_only=True, data_only=True, keep_links=False, rich_text=False
        )
    except Exception as error:  # openpyxl raises anything for a broken part: the file is at fault
        raise _damaged(path, error) from error
    try:
        names = tuple(workbook.sheetnames)
        title = _sheet_name(path, names, sheet)
        worksheet = workbook[title]
        if not hasattr(worksheet, "iter_rows"):
            raise TableError(f"The sheet “{title}” of “{path.name}” is a chart, not a table.")
        return _read_rows(worksheet, TableSource(path, "xlsx", sheet=title, sheets=names), limits)
    finally:
        workbook.close()


def _damaged(path: Path, error: BaseException) -> TableError:
    return TableError(
        f"“{path.name}” cannot be read as an Excel workbook ({type(error).__name__}: {error}). "
        "Open it in Excel or LibreOffice and save it again as .xlsx, or as .csv.",
        path=path,
    )


def _sheet_name(path: Path, names: tuple[str, ...], wanted: str | None) -> str:
    if not names:
        raise TableError(f"“{path.name}” has no sheets.", path=path)
    if wanted is None:
        return names[0]
    if wanted in names:
        return wanted
    # Excel treats sheet names case-insensitively: "data" finds "Data" when only one matches.
    folded = [name for name in names if name.casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    listed = ", ".join(f"“{name}”" for name in names)
    raise TableError(
        f"“{path.name}” has no sheet named “{wanted}”; its sheets are {listed}.", path=path
    )


def check_workbook_file(path: Path, limits: Limits = LIMITS) -> None:
    """Refuse files that are not .xlsx zips, or whose parts are too big or not plain XML."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as raw:
            head = raw.read(8)
    except OSError as error:
        raise TableError(f"“{path.name}” cannot be read: {error.strerror}.", path=path) from error
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(
            f"“{path.name}” is an old-style Excel workbook (.xls) or a password-protected one: "
            "open it in Excel or LibreOffice and save it as .xlsx (without a password).",
            path=path,
        )
    if size > limits.max_file_bytes:
        raise TableError(
            f"“{path.name}” is {size / 2**20:,.0f} MB; Samplebook reads workbooks of up to "
            f"{limits.max_file_bytes / 2**20:,.0f} MB.",
            path=path,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            _check_parts(path, archive, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise TableError(
            f"“{path.name}” is not an Excel workbook (.xlsx), or it is damaged.", path=path
        ) from error


def _check_parts(path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
    parts = archive.infolist()
    if len(parts) > _MAX_PARTS:
        raise _too_big(path, f"it holds {count(len(parts))} parts")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.max_unpacked_bytes:
        raise _too_big(path, f"it unpacks to {unpacked / 2**20:,.0f} MB")
    for part in parts:
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > _RATIO_FROM and ratio > limits.max_pack_ratio:
            raise _too_big(path, f"its part {part.filename} unpacks to {ratio:,} times its size")
    if "[Content_Types].xml" not in archive.namelist():
        raise zipfile.BadZipFile("no [Content_Types].xml")
    for part in parts:
        if part.filename.endswith((".xml", ".rels")):
            with archive.open(part) as stream:
                _scan_xml(path, part.filename, stream)


def _too_big(path: Path, why: str) -> TableError:
    return TableError(
        f"“{path.name}” is not a workbook Samplebook will open: {why}, far more than a table "
        "needs (this is how zip bombs look). Save the sheet as .csv if it is real.",
        path=path,
    )


def _scan_xml(path: Path, name: str, stream: Any) -> None:
    """Stream one XML part through expat: refuse a DOCTYPE and rows wider than Excel allows."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    cells = 0

    def doctype(*_args: object) -> None:
        raise TableError(
            f"“{path.name}” is not a workbook Samplebook will open: its part {name} declares a "
            "document type, which Excel never writes.",
            path=path,
        )

    def start(tag: str, _attributes: object) -> None:
        nonlocal cells
        local = tag.rpartition(" ")[2]
        if local == "row":
            cells = 0
        elif local == "c":
            cells += 1
            if cells > EXCEL_COLUMNS:
                raise TableError(
                    f"“{path.name}” has a row with more than {count(EXCEL_COLUMNS)} cells, more "
                    "than Excel allows: it is damaged or was made to do harm.",
                    path=path,
                )

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    try:
        while chunk := stream.read(1 << 20):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as error:
        raise TableError(
            f"“{path.name}” is damaged: its part {name} is not well-formed XML ({error}).",
            path=path,
        ) from error


def _read_rows(worksheet: Any, source: TableSource, limits: Limits) -> Table:
    worksheet.reset_dimensions()  # the stored dimension would pad every row to its width
    name = source.name
    header: tuple[str, ...] | None = None
    header_row = 0
    records: list[Record] = []
    for number, row in enumerate(_rows(worksheet, source.path), start=1):
        if number > EXCEL_ROWS:
            raise TableError(f"“{name}” has rows beyond Excel's last row: it is damaged.")
        cells = [_cell(cell, name, number, limits) for cell in row]
        if is_blank(cells):
            continue
        trimmed = trim_record(cells, len(header) if header is not None else 0)
        if len(trimmed) > limits.max_columns:
            raise TableError(
                f"Row {number} of “{name}” has {count(len(trimmed))} columns; Samplebook reads "
                f"at most {count(limits.max_columns)}."
            )
        if header is None:
            header = tuple(str(cell).strip() for cell in trimmed)
            header_row = number
            continue
        if len(records) == limits.max_records:
            raise TableError(
                f"“{name}” has more than {count(limits.max_records)} rows; Samplebook reads at "
                "most that many at a time: split the sheet."
            )
        records.append(Record(number, trimmed))
    if header is None:
        raise TableError(
            f"The sheet “{source.sheet}” of “{name}” is empty: it has no column names."
        )
    return Table(header, header_row, tuple(records), source)


def _rows(worksheet: Any, path: Path) -> Iterator[tuple[Any, ...]]:  # openpyxl's ReadOnlyWorksheet
    """openpyxl's rows; what it raises while parsing a sheet is the file's fault, not ours."""
    rows = worksheet.iter_rows()
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as error:
            raise _damaged(path, error) from error
        yield row


def _cell(cell: Any, name: str, row: int, limits: Limits) -> Cell:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time() and not _shows_time(_number_format(cell)):
            return value.date().isoformat()
        spec = "seconds" if value.microsecond == 0 else "milliseconds"
        return value.isoformat(sep=" ", timespec=spec)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    text = str(value)
    if len(text) > limits.max_cell_chars:
        raise TableError(
            f"A cell in row {row} of “{name}” is longer than {count(limits.max_cell_chars)} "
            "characters."
        )
    return _ESCAPED.sub(lambda match: chr(int(match[1], 16)), text) if "_x" in text else text


def _number_format(cell: Any) -> str | None:
    try:
        return str(cell.number_format)
    except (IndexError, KeyError):  # a style id the workbook does not define
        return None


def _shows_time(number_format: str | None) -> bool:
    """Whether an Excel number format shows hours or seconds (m alone may be months)."""
    bare = _FORMAT_NOISE.sub("", number_format or "").lower()
    return "h" in bare or "s" in bare
