"""Rows pasted from a spreadsheet: the import's path, with a preview when there is more than one.

Excel and LibreOffice put tab-separated text on the clipboard. It is read like a file
(``read_pasted_table``) and checked like an import, all or nothing, as one undo step:

* a first row that names fields (``code``, ``Collected on``, ``value`` …) is the header; rows
  copied without one are read in the order Samplebook's own tables use (samples: code, name,
  collected_on, location, notes, tags; measurements: quantity, value, unit, measured_at,
  qualifier, uncertainty), and the preview shows that mapping so it can be changed;
* one clean row goes straight in; more rows, or a row with a problem, open the import preview;
* measurements pasted into a sample's table belong to that sample: code and sample id columns
  are not read.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from PySide6.QtWidgets import QStatusBar

from app.document import DocumentError
from app.domain.errors import InvalidInput
from app.domain.importing import FIELDS, ImportOptions, Kind, plan_import
from app.domain.samples import get_sample
from app.domain.tables import Record, Table, read_pasted_table
from app.ui import crash
from app.ui.data_commands import ImportRows
from app.ui.document_controller import DocumentController
from app.ui.importing.check import Settings, decimal_comma, field_key, guessed_mapping
from app.ui.importing.dialog import FixedSample
from app.ui.importing.flow import ImportFlow, undo_text
from app.ui.messages import data as said

#: Headerless rows: the columns in the order of Samplebook's own tables.
POSITIONAL = {
    Kind.SAMPLES: FIELDS[Kind.SAMPLES],
    Kind.MEASUREMENTS: ("quantity", "value", "unit", "measured_at", "qualifier", "uncertainty"),
}
#: The column a paste into one sample's measurements adds: that sample's id (never shown).
SAMPLE_COLUMN = "\u2063sample"

#: Paste flows still running (Qt owns them through the controller; this keeps the Python side).
_running: set[ImportFlow] = set()


class PasteWindow(Protocol):
    """What paste needs from the main window."""

    controller: DocumentController

    def statusBar(self) -> QStatusBar: ...


def pasted_table(text: str, kind: Kind) -> Table:
    """The pasted rows as a table with a header (its own, or the positional one)."""
    table = read_pasted_table(text, name=said.PASTED_ROWS)
    if any(field_key(name) in FIELDS[kind] for name in table.header):
        return table
    width = len(table.header)
    names = list(POSITIONAL[kind][:width])
    names += [f"column {number}" for number in range(len(names) + 1, width + 1)]
    header = "\t".join(names)
    newline = table.source.newline or "\n"
    shifted = read_pasted_table(header + newline + text, name=said.PASTED_ROWS)
    records = tuple(Record(record.line - 1, record.cells) for record in shifted.records)
    return replace(shifted, header_line=0, records=records)


def with_sample(table: Table, sample_id: int) -> Table:
    """``table`` with a column holding ``sample_id`` on every record (after the header's last)."""
    width = len(table.header)
    records = tuple(
        Record(record.line, (*record.cells[:width], sample_id, *record.cells[width:]))
        for record in table.records
    )
    return replace(table, header=(*table.header, SAMPLE_COLUMN), records=records)


def paste_samples(window: PasteWindow, text: str) -> ImportFlow | None:
    """Paste ``text`` (rows copied from a spreadsheet) into the document as samples."""
    return _paste(window, text, Kind.SAMPLES, None)


def paste_measurements(window: PasteWindow, sample_id: int, text: str) -> ImportFlow | None:
    """Paste ``text`` as measurements of the sample ``sample_id``."""
    return _paste(window, text, Kind.MEASUREMENTS, sample_id)


def _paste(window: PasteWindow, text: str, kind: Kind, sample_id: int | None) -> ImportFlow | None:
    """The straight-in case returns None (the rows are in); otherwise the preview's flow."""
    c = window.controller
    bar = window.statusBar()
    connection = c.connection if c.document is not None and not c.busy else None
    if connection is None or c.read_only:
        bar.showMessage(said.CANNOT_PASTE_HERE, 10_000)
        return None
    if not text.strip():
        bar.showMessage(said.NOTHING_PASTED, 10_000)
        return None
    try:
        table = pasted_table(text, kind)
    except DocumentError as error:
        crash.report(error, presenter=c.presenter)
        return None
    if not table.records:
        bar.showMessage(said.NOTHING_PASTED, 10_000)
        return None
    fixed = None
    if sample_id is not None:
        sample = get_sample(connection, sample_id)
        if sample is None:
            return None
        table = with_sample(table, sample_id)
        fixed = FixedSample(SAMPLE_COLUMN, sample.code)
    mapping = guessed_mapping(table.header, kind)
    if fixed is not None:
        mapping = {n: "" if f in ("code", "sample_id") else f for n, f in mapping.items()}
        mapping[SAMPLE_COLUMN] = "sample_id"
    options = ImportOptions(kind=kind, mapping=mapping, decimal_comma=decimal_comma(table, mapping))
    if len(table.records) == 1 and _straight_in(window, table, options):
        return None
    flow = ImportFlow(
        c, table, settings=Settings(options=options, decimal_chosen=True), fixed=fixed, verb="Paste"
    )
    _running.add(flow)

    def ended() -> None:
        _running.discard(flow)
        flow.deleteLater()

    flow.ended.connect(ended)
    flow.status.connect(lambda message: bar.showMessage(message, 10_000))
    flow.start()
    return flow


def _straight_in(window: PasteWindow, table: Table, options: ImportOptions) -> bool:
    """One clean row: import it now (one undo step). False when it needs the preview."""
    c = window.controller
    connection = c.connection
    assert connection is not None
    try:
        plan = plan_import(connection, table, options)
    except InvalidInput:
        return False
    if plan.rejected or plan.writes != 1:
        return False
    error = c.perform(ImportRows(c, plan, undo_text(plan, "Paste")))
    if error is not None:
        crash.report(error, presenter=c.presenter)
    else:
        window.statusBar().showMessage(
            said.imported(plan.kind.value, plan.added, plan.updated, said.PASTED_ROWS), 10_000
        )
    return True
