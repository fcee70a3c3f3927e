"""Rows as text for the clipboard, so they paste into a spreadsheet as a table.

Tab-separated with a header row, cells written like ``.tsv`` files (``cell_text``): a cell with a
tab, a line break or a double quote is quoted as Excel and LibreOffice quote it when they copy, so
they paste such a cell back into one cell. Pasting this text into Samplebook will read it with the
same reader as an imported ``.tsv`` file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from app.domain.tables.model import OutCell
from app.domain.tables.write import cell_text


def tsv_text(header: Sequence[str], rows: Iterable[Sequence[OutCell]]) -> str:
    """``header`` and ``rows`` as tab-separated lines, each ending in CRLF.

    CRLF as Excel puts on the clipboard (every spreadsheet takes it), and because the csv module
    quotes a cell holding a lone carriage return only when the line end contains one.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell_text(cell) for cell in row])
    return buffer.getvalue()
