"""Running the migrations backwards: ``command.downgrade`` in one real transaction.

The same engine as an upgrade (``app.document.migration``): explicit-transaction connections with
``PRAGMA foreign_keys=OFF`` (batch rebuilds would otherwise cascade-delete child rows) and a
``BEGIN IMMEDIATE`` that every revision's ``downgrade()`` runs inside, ``PRAGMA foreign_key_check``
before the commit. A failure anywhere leaves the file as it was.

Only ever run on a private copy (``app.document.older_copy``): a user's file is never downgraded.
Importing this module imports Alembic.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.runtime.migration import MigrationContext, MigrationInfo
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from app.document import releases
from app.document.connections import foreign_key_problems
from app.document.errors import DocumentDamaged
from app.document.migration import (
    ProgressCallback,
    Step,
    make_config,
    migration_engine,
    verified_head,
)


def revisions_undone(script: ScriptDirectory, start: str, target: str) -> list[str]:
    """The revisions a downgrade from ``start`` to ``target`` undoes, newest first."""
    walked = script.iterate_revisions(start, target)
    return [revision.revision for revision in walked if revision.revision != target]


def downgrade_in_place(
    path: Path,
    target: str,
    *,
    progress: ProgressCallback | None = None,
    script_location: Path | None = None,
) -> list[str]:
    """Migrate the database at ``path`` back to ``target`` in one transaction.

    Returns the revisions undone, newest first; ``progress`` hears one ``Step`` per revision
    (its ``release`` is the release whose changes are being undone).
    """
    config = make_config(script_location)
    script = ScriptDirectory.from_config(config)
    verified_head(script)
    engine = migration_engine(path)
    undone: list[str] = []
    try:
        with engine.connect() as connection, connection.begin():
            start = MigrationContext.configure(connection).get_current_revision()
            if start is None or not releases.is_known(start):
                raise DocumentDamaged(
                    f"The copy records the revision {start!r}, which this Samplebook does not "
                    "know, so it cannot be made older.",
                    path=path,
                )
            planned = revisions_undone(script, start, target)

            def on_version_apply(*, step: MigrationInfo, **_: Any) -> None:
                # For a step down, the "up" side is the revision being undone.
                revision = step.up_revision_id or ""
                undone.append(revision)
                if progress is not None:
                    progress(
                        Step(len(undone), len(planned), revision, releases.release_of(revision))
                    )

            config.attributes["connection"] = connection
            config.attributes["on_version_apply"] = on_version_apply
            # As for an upgrade: env.py then runs the revisions without importing the ORM.
            config.attributes["samplebook_runner"] = True
            command.downgrade(config, target)
            _check_references(connection, path)
    finally:
        engine.dispose()
    return undone


def _check_references(connection: Connection, path: Path) -> None:
    """Raise (and so roll back) if the rows left behind break a foreign key."""
    raw = connection.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    problems = foreign_key_problems(raw)
    if problems:
        raise DocumentDamaged(
            f"The copy for the older release has {len(problems)} rows that refer to records "
            f"that do not exist (first in table {problems[0][0]}), so it was not written.",
            "The original is unchanged. Please report this problem with the log file.",
            path=path,
        )
