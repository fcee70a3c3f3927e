"""Whether an export came from a document: by the documents' ids, never by a path or a title.

Release 2.2 gives every document an id (``document_info.document_id``); an export's provenance step
records the id of the document it was made from (``source_document_id``) and its own
(``export_document_id``). A copy of a document (Save As, a backup) keeps its id, so results come
back into the copy too; an export of an export names the export it came from.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.document import NotADocument


@dataclass(frozen=True)
class ExportStep:
    """The provenance step that made an export: what it came from, when, and its own id."""

    export_id: str
    source_id: str
    source_title: str
    source_file: str | None
    exported_at: str


def document_id(connection: sqlite3.Connection, schema: str = "main") -> str:
    (found,) = connection.execute(f"SELECT document_id FROM {schema}.document_info").fetchone()
    return str(found)


def export_step(connection: sqlite3.Connection, path: Path) -> ExportStep:
    """The step that made the export open on ``connection``; ``NotADocument`` if there is none."""
    own = document_id(connection)
    row = connection.execute(
        "SELECT source_document_id, source_title, source_file, exported_at FROM provenance "
        "WHERE export_document_id = ? ORDER BY id DESC LIMIT 1",
        (own,),
    ).fetchone()
    if row is None or row[0] is None:
        raise NotADocument(
            f"“{path.name}” is not an export Samplebook can bring results back from: it records "
            "no export step of its own (it was not made by Samplebook's export, or by a release "
            "before 2.2).",
            "Choose the export document the analysis program wrote into.",
            path=path,
        )
    return ExportStep(own, str(row[0]), str(row[1]), row[2], str(row[3]))


def require_source(step: ExportStep, source_id: str, export: Path, source: Path) -> None:
    """Refuse an export that was not made from the document ``source_id`` (exit 3)."""
    if step.source_id == source_id:
        return
    where = f" ({step.source_file})" if step.source_file else ""
    raise NotADocument(
        f"“{export.name}” was not exported from “{source.name}”: it came from “{step.source_title}”"
        f"{where}, another document, on {step.exported_at}.",
        "Bring its results back into the document it was exported from.",
        path=export,
    )
