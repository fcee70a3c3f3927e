"""A saved document read as the source of an export, without ever changing it.

``file_source(path)`` hands out a database that is safe to read and current: the file itself when
it is a healthy current document (also while another Samplebook edits it: an editor changes it only
by replacing it whole, so a reader sees one version or the other), or a private copy upgraded by the
migrations when it is older — so the export is current while the user's file stays exactly as it is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.document.classify import State, inspect
from app.document.files import copy_database, reporting_failures
from app.document.temporaries import Temporary, sweep
from app.paths import cache_dir


@dataclass(frozen=True)
class ExportSource:
    """The document being exported from, as the export should record it."""

    database: Path  # a current document or an open document's working copy (unsaved edits count)
    title: str
    file: Path | None  # the user's file, when it has one


@contextlib.contextmanager
def file_source(path: Path) -> Iterator[ExportSource]:
    """The saved document at ``path`` as an export source, for as long as the block runs.

    Anything but a current or outdated Samplebook document raises its inspection's error.
    """
    path = Path(path)
    found = inspect(path)
    if found.state is State.LOCKED and found.holder is not None:
        found = inspect(path, ignore_holder=True)
    title = found.title or path.stem
    if found.state is State.CURRENT:
        yield ExportSource(database=path, title=title, file=path.absolute())
        return
    if found.state is not State.OUTDATED:
        raise found.error()
    from app.document import migration  # noqa: PLC0415 - Alembic only for old sources

    folder = cache_dir()
    sweep(folder)
    with reporting_failures("prepare the export", original_unchanged=path):
        scratch = Temporary.beside(folder / "export-source.db", "source", mode=0o600)
    with scratch:
        with reporting_failures("prepare the export", original_unchanged=path):
            copy_database(path, scratch.path)
            migration.upgrade_in_place(scratch.path)
        yield ExportSource(database=scratch.path, title=title, file=path.absolute())
