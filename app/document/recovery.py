"""Unsaved work left by a Samplebook that ended without saving: found, recovered, or discarded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.document import releases
from app.document.connections import integrity_problems, open_read_write
from app.document.errors import DocumentError
from app.document.locking import DocumentLock
from app.document.workcopy import OpenDocument
from app.document.workspace import Workspace, workspaces_folder


@dataclass(frozen=True)
class Recovery:
    """Unsaved work of a Samplebook process that ended without saving or closing."""

    folder: Path
    document: Path | None
    title: str
    modified_at: str


def recoverable() -> list[Recovery]:
    """Working copies with unsaved changes left by Samplebook processes that have ended.

    Abandoned working copies without changes are removed on the way.
    """
    found: list[Recovery] = []
    for folder in sorted(workspaces_folder().iterdir()):
        if not folder.is_dir():
            continue
        workspace = Workspace(folder)
        if not workspace.claim():
            continue  # a running Samplebook owns it
        session = workspace.read_session()
        if not session.get("modified") or not workspace.work.exists():
            workspace.remove()
            continue
        document = session.get("document")
        found.append(
            Recovery(
                folder=folder,
                document=Path(str(document)) if document else None,
                title=str(session.get("title") or "Untitled"),
                modified_at=str(session.get("modified_at") or ""),
            )
        )
        workspace.release_claim()
    return found


def recover(recovery: Recovery) -> OpenDocument:
    """Reopen the unsaved work in ``recovery`` as a modified document.

    If its file is now open elsewhere, or cannot be written, the work opens as untitled so it can be
    saved somewhere else.
    """
    workspace = Workspace(recovery.folder)
    if not workspace.claim():
        raise DocumentError("That unsaved work is already open in another Samplebook.")
    connection = open_read_write(workspace.work)
    try:
        problems = integrity_problems(connection)
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    if problems or revision is None or revision[0] != releases.HEAD_REVISION:
        workspace.release_claim()
        raise DocumentError("The unsaved work could not be recovered: its copy is damaged.")
    path = recovery.document
    lock: DocumentLock | None = None
    if path is not None:
        try:
            lock = DocumentLock.acquire(path)
        except (DocumentError, OSError):
            path = None
    return OpenDocument(workspace, path, read_only=False, lock=lock, modified=True)


def discard(recovery: Recovery) -> None:
    """Delete unsaved work the user chose not to recover."""
    workspace = Workspace(recovery.folder)
    if workspace.claim():
        workspace.remove()
