"""Writing tables: the bytes Excel needs, real dates in .xlsx, atomic files, exact round trips."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.document.errors import CannotWrite, DestinationExists
from app.domain.lab_values import LabValue, Qualifier, format_lab_value, parse_lab_value
from app.domain.tables import OutCell, Record, TableError, read_table, write_table
from app.domain.tables.write import xlsx_text

HEADER = ["code", "name", "value", "collected_on", "measured_at", "notes"]
ROWS: list[list[OutCell]] = [
    [
        "S-001",
        "Müller-See €",
        0.1,
        datetime.date(2024, 3, 15),
        datetime.datetime(2024, 3, 15, 14, 30, 5),
        'two\r\nlines, "quoted"',
    ],
    ["S-002", "=SUM(A1)", 7, None, None, "#N/A"],
    ["007", "+1 (not a formula)", -2.5e-7, datetime.date(2024, 2, 29), None, "\tx_x000D_y\r"],
]


def test_csv_bytes_are_what_excel_expects(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    assert write_table(path, ["code", "notes"], [["S1", 'a "b", c\nd'], ["S2", None]]) == 2
    assert path.read_bytes() == (
        b'\xef\xbb\xbfcode,notes\r\nS1,"a ""b"", c\nd"\r\nS2,\r\n'  # BOM, CRLF, RFC 4180 quotes
    )


def test_tsv_has_no_bom(tmp_path: Path) -> None:
    path = tmp_path / "out.tsv"
    write_table(path, ["code", "value"], [["S1", 0.30000000000000004], ["S2", 1e16]])
    assert path.read_bytes() == b"code\tvalue\r\nS1\t0.30000000000000004\r\nS2\t1e16\r\n"


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx"])
def test_what_is_written_reads_back(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"out{suffix}"
    write_table(path, HEADER, ROWS, sheet="Samples")
    table = read_table(path)
    assert table.header == tuple(HEADER)
    expected = [
        (
            "S-001",
            "Müller-See €",
            0.1,
            "2024-03-15",
            "2024-03-15 14:30:05",
            'two\r\nlines, "quoted"',
        ),
        ("S-002", "=SUM(A1)", 7, "", "", "#N/A"),
        ("007", "+1 (not a formula)", -2.5e-7, "2024-02-29", "", "\tx_x000D_y\r"),
    ]
    if suffix != ".xlsx":  # text files hold text; numbers come back as their exact shortest text
        expected = [tuple(repr_text(cell) for cell in row) for row in expected]
    assert [record.cells for record in table.records] == expected
    lines = [record.line for record in table.records]
    assert lines == ([2, 3, 4] if suffix == ".xlsx" else [2, 4, 5])
    if suffix == ".xlsx":
        assert table.source.sheet == "Samples"


def repr_text(cell: object) -> object:
    return (
        {0.1: "0.1", 7: "7", -2.5e-7: "-2.5e-7"}.get(cell, cell)
        if not isinstance(cell, str)
        else cell
    )


def test_the_xlsx_header_is_bold_and_frozen_and_dates_are_dates(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_table(path, HEADER, ROWS)
    sheet = openpyxl.load_workbook(path)["Table"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert not sheet["A2"].font.b
    assert sheet["D2"].is_date and sheet["D2"].number_format == "yyyy-mm-dd"
    assert sheet["E2"].is_date and sheet["E2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet["C2"].data_type == "n"
    for cell in ("B3", "F3", "B4"):  # =..., #N/A and +...: text, never a formula or an error
        assert sheet[cell].data_type == "s"
    assert sheet["A4"].value == "007"


def test_lab_values_survive_a_table_as_text(tmp_path: Path) -> None:
    values = [
        LabValue(0.05, Qualifier.BELOW),
        LabValue(1.2, None, 0.1),
        LabValue(None, Qualifier.NOT_DETECTED),
        LabValue(0.1 + 0.2),
    ]
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"values{suffix}"
        write_table(path, ["value"], [[format_lab_value(value)] for value in values])
        back = [parse_lab_value(record.cells[0]) for record in read_table(path).records]
        assert back == values


def test_an_existing_file_is_kept_unless_replacing_was_asked(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_bytes(b"precious")
    with pytest.raises(DestinationExists):
        write_table(path, ["a"], [["1"]])
    assert path.read_bytes() == b"precious"
    write_table(path, ["a"], [["1"]], overwrite=True)
    assert read_table(path).records == (Record(2, ("1",)),)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no temporary left


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    with pytest.raises(TableError, match="Excel cells hold at most 32,767"):
        write_table(path, ["notes"], [["ok"], ["x" * 40_000]])
    assert list(tmp_path.iterdir()) == []

    def rows() -> list[list[OutCell]]:
        raise RuntimeError("a bug while producing rows")

    with pytest.raises(RuntimeError):
        write_table(tmp_path / "out.csv", ["a"], rows())  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_written(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(CannotWrite, match=r"Could not write “out\.csv”"):
        write_table(not_a_folder / "out.csv", ["a"], [])


def test_only_table_formats_are_written(tmp_path: Path) -> None:
    with pytest.raises(TableError, match=r"as \.csv, \.tsv or \.xlsx"):
        write_table(tmp_path / "out.txt", ["a"], [])


def test_nul_characters_only_in_workbooks(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="Row 2 has a NUL character"):
        write_table(tmp_path / "out.csv", ["a"], [["ok"], ["a\x00b"]])
    assert list(tmp_path.iterdir()) == []
    write_table(tmp_path / "out.xlsx", ["a"], [["a\x00b"]])
    assert read_table(tmp_path / "out.xlsx").records[0].cells == ("a\x00b",)


def test_numbers_that_need_17_digits_or_are_big_integers(tmp_path: Path) -> None:
    """openpyxl's own "%.16g" would write 0.30000000000000004 as 0.3."""
    numbers: list[OutCell] = [0.1 + 0.2, 1.3510798882109852e16, 5e-324, 2**63 + 1, -(10**20)]
    write_table(tmp_path / "n.xlsx", ["value"], [[number] for number in numbers])
    assert [r.cells[0] for r in read_table(tmp_path / "n.xlsx").records] == numbers


def test_xlsx_escapes() -> None:
    assert xlsx_text("a\r\nb") == "a_x000D_\nb"
    assert xlsx_text("_x000D_") == "_x005F_x000D_"
    assert xlsx_text("\x00\x1f\t") == "_x0000__x001F_\t"


# Cells a person could have typed: any text (no surrogates), made of characters XML or the
# escapes can carry, with at least one cell that is not blank (blank records are skipped).
text_cells = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
rows = st.lists(
    st.lists(text_cells, min_size=3, max_size=3).filter(lambda row: any(c.strip() for c in row)),
    max_size=8,
)


def line_breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows, suffix=st.sampled_from([".csv", ".tsv", ".xlsx"]))
@example(rows=[["a\r\nb", "\r", "\n"]], suffix=".csv")
@example(rows=[["a\r\nb", "_x0041_", "\x0b"]], suffix=".xlsx")
@example(rows=[["é€\u2028", '"', ","]], suffix=".tsv")
def test_any_text_round_trips_exactly(tmp_path: Path, rows: list[list[str]], suffix: str) -> None:
    if suffix != ".xlsx":  # refused there (see test_nul_characters_only_in_workbooks)
        rows = [[cell.replace("\x00", "") for cell in row] for row in rows]
        rows = [row for row in rows if any(cell.strip() for cell in row)]
    path = tmp_path / f"round{suffix}"
    write_table(path, ["a", "b", "c"], rows, overwrite=True)
    table = read_table(path)
    assert [record.cells for record in table.records] == [tuple(row) for row in rows]
    if suffix == ".xlsx":
        assert [record.line for record in table.records] == list(range(2, len(rows) + 2))
    else:  # each record starts after the line breaks inside the records before it
        expected, line = [], 2
        for row in rows:
            expected.append(line)
            line += 1 + sum(line_breaks(cell) for cell in row)
        assert [record.line for record in table.records] == expected


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(numbers=st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=5))
@example(numbers=[0.30000000000000004, 1.3510798882109852e16])
def test_numbers_round_trip_exactly(tmp_path: Path, numbers: list[float]) -> None:
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"numbers{suffix}"
        write_table(path, ["value"], [[number] for number in numbers], overwrite=True)
        back = [record.cells[0] for record in read_table(path).records]
        assert [float(cell) for cell in back] == [number + 0.0 for number in numbers]
