"""Reading .xlsx: workbooks from openpyxl and LibreOffice, sheets, cell types, hostile files."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from app.domain.tables import Limits, Record, TableError, read_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tables"


def test_a_workbook_written_by_libreoffice() -> None:
    table = read_table(FIXTURES / "libreoffice-samples.xlsx")
    assert table.source.sheets == ("samples",)
    assert table.header == (
        "code",
        "name",
        "collected_on",
        "measured_at",
        "value",
        "count",
        "notes",
    )
    assert table.records == (
        Record(2, ("S-001", "Lake", "2024-03-15", "2024-03-15 14:30:00", 0.1, 3, "two\nlines")),
        Record(3, ("S-002", "Bäch", "2024-03-16", "", 1e-05, "", "")),
        Record(4, ("S-003", "Pond", "", "2024-03-17 09:05:30", -2.5, 12, 42)),  # =2*21
        # LibreOffice keeps 15 significant digits: 0.30000000000000004 was saved as 0.3
        Record(5, ("S-004", "Well", "2024-02-29", "", 0.3, "", 'quote "x"')),
    )
    assert isinstance(table.records[0].cells[5], int)


def make_workbook(path: Path) -> Path:
    """A workbook as a person might leave it: a notes sheet first, a merged header cell, an
    empty row, mixed cell types and a stray formatted cell far to the right."""
    workbook = openpyxl.Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Notes"
    notes["A1"] = "Measured by Ana"
    data = workbook.create_sheet("Data")
    data.append(["code", "value", None, "measured_at", "ok"])
    data.merge_cells("B1:C1")
    data.append([])
    data.append(["S1", 0.1, "mg/L", datetime.datetime(2024, 3, 15, 14, 30, 15), True])
    data.append(["S2", 7, None, datetime.date(2024, 3, 16), False])
    data.append(["S3", 1 / 3, "", datetime.datetime(2024, 3, 17, 0, 0), None])
    data["D6"] = datetime.datetime(2024, 3, 18, 0, 0)
    data["D6"].number_format = "yyyy-mm-dd"  # midnight, shown as a date: a date
    data["A6"] = "S4"
    data["B6"] = "=1+2"  # no cached value: openpyxl does not compute formulas
    data["A7"] = "S5"
    data["B7"] = datetime.time(14, 30)
    data["Z7"].number_format = "0.00"  # formatted but empty
    data["A8"] = "S6"
    data["B8"] = "cr_x000D_lf"  # how Excel stores a carriage return in a cell
    data["C8"] = "_x005F_x000D_"  # and a literal "_x000D_"
    workbook.save(path)
    return path


def test_a_workbook_written_by_openpyxl(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "book.xlsx")
    table = read_table(path, sheet="Data")
    assert table.source.sheets == ("Notes", "Data")
    assert table.header == ("code", "value", "", "measured_at", "ok")
    assert table.header_line == 1
    assert table.records == (
        Record(3, ("S1", 0.1, "mg/L", "2024-03-15 14:30:15", "TRUE")),
        Record(4, ("S2", 7, "", "2024-03-16", "FALSE")),
        Record(5, ("S3", 1 / 3, "", "2024-03-17 00:00:00", "")),  # shown with its time
        Record(6, ("S4", "", "", "2024-03-18", "")),
        Record(7, ("S5", "14:30:00", "", "", "")),
        Record(8, ("S6", "cr\rlf", "_x000D_", "", "")),
    )


def test_the_first_sheet_is_the_default_and_names_are_matched_like_excel(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "book.xlsx")
    assert read_table(path).header == ("Measured by Ana",)
    assert read_table(path, sheet="data").source.sheet == "Data"


def test_a_missing_sheet_names_the_sheets(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "book.xlsx")
    with pytest.raises(TableError) as caught:
        read_table(path, sheet="Results")
    assert str(caught.value) == (
        "“book.xlsx” has no sheet named “Results”; its sheets are “Notes”, “Data”."
    )


def test_text_options_are_refused_for_workbooks(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "book.xlsx")
    with pytest.raises(TableError, match="applies to text files only"):
        read_table(path, delimiter=";")


def test_dates_of_a_1904_workbook(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["collected_on"])
    sheet.append([datetime.date(2024, 3, 15)])
    workbook.save(tmp_path / "mac.xlsx")
    assert read_table(tmp_path / "mac.xlsx").records[0].cells == ("2024-03-15",)


def test_a_sheet_that_starts_lower_down(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["B3"] = "code"
    sheet["B4"] = "S1"
    workbook.save(tmp_path / "low.xlsx")
    table = read_table(tmp_path / "low.xlsx")
    assert (table.header, table.header_line) == (("", "code"), 3)
    assert table.records == (Record(4, ("", "S1")),)


def test_an_empty_sheet(tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "empty.xlsx")
    with pytest.raises(TableError, match=r"The sheet “Sheet” of “empty.xlsx” is empty"):
        read_table(tmp_path / "empty.xlsx")


def rewrite_part(source: Path, target: Path, part: str, data: bytes) -> Path:
    """A copy of a workbook with one part replaced, as a hostile sender would make it."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == part else old.read(info))
    return target


def small_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["code", "name"])
    sheet.append(["S1", "x"])
    workbook.save(path)
    return path


SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet_xml(rows: str, dimension: str = "A1:B2") -> bytes:
    return (
        f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def test_a_stored_dimension_does_not_pad_rows(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'
    path = rewrite_part(
        small_workbook(tmp_path / "a.xlsx"),
        tmp_path / "b.xlsx",
        SHEET,
        sheet_xml(rows, "A1:XFD1048576"),
    )
    table = read_table(path)
    assert table.header == ("code",)
    assert table.records == ()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    padding = b" " * (64 << 20)  # 64 MiB of spaces pack into about 64 KiB
    bomb = sheet_xml("", "A1").replace(b"<sheetData>", b"<sheetData>" + padding)
    path = rewrite_part(small_workbook(tmp_path / "a.xlsx"), tmp_path / "bomb.xlsx", SHEET, bomb)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(TableError, match=r"unpacks to 1,\d{3} times its size.*zip bombs"):
        read_table(path)
    with pytest.raises(TableError, match="it unpacks to 64 MB"):
        read_table(path, limits=Limits(max_unpacked_bytes=32 << 20, max_pack_ratio=10**6))


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<sst xmlns="' + MAIN.encode() + b'"><si><t>&b;</t></si></sst>'
    )
    source = small_workbook(tmp_path / "a.xlsx")
    with zipfile.ZipFile(source) as archive:
        names = archive.namelist()
    part = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else SHEET
    path = rewrite_part(source, tmp_path / "laughs.xlsx", part, laughs)
    with pytest.raises(TableError, match="declares a document type"):
        read_table(path)


def test_a_row_wider_than_excel_is_refused(tmp_path: Path) -> None:
    cells = "<c><v>1</v></c>" * 16_385  # no r attributes: openpyxl would count on forever
    path = rewrite_part(
        small_workbook(tmp_path / "a.xlsx"),
        tmp_path / "wide.xlsx",
        SHEET,
        sheet_xml(f"<row>{cells}</row>"),
    )
    with pytest.raises(TableError, match="more than 16,384 cells"):
        read_table(path)


def test_rows_beyond_excels_last_row_are_refused(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'
        '<row r="999999999999"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    path = rewrite_part(
        small_workbook(tmp_path / "a.xlsx"), tmp_path / "far.xlsx", SHEET, sheet_xml(rows)
    )
    with pytest.raises(TableError, match="beyond Excel's last row"):
        read_table(path)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"code,name\nS1,x\n", "is not an Excel workbook (.xlsx), or it is damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old-style Excel workbook (.xls)"),
        (b"", "is not an Excel workbook"),
    ],
)
def test_files_that_are_not_workbooks(tmp_path: Path, data: bytes, says: str) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)
    with pytest.raises(TableError) as caught:
        read_table(path)
    assert says in str(caught.value)


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "t.xlsx", "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(TableError, match="is not an Excel workbook"):
        read_table(tmp_path / "t.xlsx")


def test_broken_xml_is_reported_as_damage(tmp_path: Path) -> None:
    path = rewrite_part(
        small_workbook(tmp_path / "a.xlsx"), tmp_path / "b.xlsx", SHEET, b"<worksheet><sheetData>"
    )
    with pytest.raises(TableError, match=r"is damaged: its part xl/worksheets/sheet1\.xml"):
        read_table(path)


def test_a_truncated_workbook(tmp_path: Path) -> None:
    data = small_workbook(tmp_path / "a.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    with pytest.raises(TableError, match="is not an Excel workbook"):
        read_table(tmp_path / "cut.xlsx")


@pytest.mark.parametrize(
    ("limits", "says"),
    [
        (Limits(max_records=0), "more than 0 rows"),
        (Limits(max_columns=1), "Row 1 of “a.xlsx” has 2 columns"),
        (Limits(max_cell_chars=1), "longer than 1 characters"),
        (Limits(max_file_bytes=100), "reads workbooks of up to"),
    ],
)
def test_limits_for_workbooks(tmp_path: Path, limits: Limits, says: str) -> None:
    with pytest.raises(TableError) as caught:
        read_table(small_workbook(tmp_path / "a.xlsx"), limits=limits)
    assert says in str(caught.value)
