"""New documents, made by running the migrations (never ``metadata.create_all``).

Creating is called for every export, so it must be cheap: the migrations run once per head revision
into a template in the cache folder, which is checked (integrity, revision, application id, schema as
the migrations build it) every time before it is copied.
"""

from __future__ import annotations

import datetime
import os
import uuid
from pathlib import Path

from app import __version__
from app.document import releases, schema
from app.document.connections import integrity_problems, open_read_only, open_read_write
from app.document.errors import NotADocument
from app.document.files import (
    copy_database,
    publish_new,
    remove_database_file,
    replace_atomically,
    temp_path_beside,
    writing,
)
from app.document.releases import APPLICATION_ID
from app.paths import cache_dir


def template_path() -> Path:
    folder = cache_dir() / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{__version__}-{releases.HEAD_REVISION}.db"


def _template_is_sound(path: Path) -> bool:
    try:
        connection = open_read_only(path)
    except Exception:
        return False
    try:
        return (
            not integrity_problems(connection)
            and connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
            and connection.execute("SELECT version_num FROM alembic_version").fetchall()
            == [(releases.HEAD_REVISION,)]
            and not schema.mismatches(connection, releases.HEAD_REVISION)
        )
    except Exception:
        return False
    finally:
        connection.close()


def ensure_template() -> Path:
    """The checked template at head, built by the migrations if missing or unsound."""
    template = template_path()
    if _template_is_sound(template):
        return template
    from app.document import migration  # noqa: PLC0415 - Alembic only on a cold cache

    scratch = template.with_name(f"{template.stem}.{os.getpid()}.building")
    remove_database_file(scratch)
    try:
        migration.upgrade_in_place(scratch, create=True)
        connection = open_read_write(scratch)
        try:
            connection.execute("VACUUM")
        finally:
            connection.close()
        if not _template_is_sound(scratch):
            raise RuntimeError("The migrations built a document that fails its own checks.")
        replace_atomically(scratch, template)
    finally:
        remove_database_file(scratch)
    return template


def new_document_id() -> str:
    """A new document's identity: a random UUID, as text."""
    return str(uuid.uuid4())


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(sep=" ", timespec="seconds")


def create(path: Path, title: str = "", *, overwrite: bool = False) -> Path:
    """Write a new, empty document at ``path`` (atomically); returns ``path``.

    Refuses to replace an existing file unless ``overwrite`` (the caller asked the user).
    """
    path = Path(path)
    if path.exists() and not overwrite:
        from app.document.errors import DestinationExists  # noqa: PLC0415

        raise DestinationExists(
            f"“{path.name}” already exists.",
            "Choose another name, or confirm that it should be replaced.",
            path=path,
        )
    if not path.parent.is_dir():
        raise NotADocument(f"The folder {path.parent} does not exist.", "Choose another folder.")
    template = ensure_template()
    temporary = temp_path_beside(path, "new")
    try:
        with writing(f"create “{path.name}”"):
            copy_database(template, temporary)
            connection = open_read_write(temporary)
            try:
                now = _now()
                connection.execute("BEGIN IMMEDIATE")
                # Every document is its own (the template's id is shared by all its copies):
                # what an export's provenance names, so results find their way back.
                connection.execute(
                    "UPDATE document_info SET title = ?, created_at = ?, created_by_version = ?, "
                    "saved_at = ?, saved_by_version = ?, document_id = ?",
                    (title, now, __version__, now, __version__, new_document_id()),
                )
                connection.execute("COMMIT")
            finally:
                connection.close()
            if overwrite:
                replace_atomically(temporary, path)
            else:
                publish_new(temporary, path)
    finally:
        remove_database_file(temporary)
    return path
