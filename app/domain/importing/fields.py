"""What an imported table's columns mean: the fields of each kind, headers matched to them.

Columns are matched to fields by header name, case-insensitively (``Code``, ``CODE`` and ``code``
are the column ``code``), unless ``--map COLUMN=FIELD`` says otherwise (``--map Probe=code``;
``--map Notiz=`` leaves a column out). A column that matches no field is left out and said so, so
a table exported by Samplebook (whose measurement tables also name each sample) imports as it is.

Without ``--kind`` the columns decide: measurement fields (quantity, value, …) make a measurements
table, sample fields (collected_on, location, notes, tags) a samples table, and a table with both
is refused rather than guessed.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.domain.errors import InvalidInput
from app.domain.tables import Cell, Record


class Kind(enum.StrEnum):
    SAMPLES = "samples"
    MEASUREMENTS = "measurements"


#: The fields of each kind, in the order the preview shows them.
FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.SAMPLES: ("code", "name", "collected_on", "location", "notes", "tags"),
    Kind.MEASUREMENTS: (
        "code",
        "sample_id",
        "quantity",
        "value",
        "unit",
        "measured_at",
        "qualifier",
        "uncertainty",
    ),
}

#: Columns a measurements table may carry for people to read, left out without a note: the
#: sample's name, which Samplebook's own measurement tables include beside the code.
_CONTEXT = {Kind.MEASUREMENTS: frozenset({"name"})}

_ONLY_SAMPLES = frozenset(FIELDS[Kind.SAMPLES]) - frozenset(FIELDS[Kind.MEASUREMENTS]) - {"name"}
_ONLY_MEASUREMENTS = frozenset(FIELDS[Kind.MEASUREMENTS]) - frozenset(FIELDS[Kind.SAMPLES])


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Column:
    """One column of the table: its header, its position, and the field it fills (or none)."""

    index: int
    header: str
    field: str | None


@dataclass(frozen=True)
class ColumnMapping:
    """The table's columns matched to fields of ``kind``; ``notes`` say what is left out."""

    kind: Kind
    columns: tuple[Column, ...]
    notes: tuple[str, ...]

    @functools.cached_property
    def _by_field(self) -> dict[str, int]:
        return {column.field: column.index for column in self.columns if column.field is not None}

    def index_of(self, field: str) -> int | None:
        return self._by_field.get(field)

    def header_of(self, field: str) -> str:
        index = self.index_of(field)
        return field if index is None else self.columns[index].header

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(column.field for column in self.columns if column.field is not None)


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """``COLUMN=FIELD`` items (the last ``=`` splits: a header may hold one) as column → field."""
    mapped: dict[str, str] = {}
    for item in items:
        column, equals, field = item.rpartition("=")
        if not equals or not column.strip():
            raise InvalidInput(
                {"map": f"“{item}” is not COLUMN=FIELD, like Probe=code (or Notiz= to skip)."}
            )
        mapped[column] = field.strip()
    return mapped


def match_columns(
    header: Sequence[str], kind: Kind | None, mapped: Mapping[str, str] | None = None
) -> ColumnMapping:
    """Match ``header`` to the fields of ``kind`` (found from the columns when ``None``)."""
    mapped = dict(mapped or {})
    by_key: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        by_key.setdefault(_key(name), []).append(index)
    problems: list[str] = []
    chosen: dict[int, str | None] = {}
    for column, field in mapped.items():
        found = by_key.get(_key(column), [])
        if len(found) != 1:
            listed = ", ".join(f"“{name}”" for name in header if name)
            problems.append(
                f"--map {column}={field}: the table has "
                + (f"two columns named “{column}”" if found else f"no column “{column}”")
                + f" (its columns are {listed})."
            )
            continue
        chosen[found[0]] = field.casefold() or None
    if problems:
        raise InvalidInput({"map": " ".join(problems)})
    every = frozenset(FIELDS[Kind.SAMPLES] + FIELDS[Kind.MEASUREMENTS])
    guessed = {
        index: _key(name)
        for index, name in enumerate(header)
        if index not in chosen and _key(name) in every
    }
    kind = kind or _detect_kind({**guessed, **chosen}.values())
    return _mapping(header, kind, chosen, guessed)


def _detect_kind(fields: Iterable[str | None]) -> Kind:
    found = {field for field in fields if field is not None}
    samples, measurements = found & _ONLY_SAMPLES, found & _ONLY_MEASUREMENTS
    if samples and measurements:
        raise InvalidInput(
            {
                "kind": "The table has columns of samples ("
                + ", ".join(sorted(samples))
                + ") and of measurements ("
                + ", ".join(sorted(measurements))
                + "): say which it holds with --kind samples or --kind measurements."
            }
        )
    return Kind.MEASUREMENTS if measurements else Kind.SAMPLES


def _mapping(
    header: Sequence[str], kind: Kind, chosen: dict[int, str | None], guessed: dict[int, str]
) -> ColumnMapping:
    allowed = FIELDS[kind]
    problems: list[str] = []
    for index, field in chosen.items():
        if field is not None and field not in allowed:
            problems.append(
                f"--map {header[index]}={field}: “{field}” is not a field of {kind.value}; "
                f"they are {', '.join(allowed)}."
            )
    columns: list[Column] = []
    notes: list[str] = []
    used: dict[str, int] = {}
    for index, name in enumerate(header):
        field = chosen[index] if index in chosen else guessed.get(index)
        if field is not None and field not in allowed:
            if field not in _CONTEXT.get(kind, ()):
                notes.append(f"column “{name}” is not imported: {kind.value} have no {field}.")
            field = None
        elif field is None and index not in chosen and name.strip():
            notes.append(
                f"column “{name}” is not imported: it matches no field "
                f"(give one with --map “{name}”=FIELD)."
            )
        if field is not None:
            if field in used:
                problems.append(
                    f"The columns “{header[used[field]]}” and “{name}” both give {field}: "
                    "leave one out (--map COLUMN=)."
                )
            used[field] = index
        columns.append(Column(index, name, field))
    required = ("code",) if kind is Kind.SAMPLES else ("quantity", "value")
    missing = [field for field in required if field not in used]
    if kind is Kind.MEASUREMENTS and "code" not in used and "sample_id" not in used:
        missing.append("code (or sample_id)")
    if missing:
        listed = ", ".join(f"“{name}”" for name in header if name.strip()) or "none"
        problems.append(
            f"A table of {kind.value} needs the columns {', '.join(missing)}, which this one "
            f"does not have (its columns: {listed}). Name them with --map COLUMN=FIELD."
        )
    if problems:
        raise InvalidInput({"columns": " ".join(problems)})
    return ColumnMapping(kind, tuple(columns), tuple(notes))


#: What Samplebook's .csv export marks with a leading apostrophe (see app.domain.export_table).
_MARKED = ("'=", "'+", "'-", "'@", "'\t", "'\r", "''")


class RecordReader:
    """The cells of one record by field, with each problem named after its column.

    ``text_marks``: the table is a .csv, where a leading apostrophe before ``=``, ``+``, ``-``,
    ``@``, a tab, a carriage return or another apostrophe is Excel's mark for text, not content
    (Samplebook's own .csv export writes it so Excel never runs a cell as a formula).
    """

    def __init__(self, columns: ColumnMapping, record: Record, *, text_marks: bool = False) -> None:
        self.columns = columns
        self.record = record
        self.text_marks = text_marks
        self.problems: list[str] = []

    def given(self, field: str) -> bool:
        return self.columns.index_of(field) is not None

    def cell(self, field: str) -> Cell:
        index = self.columns.index_of(field)
        if index is None:
            return ""
        cell = self.record.cells[index]
        if self.text_marks and isinstance(cell, str) and cell.startswith(_MARKED):
            return cell[1:]
        return cell

    def complain(self, field: str, sentence: str) -> None:
        self.problems.append(f"{self.columns.header_of(field)}: {sentence}")
