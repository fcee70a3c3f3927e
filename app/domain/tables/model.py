"""What reading a table gives: a header, records with the line or row they start on, and limits."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.document import DocumentError

#: A cell as read: text, or a spreadsheet's number (never formatted, so nothing is lost). Dates
#: in spreadsheets come back as ISO text; an empty cell is "".
Cell = str | int | float
#: What writers take: dates become real dates in .xlsx and ISO text in .csv/.tsv; None is empty.
OutCell = str | int | float | datetime.date | None

Format = Literal["csv", "tsv", "txt", "xlsx"]
FORMATS: dict[str, Format] = {".csv": "csv", ".tsv": "tsv", ".txt": "txt", ".xlsx": "xlsx"}


class TableError(DocumentError):
    """A file that cannot be read (or written) as a table; the message says why and what to do.

    Input a person can correct, like ``InvalidInput``: the CLI exits with 2 unless the verb maps it.
    """

    exit_code = 2


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or mistaken file from hanging Samplebook or eating memory.

    Each is far above what a lab table needs; going over one stops reading with a sentence.
    """

    #: Size of the file on disk.
    max_file_bytes: int = 256 * 2**20
    #: Records after the header (each is kept in memory by ``read_table``).
    max_records: int = 500_000
    #: Cells of one record, after dropping empty cells at its end.
    max_columns: int = 1_000
    #: Characters of one cell (Excel itself holds at most 32,767).
    max_cell_chars: int = 100_000
    #: Characters of one physical line of a text file.
    max_line_chars: int = 4 * 2**20
    #: Everything inside an .xlsx together, unpacked (a zip bomb is small on disk).
    max_unpacked_bytes: int = 512 * 2**20
    #: Unpacked size over packed size of one part of an .xlsx bigger than 1 MiB. Real sheets pack
    #: 5-30 times; a bomb packs a thousand times.
    max_pack_ratio: int = 200


LIMITS = Limits()


@dataclass(frozen=True)
class Record:
    """One row of data. ``line``: where it starts in a text file (the header is line 1; a quoted
    field with line breaks makes a record span lines) or its row number in the sheet."""

    line: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class TableSource:
    """How the file was read, for the import dialog and messages."""

    path: Path
    format: Format
    #: Python codec used for a text file ("utf-8-sig" is UTF-8 with a BOM); None for .xlsx.
    encoding: str | None = None
    delimiter: str | None = None
    #: The first line's ending in a text file ("\r\n", "\n" or "\r"); None if there is none.
    newline: str | None = None
    #: The sheet read, and every sheet of the workbook (.xlsx only).
    sheet: str | None = None
    sheets: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Table:
    """A header (column names, trimmed) and the records below it. Blank records are skipped;
    every record has at least the header's width (short ones are padded with ""), and more only
    if a cell beyond the last column holds something (for the import to report)."""

    header: tuple[str, ...]
    header_line: int
    records: tuple[Record, ...]
    source: TableSource


def table_format(path: Path) -> Format:
    """The format a file's extension names; ``TableError`` for any other extension."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise TableError(
            f"“{path.name}” is not a table Samplebook reads: use a .csv, .tsv, .txt or .xlsx file.",
            path=path,
        ) from None


def trim_record(cells: Sequence[Cell], width: int) -> tuple[Cell, ...]:
    """Exactly ``width`` cells: empty ones added at the end, or empty ones beyond ``width``
    dropped (spreadsheets pad rows with them); cells with text beyond it are kept."""
    end = len(cells)
    while end > width and cells[end - 1] == "":
        end -= 1
    return (*cells[:end], *("",) * (width - end))


def is_blank(cells: Sequence[Cell]) -> bool:
    """No cell holds anything but spaces (",,," rows that spreadsheets write for empty rows)."""
    return all(isinstance(cell, str) and not cell.strip() for cell in cells)


def count(number: int) -> str:
    return f"{number:,}"
