"""Reading text tables: files as Excel, LibreOffice and scripts write them, and files that are not."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from app.domain.lab_values import LabValue, Qualifier, lab_value_from_columns
from app.domain.tables import Limits, Record, TableError, read_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tables"

GERMAN_HEADER = ("Probe", "Name", "Entnahme", "Wert", "Einheit", "Notiz")
GERMAN_RECORDS = (
    Record(2, ("S-001", "Müller-See", "15.03.2024", "0,05", "mg/l", "erste Zeile\nzweite Zeile")),
    Record(4, ("S-002", "Bach (€)", "16.03.2024", "<0,01", "mg/l", 'sagt "hallo"; dann nichts')),
    Record(5, ("S-003", "Teich", "", "1,2 ± 0,1", "µg/l", "")),
    # line 6 is Excel's empty row ";;;;;": skipped, and the lines after it still count
    Record(7, ("S-004", "Quelle", "17.03.2024", "n.d.", "", "")),
    Record(8, ("S-005", "Brunnen", "18.03.2024", "-3,5E-2", "°C", "")),
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("excel-de-1252.csv", "windows-1252"), ("excel-de-utf8-bom.csv", "utf-8-sig")],
)
def test_a_csv_from_excel_in_a_german_locale(name: str, encoding: str) -> None:
    path = FIXTURES / name
    before = digest(path)
    table = read_table(path)
    assert table.source.encoding == encoding
    assert table.source.delimiter == ";"
    assert table.source.newline == "\r\n"
    assert table.header == GERMAN_HEADER  # no BOM in the first name
    assert table.header_line == 1
    assert table.records == GERMAN_RECORDS
    assert digest(path) == before  # reading never changes the file
    values = [lab_value_from_columns(r.cells[3], decimal_comma=True) for r in table.records]
    assert values == [
        LabValue(0.05),
        LabValue(0.01, Qualifier.BELOW),
        LabValue(1.2, None, 0.1),
        LabValue(None, Qualifier.NOT_DETECTED),
        LabValue(-0.035),
    ]


def test_excels_unicode_text_is_utf16_with_tabs() -> None:
    table = read_table(FIXTURES / "excel-unicode-text.txt")
    assert (table.source.encoding, table.source.delimiter) == ("utf-16", "\t")
    assert table.header == ("code", "quantity", "value", "unit")
    assert table.records == (
        Record(2, ("S-001", "pH", "7,25", "")),
        Record(3, ("S-002", "Nitrat", "<0,5", "mg/l")),
    )


def test_a_tsv_with_a_quoted_crlf_in_an_lf_file() -> None:
    table = read_table(FIXTURES / "measurements.tsv")
    assert (table.source.encoding, table.source.delimiter) == ("utf-8", "\t")
    assert table.source.newline == "\n"
    assert table.records[-1] == Record(4, ("S-003", "note", "two\r\nlines", "", ""))


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_line_numbers_count_every_line_break_inside_quotes(tmp_path: Path) -> None:
    data = b'a,b\r\n1,"x\r\ny\rz\nw"\r\n2,plain\r\n\r\n3,"\r\n"\r\n4,end'
    table = read_table(write(tmp_path, "t.csv", data))
    assert table.records == (
        Record(2, ("1", "x\r\ny\rz\nw")),
        Record(6, ("2", "plain")),  # lines 2-5 hold record 1: CRLF, CR and LF each end a line
        Record(8, ("3", "\r\n")),
        Record(10, ("4", "end")),
    )


@pytest.mark.parametrize(
    ("data", "delimiter"),
    [
        (b"a,b,c\n1,2,3\n", ","),
        (b"a;b;c\n1,5;2;3\n", ";"),  # commas inside values do not fool it
        (b"a\tb\n1\t2\n", "\t"),
        (b"a|b\n1|2\n", "|"),
        (b'name,notes\nx,"a;b;c"\n', ","),
        (b"code\nS1\nS2\n", ","),  # one column
    ],
)
def test_delimiter_detection(tmp_path: Path, data: bytes, delimiter: str) -> None:
    assert read_table(write(tmp_path, "t.csv", data)).source.delimiter == delimiter


def test_an_undecidable_delimiter_is_asked_for(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", b"a,b;c\n1,2;3\n")
    with pytest.raises(TableError, match=r"separated by “,” or “;”: give the delimiter"):
        read_table(path)
    assert read_table(path, delimiter=";").header == ("a,b", "c")


def test_a_given_delimiter_and_tsv_are_not_second_guessed(tmp_path: Path) -> None:
    assert read_table(write(tmp_path, "t.txt", b"a;b\n1;2\n"), delimiter="tab").header == ("a;b",)
    assert read_table(write(tmp_path, "t.tsv", b"a,b\n1,2\n")).header == ("a,b",)
    assert read_table(write(tmp_path, "u.txt", b"a\tb\n1\t2\n")).source.delimiter == "\t"
    with pytest.raises(TableError, match="cannot separate columns"):
        read_table(write(tmp_path, "v.csv", b"a,b\n"), delimiter="ab")


def test_utf8_without_bom_and_ascii(tmp_path: Path) -> None:
    assert read_table(write(tmp_path, "a.csv", b"a,b\n1,2\n")).source.encoding == "utf-8"
    table = read_table(write(tmp_path, "u.csv", "name\nµ€ç\n".encode()))
    assert (table.source.encoding, table.records[0].cells) == ("utf-8", ("µ€ç",))


def test_a_given_encoding_is_checked_and_names_the_line(tmp_path: Path) -> None:
    path = FIXTURES / "excel-de-1252.csv"
    with pytest.raises(TableError, match=r"not utf-8 text: line 2 "):
        read_table(path, encoding="utf-8")
    assert read_table(path, encoding="cp1252").records == GERMAN_RECORDS
    with pytest.raises(TableError, match="not an encoding Samplebook knows"):
        read_table(path, encoding="klingon")
    bom = FIXTURES / "excel-de-utf8-bom.csv"
    assert read_table(bom, encoding="utf-8").header == GERMAN_HEADER


def test_neither_utf8_nor_windows_1252(tmp_path: Path) -> None:
    # 0x81 and 0x8D are undefined in Windows-1252 and invalid alone in UTF-8.
    path = write(tmp_path, "t.csv", b"a,b\r\n1,2\r\nx\x81,\x8d\r\n")
    with pytest.raises(TableError, match=r"not UTF-8 or Windows-1252 text \(line 3 "):
        read_table(path)
    assert read_table(path, encoding="latin-1").records[1].cells == ("x\x81", "\x8d")


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "is empty: it has no column names"),
        (b"\r\na,b\r\n", "Line 1 of “t.csv” is empty"),
        (b'a,b\n1,"open\n2,3\n', "quoted cell starting on line 2 is never closed"),
        (b'a,b\n1,"x"y\n', "line 2 is not valid"),
        (b"a,b\n\x00\x01\x02\x03", "holds binary data"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old-style Excel workbook (.xls)"),
    ],
)
def test_files_that_are_not_tables(tmp_path: Path, data: bytes, says: str) -> None:
    with pytest.raises(TableError) as caught:
        read_table(write(tmp_path, "t.csv", data))
    assert says in str(caught.value)


def test_a_workbook_named_csv(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(TableError, match=r"give it the extension \.xlsx"):
        read_table(path)


def test_missing_files_and_unknown_extensions(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="cannot be read"):
        read_table(tmp_path / "missing.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(TableError, match=r"“folder\.csv” cannot be read: Is a directory"):
        read_table(tmp_path / "folder.csv")
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(TableError, match=r"“folder\.xlsx” cannot be read: Is a directory"):
        read_table(tmp_path / "folder.xlsx")
    with pytest.raises(TableError, match=r"use a \.csv, \.tsv, \.txt or \.xlsx file"):
        read_table(write(tmp_path, "t.ods", b"a"))
    with pytest.raises(TableError, match="has no sheets"):
        read_table(write(tmp_path, "t.csv", b"a\n"), sheet="Data")


@pytest.mark.parametrize(
    ("limits", "data", "says"),
    [
        (Limits(max_file_bytes=10), b"a,b\n1,2\n3,4\n", "reads tables of up to"),
        (Limits(max_records=2), b"a\n1\n2\n3\n", "more than 2 rows"),
        (Limits(max_columns=3), b"a,b\n1,2,3,4\n", "Line 2 of “t.csv” has 4 columns"),
        (Limits(max_columns=3), b"a,b,c,d\n", "Line 1 of “t.csv” has 4 columns"),
        (Limits(max_cell_chars=5), b'a,b\n1,"123456"\n', "longer than 5 characters"),
        (Limits(max_line_chars=8), b"a,b\n1,2\n123456789,0\n", "Line 3 of “t.csv” is longer"),
    ],
)
def test_limits_stop_reading_with_a_sentence(
    tmp_path: Path, limits: Limits, data: bytes, says: str
) -> None:
    with pytest.raises(TableError) as caught:
        read_table(write(tmp_path, "t.csv", data), limits=limits)
    assert says in str(caught.value)


def test_an_unclosed_quote_cannot_swallow_a_huge_file(tmp_path: Path) -> None:
    """The cell limit stops it early, instead of one cell holding the rest of the file."""
    data = b'a,b\n1,"' + b"x,y\n" * 50_000
    with pytest.raises(TableError, match="longer than 1,000 characters"):
        read_table(write(tmp_path, "t.csv", data), limits=Limits(max_cell_chars=1_000))


def test_trailing_empty_cells_beyond_the_header_are_dropped(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "t.csv", b"a;b;\n1;;\n2;3;;;;\n4;5;;x\n"))
    assert table.header == ("a", "b", "")
    assert [record.cells for record in table.records] == [
        ("1", "", ""),
        ("2", "3", ""),
        ("4", "5", "", "x"),  # a value beyond the header stays, for the import to report
    ]


def test_header_names_are_trimmed_cells_are_not(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "t.csv", b" code , name\n S1 , x \n"))
    assert table.header == ("code", "name")
    assert table.records[0].cells == (" S1 ", " x ")
