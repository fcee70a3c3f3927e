"""Measurement rows as tab-separated text: what Ctrl+C puts on the clipboard.

A header row and one line per measurement, the cells as the table shows them, so a spreadsheet
pastes them as a table and Samplebook's import (and paste) reads them back by their headers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

#: The import's own field names, so the text pastes back into Samplebook column by column.
HEADER = ("code", "quantity", "value", "unit", "measured_at")


def as_tab_separated(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Cells with a tab, a newline or a quote are quoted as spreadsheets quote them."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def measurements_text(code: str, rows: Iterable[Sequence[str]]) -> str:
    """``rows`` of (quantity, value, unit, measured at) as shown, under the sample's ``code``."""
    return as_tab_separated(HEADER, ([code, *row] for row in rows))
