"""Importing tables: columns matched to fields, every record checked, one transaction, undo.

The tables are real files read by ``app.domain.tables``; the document is a real one made by the
migrations and opened for editing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.document import OpenDocument
from app.domain.errors import InvalidInput
from app.domain.importing import (
    ImportOptions,
    ImportOutdated,
    Kind,
    apply_import,
    parse_map,
    plan_import,
    revert_import,
)
from app.domain.importing.fields import match_columns
from app.domain.tables import Table, read_table
from tests.domain.helpers import add_raw_sample, dump

TABLES = Path(__file__).resolve().parents[1] / "fixtures" / "tables"


def table(tmp_path: Path, text: str, name: str = "t.csv") -> Table:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return read_table(path)


def problems(doc: OpenDocument, tbl: Table, **options: object) -> list[tuple[int, str]]:
    return plan_import(doc.connection, tbl, ImportOptions(**options)).problems()  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# Columns


def test_headers_match_fields_case_insensitively() -> None:
    found = match_columns(("Code", " NAME ", "Tags", "Comment"), None)
    assert found.kind is Kind.SAMPLES
    assert [column.field for column in found.columns] == ["code", "name", "tags", None]
    assert found.notes == (
        "column “Comment” is not imported: it matches no field (give one with --map "
        "“Comment”=FIELD).",
    )


def test_map_renames_and_leaves_out_columns() -> None:
    mapped = parse_map(["Probe=code", "Wert=value", "Notiz=", "a=b=quantity"])
    assert mapped == {"Probe": "code", "Wert": "value", "Notiz": "", "a=b": "quantity"}
    found = match_columns(("probe", "a=b", "wert", "Notiz"), None, mapped)
    assert found.kind is Kind.MEASUREMENTS
    assert found.fields == ("code", "quantity", "value")
    assert found.notes == ()


@pytest.mark.parametrize(
    ("header", "kind", "mapped", "sentence"),
    [
        (("code", "value", "notes"), None, {}, "columns of samples (notes) and of measurements"),
        (("name", "notes"), None, {}, "needs the columns code"),
        (("code", "value"), Kind.MEASUREMENTS, {}, "needs the columns quantity"),
        (("quantity", "value"), None, {}, "code (or sample_id)"),
        (("code",), None, {"Probe": "code"}, "no column “Probe”"),
        (("code", "x"), None, {"x": "colour"}, "“colour” is not a field of samples"),
        (("code", "Code"), None, {}, "both give code"),
        (("code", "c2"), None, {"c2": "code"}, "both give code"),
    ],
)
def test_columns_that_do_not_fit_are_refused(
    header: tuple[str, ...], kind: Kind | None, mapped: dict[str, str], sentence: str
) -> None:
    with pytest.raises(InvalidInput, match=sentence.replace("(", r"\(").replace(")", r"\)")):
        match_columns(header, kind, mapped)


def test_bad_map_items() -> None:
    with pytest.raises(InvalidInput, match="COLUMN=FIELD"):
        parse_map(["code"])
    with pytest.raises(InvalidInput, match="COLUMN=FIELD"):
        parse_map(["=code"])


def test_a_measurements_table_names_its_samples_without_a_note() -> None:
    found = match_columns(("code", "name", "quantity", "value"), None)
    assert found.kind is Kind.MEASUREMENTS and found.notes == ()


# --------------------------------------------------------------------------------------------------
# Samples


def test_samples_with_everything(doc: OpenDocument, tmp_path: Path) -> None:
    tbl = table(
        tmp_path,
        "code,name,collected_on,location,notes,tags\r\n"
        'S-1, First ,2024-03-15,Lake ,"two\r\nlines",soil; river water\r\n'
        'S-2,Second,,,,"a, b"\r\n'
        "S-3,Third,,,,a;A ; ;b\r\n",
    )
    plan = plan_import(doc.connection, tbl)
    assert (plan.added, plan.updated, plan.rejected) == (3, 0, ())
    applied = apply_import(doc, plan)
    rows = doc.connection.execute(
        "SELECT code, name, collected_on, location, notes FROM sample ORDER BY id"
    ).fetchall()
    assert rows == [
        ("S-1", "First", "2024-03-15", "Lake", "two\r\nlines"),
        ("S-2", "Second", None, None, None),
        ("S-3", "Third", None, None, None),
    ]
    tags = doc.connection.execute(
        "SELECT s.code, t.name FROM sample_tag st JOIN sample s ON s.id = st.sample_id "
        "JOIN tag t ON t.id = st.tag_id ORDER BY s.code, t.name"
    ).fetchall()
    # ";" separates when there is one (a tag's commas survive), else ","; repeats fold together.
    assert tags == [
        ("S-1", "river water"),
        ("S-1", "soil"),
        ("S-2", "a"),
        ("S-2", "b"),
        ("S-3", "a"),
        ("S-3", "b"),
    ]
    assert len(applied.samples_added) == 3


def test_each_bad_record_is_reported_by_the_line_it_starts_on(
    doc: OpenDocument, tmp_path: Path
) -> None:
    add_raw_sample(doc.connection, "S-9")
    tbl = table(
        tmp_path,
        "code,name,collected_on\n"
        'S-1,"a\nb",2024-02-30\n'  # lines 2-3: an impossible date
        ",Nameless,\n"  # line 4
        "S-2,,\n"  # line 5
        "S-3,x,15.03.2024\n"  # line 6
        "S-3,again,\n"  # line 7
        "S-9,taken,\n"  # line 8
        "S-4,wide,,extra\n",  # line 9
    )
    before = dump(doc.connection)
    found = problems(doc, tbl)
    assert [line for line, _ in found] == [2, 4, 5, 6, 7, 8, 9]
    assert found[0][1] == "collected_on: “2024-02-30” is not a real date or time."
    assert found[1][1] == "code: Enter a code for the sample, like S-1."
    assert found[2][1] == "name: Enter a name for the sample."
    assert "give the date format" in found[3][1]
    assert found[4][1] == "the code “S-3” is also on line 6"
    assert "already has a sample with the code “S-9”" in found[5][1]
    assert "3 columns" in found[6][1]
    assert dump(doc.connection) == before


def test_dates_by_format_iso_always(doc: OpenDocument, tmp_path: Path) -> None:
    tbl = table(tmp_path, "code,name,collected_on\nS-1,a,15.03.2024\nS-2,b,2024-03-16\n")
    plan = plan_import(doc.connection, tbl, ImportOptions(date_format="%d.%m.%Y"))
    assert [record.fields.collected_on for record in plan.samples] == ["2024-03-15", "2024-03-16"]


def test_update_changes_only_the_given_fields(doc: OpenDocument, tmp_path: Path) -> None:
    sample_id = add_raw_sample(
        doc.connection, "S-1", "Old", location="Hill", notes="keep", tags=("old",)
    )
    tbl = table(tmp_path, "CODE,Location\nS-1,Valley\nS-2,Nowhere\n")
    plan = plan_import(doc.connection, tbl, ImportOptions(update=True))
    assert [line for line, _ in plan.problems()] == [3]  # a new sample needs a name
    assert (plan.added, plan.updated) == (0, 1)
    before = dump(doc.connection)
    applied = apply_import(doc, plan)
    row = doc.connection.execute(
        "SELECT name, location, notes FROM sample WHERE id = ?", (sample_id,)
    ).fetchone()
    assert row == ("Old", "Valley", "keep")
    assert [t for (t,) in doc.connection.execute("SELECT name FROM tag")] == ["old"]
    revert_import(doc, applied)
    assert dump(doc.connection) == before


def test_tags_given_replace_the_samples_tags(doc: OpenDocument, tmp_path: Path) -> None:
    add_raw_sample(doc.connection, "S-1", tags=("gone", "kept"))
    tbl = table(tmp_path, "code,tags\nS-1,Kept;new\n")
    apply_import(doc, plan_import(doc.connection, tbl, ImportOptions(update=True)))
    names = sorted(name for (name,) in doc.connection.execute("SELECT name FROM tag"))
    assert names == ["kept", "new"]  # "gone" carried by nobody: pruned; "Kept" is "kept"


# --------------------------------------------------------------------------------------------------
# Measurements


@pytest.fixture
def two_samples(doc: OpenDocument) -> tuple[int, int]:
    return add_raw_sample(doc.connection, "S-1"), add_raw_sample(doc.connection, "S-2")


def test_measurements_with_lab_values(
    doc: OpenDocument, tmp_path: Path, two_samples: tuple[int, int]
) -> None:
    first, second = two_samples
    tbl = table(
        tmp_path,
        "code;sample_id;quantity;value;unit;measured_at;qualifier;uncertainty\n"
        "S-1;;nitrate;<0,05;mg/L;2024-03-15 14:30;;\n"
        ";{second};nitrate;1,2 ± 0,1;mg/L;15.03.2024 15:00;;\n"
        "S-2;{second};lead;;µg/L;;nd;\n"
        "S-1;;pH;7,25;;;;0,02\n"
        "S-1;;pH;~3;;;~;\n".replace("{second}", str(second)),
    )
    plan = plan_import(
        doc.connection, tbl, ImportOptions(decimal_comma=True, date_format="%d.%m.%Y %H:%M")
    )
    assert plan.problems() == []
    apply_import(doc, plan)
    rows = doc.connection.execute(
        "SELECT sample_id, quantity, value, unit, measured_at, qualifier, uncertainty "
        "FROM measurement ORDER BY id"
    ).fetchall()
    assert rows == [
        (first, "nitrate", 0.05, "mg/L", "2024-03-15 14:30:00", "<", None),
        (second, "nitrate", 1.2, "mg/L", "2024-03-15 15:00:00", None, 0.1),
        (second, "lead", None, "µg/L", None, "nd", None),
        (first, "pH", 7.25, "", None, None, 0.02),
        (first, "pH", 3.0, "", None, "~", None),
    ]
    counts = dict(doc.connection.execute("SELECT code, measurement_count FROM sample"))
    assert counts == {"S-1": 3, "S-2": 2}


def test_bad_measurements_by_line(
    doc: OpenDocument, tmp_path: Path, two_samples: tuple[int, int]
) -> None:
    first, second = two_samples
    tbl = table(
        tmp_path,
        "code,sample_id,quantity,value,qualifier\n"
        "S-7,,pH,7,\n"  # 2: unknown code
        f",{second + 100},pH,7,\n"  # 3: unknown id
        f"S-1,{second},pH,7,\n"  # 4: code and id disagree
        'S-1,,pH,"1,5",\n'  # 5: a decimal comma not declared
        "S-1,,,7,\n"  # 6: no quantity
        "S-1,,pH,<0.05,>\n"  # 7: contradicting qualifier
        ",,pH,7,\n"  # 8: no sample
        "S-1,x,pH,7,\n",  # 9: not an id
    )
    found = dict(problems(doc, tbl))
    assert sorted(found) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert found[2] == "the document has no sample with the code “S-7”"
    assert found[3] == f"the document has no sample with the id {second + 100}"
    assert found[4] == f"the code “S-1” is sample {first}, not sample {second}: which one is meant?"
    assert found[5].startswith("value: “1,5” has a decimal comma")
    assert found[6] == "quantity: Enter what was measured, like pH or Temperature."
    assert found[7] == "qualifier: The qualifier “>” contradicts the value “<0.05”."
    assert found[8] == "no sample: give its code (or its sample_id)"
    assert found[9] == "sample_id: “x” is not a sample id (a whole number, like 12)."


# --------------------------------------------------------------------------------------------------
# Files from other programs


def test_excel_csv_in_windows_1252_with_decimal_commas(doc: OpenDocument) -> None:
    tbl = read_table(TABLES / "excel-de-1252.csv")
    options = ImportOptions(
        mapping=parse_map(
            ["Probe=code", "Entnahme=collected_on", "Notiz=notes", "Wert=", "Einheit="]
        ),
        date_format="%d.%m.%Y",
    )
    plan = plan_import(doc.connection, tbl, options)
    assert plan.problems() == []
    apply_import(doc, plan)
    notes = dict(doc.connection.execute("SELECT code, notes FROM sample"))
    assert notes["S-001"] == "erste Zeile\nzweite Zeile"
    assert notes["S-002"] == 'sagt "hallo"; dann nichts'
    names = dict(doc.connection.execute("SELECT code, name FROM sample"))
    assert names["S-002"] == "Bach (€)" and names["S-001"] == "Müller-See"


def test_libreoffice_workbook(doc: OpenDocument) -> None:
    tbl = read_table(TABLES / "libreoffice-samples.xlsx")
    plan = plan_import(doc.connection, tbl, ImportOptions(kind=Kind.SAMPLES))
    assert plan.problems() == []
    assert {note.split(":")[0] for note in plan.columns.notes} == {
        "column “measured_at” is not imported",
        "column “value” is not imported",
        "column “count” is not imported",
    }
    apply_import(doc, plan)
    rows = doc.connection.execute(
        "SELECT code, collected_on, notes FROM sample ORDER BY code"
    ).fetchall()
    assert rows[0] == ("S-001", "2024-03-15", "two\nlines")
    # LibreOffice made "=2*21" a formula: a workbook gives its computed value, never runs it.
    assert rows[2] == ("S-003", None, "42")
    assert rows[3][1] == "2024-02-29"


def test_csv_text_marks_are_removed_in_csv_only(doc: OpenDocument, tmp_path: Path) -> None:
    text = "code,name,notes\r\nS-1,'=1+1,'-5\r\nS-2,'plain,''quoted\r\n"
    for name, expected in (
        ("t.csv", [("=1+1", "-5"), ("'plain", "'quoted")]),
        ("t.tsv", [("'=1+1", "'-5"), ("'plain", "''quoted")]),
    ):
        tbl = table(tmp_path, text.replace(",", "\t") if name.endswith("tsv") else text, name)
        plan = plan_import(doc.connection, tbl)
        assert [(r.fields.name, r.fields.notes) for r in plan.samples] == expected


# --------------------------------------------------------------------------------------------------
# Writing


def test_undo_and_redo_give_the_same_rows(
    doc: OpenDocument, tmp_path: Path, two_samples: tuple[int, int]
) -> None:
    tbl = table(tmp_path, "code,quantity,value\nS-1,pH,7\nS-2,pH,<1\nS-2,lead,n.d.\n")
    plan = plan_import(doc.connection, tbl)
    before = dump(doc.connection)
    applied = apply_import(doc, plan)
    after = dump(doc.connection)
    revert_import(doc, applied)
    assert dump(doc.connection) == before
    again = apply_import(doc, plan, again=applied)
    assert again == applied and dump(doc.connection) == after


def test_a_plan_is_only_written_to_the_document_it_saw(doc: OpenDocument, tmp_path: Path) -> None:
    tbl = table(tmp_path, "code,name\nS-1,a\n")
    plan = plan_import(doc.connection, tbl)
    add_raw_sample(doc.connection, "S-1")  # taken meanwhile
    before = dump(doc.connection)
    with pytest.raises(ImportOutdated):
        apply_import(doc, plan)
    assert dump(doc.connection) == before


def test_progress_and_cancel(doc: OpenDocument, tmp_path: Path) -> None:
    rows = "".join(f"S-{n},Sample {n}\n" for n in range(1200))
    plan = plan_import(doc.connection, table(tmp_path, "code,name\n" + rows))
    seen: list[tuple[int, int]] = []
    before = dump(doc.connection)
    with pytest.raises(InvalidInput, match="cancelled"):
        apply_import(
            doc, plan, progress=lambda *step: seen.append(step), cancelled=lambda: bool(seen)
        )
    assert seen == [(500, 1200)] and dump(doc.connection) == before
    seen.clear()
    apply_import(doc, plan, progress=lambda *step: seen.append(step))
    assert seen == [(500, 1200), (1000, 1200), (1200, 1200)]


def test_preview_shows_the_mapped_cells_and_what_happens(doc: OpenDocument, tmp_path: Path) -> None:
    add_raw_sample(doc.connection, "S-2")
    tbl = table(tmp_path, "Name,Code,Extra\nOne,S-1,x\nTwo,S-2,y\n")
    plan = plan_import(doc.connection, tbl, ImportOptions(update=True))
    assert plan.preview_fields == ("name", "code")
    assert [(row.line, row.cells, row.action) for row in plan.preview()] == [
        (2, ("One", "S-1"), "add"),
        (3, ("Two", "S-2"), "update"),
    ]


def test_counts_stay_right_through_an_import(
    doc: OpenDocument, tmp_path: Path, two_samples: tuple[int, int]
) -> None:
    tbl = table(tmp_path, "code,quantity,value\n" + "S-1,pH,7\n" * 40)
    apply_import(doc, plan_import(doc.connection, tbl))
    assert doc.connection.execute(
        "SELECT measurement_count FROM sample WHERE code = 'S-1'"
    ).fetchone() == (40,)


def test_rows_pasted_from_a_spreadsheet_take_the_same_path(doc: OpenDocument) -> None:
    """What Excel puts on the clipboard: tab-separated, CRLF, a cell with a line break quoted."""
    from app.domain.tables import read_pasted_table  # noqa: PLC0415

    pasted = 'code\tname\tnotes\r\nS-1\tLake\t"two\nlines"\r\nS-2\t\t\r\n'
    plan = plan_import(doc.connection, read_pasted_table(pasted))
    assert plan.problems() == [(4, "name: Enter a name for the sample.")]
    assert [(r.line, r.fields.notes) for r in plan.samples] == [(2, "two\nlines")]
    assert plan.table.source.name == "pasted rows"
