"""What an import plan holds: the options, each record's fate, the counts and a preview."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from app.domain.importing.cells import text
from app.domain.importing.fields import ColumnMapping, Kind
from app.domain.importing.lookups import LookedUp
from app.domain.measurements import MeasurementFields
from app.domain.sample_edits import SampleFields
from app.domain.tables import Record, Table

#: (records done, records in all), called every few hundred records while checking.
PlanProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportOptions:
    """How to read the table's cells (the file itself is read by ``app.domain.tables``)."""

    #: ``None``: found from the columns (see ``app.domain.importing.fields``).
    kind: Kind | None = None
    #: Column header → field (``""``: leave the column out), like ``--map``.
    mapping: Mapping[str, str] = field(default_factory=dict)
    #: Existing sample codes update those samples (the fields the table gives); else conflicts.
    update: bool = False
    decimal_comma: bool = False
    #: A strptime format for dates that are not ISO 8601 (ISO always parses).
    date_format: str | None = None


@dataclass(frozen=True)
class Rejected:
    """A record that cannot be imported: the line (or sheet row) it starts on, and why."""

    line: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SampleRecord:
    line: int
    #: The sample as it will be stored (for an update: its stored fields with the table's on top).
    fields: SampleFields
    #: The tags it will carry; ``None`` when the table gives none (an update keeps its tags).
    tags: tuple[str, ...] | None
    #: The sample this record updates, or ``None`` for a new one.
    existing_id: int | None = None


@dataclass(frozen=True)
class MeasurementRecord:
    line: int
    sample_id: int
    #: Normalised (``normalise_measurement``): what will be stored.
    fields: MeasurementFields


@dataclass(frozen=True)
class PreviewRow:
    """One record as the import dialog shows it."""

    line: int
    #: The record's cells for the mapped fields, in ``ImportPlan.preview_fields`` order.
    cells: tuple[str, ...]
    #: "add", "update" or "rejected".
    action: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportPlan:
    table: Table
    columns: ColumnMapping
    options: ImportOptions
    samples: tuple[SampleRecord, ...] = ()
    measurements: tuple[MeasurementRecord, ...] = ()
    rejected: tuple[Rejected, ...] = ()
    #: What the plan found in the document (codes and ids → sample id or None), checked again
    #: when it is applied: a plan is only written to the document it was made for.
    looked_up: LookedUp = frozenset()

    @property
    def kind(self) -> Kind:
        return self.columns.kind

    @property
    def added(self) -> int:
        """Samples or measurements that would be added."""
        if self.kind is Kind.MEASUREMENTS:
            return len(self.measurements)
        return sum(1 for record in self.samples if record.existing_id is None)

    @property
    def updated(self) -> int:
        return sum(1 for record in self.samples if record.existing_id is not None)

    @property
    def writes(self) -> int:
        return len(self.samples) + len(self.measurements)

    def problems(self) -> list[tuple[int, str]]:
        """(line, reason) of every problem, in line order: one line each on stderr."""
        return [(item.line, reason) for item in self.rejected for reason in item.reasons]

    @property
    def preview_fields(self) -> tuple[str, ...]:
        return self.columns.fields

    def preview(self, limit: int = 20) -> list[PreviewRow]:
        """The first ``limit`` records with their mapped cells and what happens to each."""
        rejected = {item.line: item.reasons for item in self.rejected}
        updates = {record.line for record in self.samples if record.existing_id is not None}
        indexes = [column.index for column in self.columns.columns if column.field is not None]
        rows: list[PreviewRow] = []
        for record in self.table.records[:limit]:
            cells = tuple(text(record.cells[index]) for index in indexes)
            if record.line in rejected:
                rows.append(PreviewRow(record.line, cells, "rejected", rejected[record.line]))
            else:
                action = "update" if record.line in updates else "add"
                rows.append(PreviewRow(record.line, cells, action))
        return rows


def extra_cells(record: Record, width: int) -> str | None:
    """The sentence for a record with cells beyond the header's last column, else None."""
    if len(record.cells) <= width:
        return None
    return (
        f"it has {len(record.cells)} cells but the header has {width} columns "
        "(a delimiter inside a cell that is not quoted?)"
    )
