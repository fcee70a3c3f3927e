"""Lab values: what people and instruments write, what is refused and why, and exact round trips."""

from __future__ import annotations

import math
import sqlite3
import struct

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.domain.errors import InvalidInput
from app.domain.lab_values import (
    CHECKS,
    InvalidLabValue,
    LabValue,
    Qualifier,
    format_lab_value,
    format_number,
    lab_value_from_columns,
    parse_lab_value,
    parse_qualifier,
    usage,
)

BELOW, ABOVE, APPROX, ND = (
    Qualifier.BELOW,
    Qualifier.ABOVE,
    Qualifier.APPROXIMATE,
    Qualifier.NOT_DETECTED,
)
THIN, NARROW_NBSP, NBSP, MINUS = "\u2009", "\u202f", "\u00a0", "\u2212"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7.25", LabValue(7.25)),
        ("<0.05", LabValue(0.05, BELOW)),
        ("< 0.05", LabValue(0.05, BELOW)),
        (">100", LabValue(100.0, ABOVE)),
        ("> 100", LabValue(100.0, ABOVE)),
        ("~3", LabValue(3.0, APPROX)),
        ("\u22483", LabValue(3.0, APPROX)),  # ≈
        ("\u223c 3", LabValue(3.0, APPROX)),  # tilde operator
        ("1.2 ± 0.1", LabValue(1.2, None, 0.1)),
        ("1.2±0.1", LabValue(1.2, None, 0.1)),
        ("1.2+/-0.1", LabValue(1.2, None, 0.1)),
        ("1.2 +/- 0.1", LabValue(1.2, None, 0.1)),
        ("1.2 +- 0.1", LabValue(1.2, None, 0.1)),
        ("1.2+-0.1", LabValue(1.2, None, 0.1)),
        ("1.2 ± 0", LabValue(1.2, None, 0.0)),
        ("n.d.", LabValue(None, ND)),
        ("N.D.", LabValue(None, ND)),
        ("n.d", LabValue(None, ND)),
        ("ND", LabValue(None, ND)),
        ("nd", LabValue(None, ND)),
        ("not detected", LabValue(None, ND)),
        ("Not  Detected", LabValue(None, ND)),
        ("1.2e-3", LabValue(0.0012)),
        ("1.2E-3", LabValue(0.0012)),
        ("1e16", LabValue(1e16)),
        ("4.9e-324", LabValue(5e-324)),  # the smallest subnormal survives
        ("-1.5", LabValue(-1.5)),
        (f"{MINUS}1.5", LabValue(-1.5)),
        (f"1.2e{MINUS}3", LabValue(0.0012)),
        (f"<{MINUS}5", LabValue(-5.0, BELOW)),
        ("+2", LabValue(2.0)),
        (".5", LabValue(0.5)),
        ("5.", LabValue(5.0)),
        ("-0.0", LabValue(0.0)),
        (f"{NBSP}<{NARROW_NBSP}0.05 ", LabValue(0.05, BELOW)),
        (f"1.2{THIN}±{THIN}0.1", LabValue(1.2, None, 0.1)),
        ("\t7.25\n", LabValue(7.25)),
    ],
)
def test_accepted_forms(text: str, expected: LabValue) -> None:
    assert parse_lab_value(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0,05", LabValue(0.05)),
        ("<0,05", LabValue(0.05, BELOW)),
        ("1,2 ± 0,1", LabValue(1.2, None, 0.1)),
        ("1,2+/-0,1", LabValue(1.2, None, 0.1)),
        ("1,234", LabValue(1.234)),  # the comma was declared decimal: not ambiguous
        ("1,2e-3", LabValue(0.0012)),
        ("7", LabValue(7.0)),
        ("n.d.", LabValue(None, ND)),
    ],
)
def test_decimal_commas_when_asked(text: str, expected: LabValue) -> None:
    assert parse_lab_value(text, decimal_comma=True) == expected


@pytest.mark.parametrize(
    ("text", "decimal_comma", "says"),
    [
        ("", False, "Enter a value"),
        ("   ", False, "Enter a value"),
        ("abc", False, "Value must be a number like 7.25"),
        ("<", False, "Value must be a number"),
        ("1.2 ±", False, "Value must be a number"),
        ("± 0.1", False, "Value must be a number"),
        ("5%", False, "Value must be a number"),
        ("0,05", False, "decimal comma: write 0.05"),
        ("1,2 ± 0,1", False, "decimal comma: write 1.2"),
        ("1,234", False, "ambiguous"),
        ("12,345", False, "Write 12345 or 12.345"),
        ("1,234.5", False, "thousands separators"),
        ("1.234,5", False, "thousands separators"),
        ("1.234.567", False, "thousands separators"),
        ("12,345,678", False, "thousands separators"),
        ("1 234", False, "thousands separators"),
        (f"1{THIN}234", False, "thousands separators"),
        ("1'234", False, "thousands separators"),
        ("1.2", True, "decimal commas are in use: write 1,2"),
        ("1.234", True, "write 1234 or 1,234"),
        ("1.234,5", True, "like 1234,5"),
        ("nan", False, "not a number a measurement can have"),
        ("NaN", False, "not a number a measurement can have"),
        ("inf", False, "not a number a measurement can have"),
        ("-Infinity", False, "not a number a measurement can have"),
        ("<inf", False, "names a limit"),
        ("1e999", False, "too large"),
        ("1e-999", False, "too close to zero"),
        ("1_000", False, "without “_”"),
        ("\uff11\uff12", False, "digits other than 0 to 9"),  # full-width 12
        ("\u0661\u0662", False, "digits other than 0 to 9"),  # Arabic-Indic 12
        ("1.2 ± -0.1", False, "zero or positive"),
        ("1.2 ± \u22120.1", False, "zero or positive"),
        ("<0.05 ± 0.01", False, "below a limit has no ± uncertainty"),
        (">5 +/- 1", False, "above a limit has no ± uncertainty"),
        ("~3 ± 1", False, "either ~ or ±"),
        ("<LOD", False, "names a limit without its value"),
        ("<LOQ", False, "names a limit without its value"),
        ("< DL", False, "names a limit without its value"),
        ("\u22640.05", False, "write <0.05 rather than"),  # ≤
        (">=3", False, "write >3 rather than >=3"),
        ("0.05 mg/L", False, "the unit has its own field"),
        ("7.2pH", False, "the unit has its own field"),
        ("0x10", False, "more than a value"),
        ("1.2.3", False, "Value must be a number"),
        ("n/d", False, "Value must be a number"),  # "no data" as often as "not detected"
    ],
)
def test_refusals_say_what_to_do(text: str, decimal_comma: bool, says: str) -> None:
    with pytest.raises(InvalidLabValue) as caught:
        parse_lab_value(text, decimal_comma=decimal_comma)
    error = caught.value
    assert says in error.reason
    assert isinstance(error, InvalidInput)  # the GUI and CLI show it like any bad field
    assert error.problems == {"value": error.reason}
    assert error.reason.endswith(".")


def test_the_generic_refusal_names_the_forms() -> None:
    assert usage() == (
        "Value must be a number like 7.25, optionally with <, >, ~ or ± "
        "(e.g. <0.05, 1.2 ± 0.1), or n.d."
    )
    with pytest.raises(InvalidLabValue, match="7,25"):
        parse_lab_value("abc", decimal_comma=True)


def test_numbers_from_spreadsheet_cells() -> None:
    assert parse_lab_value(7) == LabValue(7.0)
    assert parse_lab_value(0.1) == LabValue(0.1)
    assert math.copysign(1.0, parse_lab_value(-0.0).value or 1.0) == 1.0
    for bad in (math.nan, math.inf, True):
        with pytest.raises(InvalidLabValue):
            parse_lab_value(bad)


def test_the_value_object_keeps_its_rules() -> None:
    for broken in (
        lambda: LabValue(None),
        lambda: LabValue(1.0, ND),
        lambda: LabValue(math.nan),
        lambda: LabValue(1.0, BELOW, 0.1),
        lambda: LabValue(1.0, None, -0.1),
        lambda: LabValue(None, ND, 0.1),
    ):
        with pytest.raises(ValueError):
            broken()
    assert LabValue(1).value == 1.0
    assert isinstance(LabValue(1).value, float)
    assert not LabValue(None, ND).detected
    assert LabValue(0.05, BELOW).detected


@pytest.mark.parametrize(
    ("value", "text", "comma_text"),
    [
        (LabValue(7.25), "7.25", "7,25"),
        (LabValue(100.0), "100", "100"),
        (LabValue(0.05, BELOW), "<0.05", "<0,05"),
        (LabValue(100.0, ABOVE), ">100", ">100"),
        (LabValue(3.0, APPROX), "~3", "~3"),
        (LabValue(1.2, None, 0.1), "1.2 ± 0.1", "1,2 ± 0,1"),
        (LabValue(None, ND), "n.d.", "n.d."),
        (LabValue(1e-5), "1e-5", "1e-5"),
        (LabValue(1.5e20), "1.5e20", "1,5e20"),
        (LabValue(-2.5e-7), "-2.5e-7", "-2,5e-7"),
        (LabValue(0.1 + 0.2), "0.30000000000000004", "0,30000000000000004"),
    ],
)
def test_formatting(value: LabValue, text: str, comma_text: str) -> None:
    assert format_lab_value(value) == text
    assert format_lab_value(value, decimal_comma=True) == comma_text


finite = st.floats(allow_nan=False, allow_infinity=False)
lab_values = st.one_of(
    st.builds(LabValue, finite),
    st.builds(LabValue, finite, st.sampled_from([BELOW, ABOVE, APPROX])),
    st.builds(
        lambda v, u: LabValue(v, None, u),
        finite,
        st.floats(min_value=0, allow_nan=False, allow_infinity=False),
    ),
    st.just(LabValue(None, ND)),
)


def bits(number: float | None) -> bytes | None:
    return None if number is None else struct.pack("<d", number)


@given(lab_values, st.booleans())
@example(LabValue(5e-324), False)
@example(LabValue(1.7976931348623157e308, None, 5e-324), True)
@example(LabValue(-0.0), False)
def test_formatted_values_parse_back_exactly(value: LabValue, decimal_comma: bool) -> None:
    text = format_lab_value(value, decimal_comma=decimal_comma)
    back = parse_lab_value(text, decimal_comma=decimal_comma)
    assert back == value
    assert (bits(back.value), bits(back.uncertainty)) == (
        bits(value.value),
        bits(value.uncertainty),
    )


@given(finite)
def test_format_number_is_shortest_and_exact(number: float) -> None:
    text = format_number(number)
    assert float(text) == number
    assert len(text) <= len(repr(number))


@given(lab_values)
def test_columns_round_trip(value: LabValue) -> None:
    assert LabValue.from_columns(*value.columns()) == value


@given(st.text(max_size=30), st.booleans())
def test_any_text_is_a_value_or_a_sentence(text: str, decimal_comma: bool) -> None:
    try:
        parse_lab_value(text, decimal_comma=decimal_comma)
    except InvalidLabValue as error:
        assert error.reason


def _proposed_table() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    checks = ", ".join(f"CONSTRAINT {name} CHECK ({sql})" for name, sql in CHECKS.items())
    conn.execute(
        f"CREATE TABLE measurement (value REAL, qualifier TEXT, uncertainty REAL, {checks})"
    )
    return conn


@given(lab_values)
def test_every_value_fits_the_proposed_storage_rules(value: LabValue) -> None:
    conn = _proposed_table()
    conn.execute("INSERT INTO measurement VALUES (?, ?, ?)", value.columns())
    (row,) = conn.execute("SELECT * FROM measurement").fetchall()
    assert LabValue.from_columns(*row) == value


@pytest.mark.parametrize(
    "row",
    [
        (None, None, None),  # no value and not "not detected": what `= 'nd'` would let through
        (1.0, "nd", None),
        (None, "<", None),
        (1.0, "?", None),
        (1.0, "<", 0.1),
        (1.0, None, -0.1),
        (None, "nd", 0.1),
    ],
)
def test_the_proposed_storage_rules_refuse_broken_rows(row: tuple[object, ...]) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        _proposed_table().execute("INSERT INTO measurement VALUES (?, ?, ?)", row)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        (None, None),
        ("<", BELOW),
        (" > ", ABOVE),
        ("~", APPROX),
        ("\u2248", APPROX),
        ("nd", ND),
        ("N.D.", ND),
        ("not detected", ND),
    ],
)
def test_qualifier_cells(text: str | None, expected: Qualifier | None) -> None:
    assert parse_qualifier(text) == expected


def test_a_bad_qualifier_cell_is_named() -> None:
    with pytest.raises(InvalidLabValue) as caught:
        parse_qualifier("below")
    assert caught.value.field == "qualifier"
    assert "use <, >, ~ or nd" in caught.value.reason


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (("7.25", "", ""), LabValue(7.25)),
        ((7.25, None, None), LabValue(7.25)),
        (("0.05", "<", None), LabValue(0.05, BELOW)),
        ((0.05, "<", None), LabValue(0.05, BELOW)),
        (("<0.05", "<", None), LabValue(0.05, BELOW)),  # saying it twice is fine
        (("", "nd", None), LabValue(None, ND)),
        ((None, "n.d.", ""), LabValue(None, ND)),
        (("n.d.", "", None), LabValue(None, ND)),
        (("1.2", None, "0.1"), LabValue(1.2, None, 0.1)),
        ((1.2, None, 0.1), LabValue(1.2, None, 0.1)),
        (("1.2", None, "± 0.1"), LabValue(1.2, None, 0.1)),
        (("1.2 ± 0.1", None, 0.1), LabValue(1.2, None, 0.1)),
        (("1,2", "~", None), LabValue(1.2, APPROX)),
    ],
)
def test_value_qualifier_and_uncertainty_columns(
    cells: tuple[str | float | None, str | None, str | float | None], expected: LabValue
) -> None:
    decimal_comma = cells == ("1,2", "~", None)
    assert lab_value_from_columns(*cells, decimal_comma=decimal_comma) == expected


@pytest.mark.parametrize(
    ("cells", "field", "says"),
    [
        (("", None, None), "value", "Enter a value"),
        (("0.05", "nd", None), "qualifier", "not detected has no number"),
        (("<0.05", ">", None), "qualifier", "contradicts"),
        (("n.d.", "<", None), "qualifier", "contradicts"),
        (("1.2 ± 0.1", None, "0.2"), "uncertainty", "contradicts"),
        (("<0.05", None, "0.01"), "uncertainty", "Only a plain value"),
        (("", "nd", "0.01"), "uncertainty", "Only a plain value"),
        (("1.2", None, "-0.1"), "uncertainty", "zero or positive"),
        (("1.2", None, "abc"), "uncertainty", "Value must be a number"),
        (("1.2", None, math.nan), "uncertainty", "not a number a measurement can have"),
        (("1.2 ± 0.1", "<", None), "qualifier", "Only a plain value"),
        (("1.2", "below", None), "qualifier", "not a qualifier"),
    ],
)
def test_columns_that_disagree_are_refused(
    cells: tuple[str | float | None, str | None, str | float | None], field: str, says: str
) -> None:
    with pytest.raises(InvalidLabValue) as caught:
        lab_value_from_columns(*cells)
    assert caught.value.field == field
    assert says in caught.value.reason


_PLAIN_NUMBERS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.from_regex(
        r"\A[+-]?(?:[0-9]{1,25}(?:\.[0-9]{0,25})?|\.[0-9]{1,25})(?:[eE][+-]?[0-9]{1,4})?\Z"
    ),
)


@given(_PLAIN_NUMBERS, st.booleans())
@example("1e-400", False)  # rounds to zero: refused
@example("0.0e-400", False)  # is zero
@example("1e999", False)  # too large
@example("0.5", True)  # a point with decimal commas
@example("007", True)
def test_the_plain_number_shortcut_gives_what_the_full_parse_gives(
    text: str, decimal_comma: bool
) -> None:
    """A leading space takes the full parse (it normalises the space away): same value, or the
    same refusal (a number too large or too close to zero to store, a point with decimal commas)."""

    def outcome(cell: str) -> object:
        try:
            return parse_lab_value(cell, decimal_comma=decimal_comma)
        except InvalidLabValue as error:
            return error.reason

    assert outcome(text) == outcome(" " + text)
