"""Tables in and out: .csv, .tsv, .txt and .xlsx read into a header and numbered records, and
written back so that reading them gives the same cells. No Qt; openpyxl loads only for .xlsx.

Used by ``samplebook-doc import`` and ``export-table``, the import dialog and paste.
"""

from __future__ import annotations

from pathlib import Path

from app.domain.tables.dates import InvalidDate, import_date, import_date_time
from app.domain.tables.model import (
    LIMITS,
    Cell,
    Format,
    Limits,
    OutCell,
    Record,
    Table,
    TableError,
    TableSource,
    table_format,
)
from app.domain.tables.text import (
    DELIMITERS,
    delimiter_name,
    read_pasted_table,
    read_text_table,
)
from app.domain.tables.write import cell_text, write_table


def read_table(
    path: Path,
    *,
    sheet: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    limits: Limits = LIMITS,
) -> Table:
    """Read ``path`` by its extension; ``TableError`` says what is wrong with a file.

    ``sheet`` is for .xlsx only (default: the first sheet); ``delimiter`` and ``encoding`` for
    text files only (default: detected). Giving one for the other kind is refused, not ignored.
    """
    fmt = table_format(path)
    if fmt == "xlsx":
        if delimiter is not None or encoding is not None:
            raise TableError(
                f"“{path.name}” is a workbook: a delimiter or encoding applies to text files only.",
                path=path,
            )
        from app.domain.tables.xlsx import read_xlsx_table  # noqa: PLC0415 - openpyxl is heavy

        return read_xlsx_table(path, sheet=sheet, limits=limits)
    if sheet is not None:
        raise TableError(
            f"“{path.name}” is a text file: it has no sheets (a sheet applies to .xlsx only).",
            path=path,
        )
    return read_text_table(path, fmt, delimiter=delimiter, encoding=encoding, limits=limits)


__all__ = [
    "DELIMITERS",
    "LIMITS",
    "Cell",
    "Format",
    "InvalidDate",
    "Limits",
    "OutCell",
    "Record",
    "Table",
    "TableError",
    "TableSource",
    "cell_text",
    "delimiter_name",
    "import_date",
    "import_date_time",
    "read_pasted_table",
    "read_table",
    "table_format",
    "write_table",
]
