"""Reading a table and checking it against the document, off the GUI thread.

The import dialog asks again whenever a choice changes: a new delimiter, encoding or sheet reads
the file again; a new mapping, kind, decimal mark, date format or the update option only checks
the rows again. Each check opens its own read-only connection to the working copy (the threading
rule), which holds every edit, saved or not.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.document import DocumentError, open_read_only
from app.domain.errors import InvalidInput
from app.domain.importing import FIELDS, ImportOptions, ImportPlan, Kind, plan_import
from app.domain.tables import Table, read_table
from app.ui.messages import data as said
from app.ui.workers import Reporter

#: Encodings a person can choose (codec, label); the detected one is always among them.
ENCODINGS = (
    ("utf-8", "UTF-8"),
    ("utf-8-sig", "UTF-8 with BOM"),
    ("utf-16", "UTF-16"),
    ("cp1252", "Windows-1252"),
    ("latin-1", "ISO-8859-1"),
    ("iso8859-15", "ISO-8859-15"),
)
DELIMITERS = ((",", "Comma ,"), (";", "Semicolon ;"), ("\t", "Tab"), ("|", "Bar |"))
#: Date formats offered when dates are not ISO 8601 ("" = ISO 8601 only: never guessed).
DATE_FORMATS = (
    ("", "ISO only (2024-03-15)"),
    ("%d.%m.%Y", "15.03.2024 (day.month.year)"),
    ("%d/%m/%Y", "15/03/2024 (day/month/year)"),
    ("%m/%d/%Y", "03/15/2024 (month/day/year)"),
    ("%d-%m-%Y", "15-03-2024 (day-month-year)"),
    ("%Y/%m/%d", "2024/03/15 (year/month/day)"),
    ("%d.%m.%Y %H:%M", "15.03.2024 14:30"),
    ("%d/%m/%Y %H:%M", "15/03/2024 14:30"),
    ("%m/%d/%Y %H:%M", "03/15/2024 14:30"),
)


def codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


@dataclass(frozen=True)
class Reading:
    """How to read a file; ``None`` = found out (detected)."""

    sheet: str | None = None
    delimiter: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class Settings:
    """Everything the person chose, so a check can be made again (after ``ImportOutdated``)."""

    reading: Reading = Reading()
    options: ImportOptions = field(default_factory=ImportOptions)
    skip_bad: bool = False
    #: The person chose the decimal mark (else it is found from the numbers, see ``decimal_comma``).
    decimal_chosen: bool = False


@dataclass(frozen=True)
class Checked:
    """A check's outcome: the table read and its plan, or the sentence why there is none."""

    table: Table | None
    plan: ImportPlan | None
    problem: str = ""
    #: The options checked with (the columns' fields filled in when the person chose none).
    options: ImportOptions | None = None


def field_key(text: str) -> str:
    """A column name as a field's: ``Code`` and ``CODE`` are ``code`` (as ``samplebook-doc
    import`` matches them), and so are the titles the app's own lists show (``Collected on``)."""
    return "_".join(text.split()).casefold()


def guessed_kind(header: tuple[str, ...]) -> Kind:
    """What the columns say the table holds (samples when they cannot tell)."""
    keys = {field_key(name) for name in header}
    only_samples = set(FIELDS[Kind.SAMPLES]) - set(FIELDS[Kind.MEASUREMENTS]) - {"name"}
    only_measurements = set(FIELDS[Kind.MEASUREMENTS]) - set(FIELDS[Kind.SAMPLES])
    if keys & only_measurements and not keys & only_samples:
        return Kind.MEASUREMENTS
    return Kind.SAMPLES


def guessed_mapping(header: tuple[str, ...], kind: Kind) -> dict[str, str]:
    """Each column's field by its name (as ``samplebook-doc import`` matches them), or "" (skip)."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for name in header:
        key = field_key(name)
        chosen = key if key in FIELDS[kind] and key not in used else ""
        used.add(chosen)
        mapping[name] = chosen
    return mapping


def mapping_problem(mapping: dict[str, str], kind: Kind) -> tuple[list[str], dict[str, list[str]]]:
    """(required fields no column gives, fields given by more than one column)."""
    by_field: dict[str, list[str]] = {}
    for column, chosen in mapping.items():
        if chosen:
            by_field.setdefault(chosen, []).append(column)
    missing = []
    if kind is Kind.SAMPLES:
        if "code" not in by_field:
            missing.append("code")
    else:
        if "code" not in by_field and "sample_id" not in by_field:
            missing.append("code (or sample_id)")
        missing += [name for name in ("quantity", "value") if name not in by_field]
    twice = {name: columns for name, columns in by_field.items() if len(columns) > 1}
    return missing, twice


_COMMA_NUMBER = re.compile(r"[<>~]?\s*[+-]?[0-9]+,([0-9]+)")
_POINT_NUMBER = re.compile(r"[<>~]?\s*[+-]?[0-9]*\.[0-9]+")
_NUMBER_FIELDS = ("value", "uncertainty")


def decimal_comma(table: Table, mapping: dict[str, str]) -> bool:
    """Whether the numbers are written with decimal commas, as far as they tell.

    Only an unambiguous comma counts: ``0,05`` or ``7,2`` (a thousands separator is followed by
    exactly three digits, so ``1,234`` says nothing), and only while no number has a point.
    """
    indexes = [table.header.index(c) for c, f in mapping.items() if f in _NUMBER_FIELDS]
    comma = False
    for record in table.records[:2000]:
        for index in indexes:
            cell = record.cells[index] if index < len(record.cells) else ""
            if not isinstance(cell, str):
                continue
            cell = cell.strip()
            if _POINT_NUMBER.fullmatch(cell):
                return False
            match = _COMMA_NUMBER.fullmatch(cell)
            if match and len(match.group(1)) != 3:
                comma = True
    return comma


def mapping_sentence(mapping: dict[str, str], kind: Kind) -> str:
    """What is wrong with the columns' fields, in the dialog's words ("" when nothing is)."""
    missing, twice = mapping_problem(mapping, kind)
    if missing:
        return said.mapping_missing(missing)
    if twice:
        field, columns = next(iter(twice.items()))
        return said.mapping_twice(field, columns)
    return ""


def read(path: Path, reading: Reading) -> Table:
    return read_table(
        path, sheet=reading.sheet, delimiter=reading.delimiter, encoding=reading.encoding
    )


def check(
    work_path: Path,
    source: Path | Table,
    reading: Reading,
    options: ImportOptions,
    reporter: Reporter,
    *,
    find_decimal_mark: bool = False,
) -> Checked:
    """Read ``source`` (a file, or a pasted table as it is) and plan its import; runs in a worker.

    A person's problem (a file that is not a table, columns that do not fit) comes back as the
    sentence to show; anything else is a bug and raises.
    """
    try:
        table = source if isinstance(source, Table) else read(source, reading)
    except DocumentError as error:
        return Checked(None, None, f"{error.message} {error.next_step}".strip())
    if not options.mapping:
        kind = options.kind or guessed_kind(table.header)
        options = replace(options, kind=kind, mapping=guessed_mapping(table.header, kind))
    if find_decimal_mark and table.header:
        options = replace(options, decimal_comma=decimal_comma(table, dict(options.mapping)))
    problem = mapping_sentence(dict(options.mapping), options.kind or Kind.SAMPLES)
    if problem:
        return Checked(table, None, problem, options)
    connection = open_read_only(work_path)
    try:
        plan = plan_import(connection, table, options, progress=reporter.progress)
    except InvalidInput as error:
        sentence = " ".join(error.problems.values()) or error.message
        return Checked(table, None, sentence, options)
    finally:
        connection.close()
    return Checked(table, plan, "", options)
