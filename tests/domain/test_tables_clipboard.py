"""Copied rows: tab-separated with a header, awkward cells quoted so they read back whole."""

from __future__ import annotations

from pathlib import Path

from app.domain.tables import read_table
from app.domain.tables.clipboard import tsv_text


def test_rows_with_a_header() -> None:
    text = tsv_text(["Code", "Measurements"], [["S-1", 3], ["S-2", None]])
    assert text == "Code\tMeasurements\r\nS-1\t3\r\nS-2\t\r\n"


def test_awkward_cells_read_back_whole(tmp_path: Path) -> None:
    cells = ["tab\there", "two\nlines", 'say "hi"', "carriage\rreturn", "Río"]
    text = tsv_text(["a", "b", "c", "d", "e"], [cells])
    path = tmp_path / "pasted.tsv"
    path.write_text(text, encoding="utf-8", newline="")
    table = read_table(path)
    assert list(table.header) == ["a", "b", "c", "d", "e"]
    assert [list(record.cells) for record in table.records] == [cells]
