"""New documents, made by running the migrations (never ``metadata.create_all``).

Creating is called for every export, so it must be cheap: the migrations run once per head revision
into a template in the cache folder, which is checked (integrity, revision, application id, schema as
the migrations build it) every time before it is copied.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from app import __version__
from app.document import releases, verified
from app.document.connections import open_read_write
from app.document.errors import DestinationExists, NotADocument, SelfCheckFailed
from app.document.files import copy_database, reporting_failures
from app.document.soundness import check_head_document, head_problems, is_sound_head_document
from app.document.stamps import now
from app.document.temporaries import Temporary, sweep
from app.paths import cache_dir


def template_path(revision: str = releases.HEAD_REVISION) -> Path:
    folder = cache_dir() / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{__version__}-{revision}.db"


def ensure_template(revision: str = releases.HEAD_REVISION) -> Path:
    """The checked, empty document at ``revision`` (head unless asked), built by the migrations
    into the cache when missing or unsound. Older revisions serve clean copies read in their own
    format (``app.document.repair``)."""
    template = template_path(revision)
    sweep(template.parent)  # a template build killed half-way
    if is_sound_head_document(template, revision):
        return template
    from app.document import migration  # noqa: PLC0415 - Alembic only on a cold cache

    with Temporary.beside(template, "build") as scratch:
        migration.upgrade_in_place(scratch.path, target=revision, create=True)
        connection = open_read_write(scratch.path)
        try:
            connection.execute("VACUUM")
        finally:
            connection.close()
        problems = head_problems(scratch.path, revision=revision)
        if problems:
            raise SelfCheckFailed(
                f"The template the migrations built did not pass its checks ({problems[0]}).",
                path=scratch.path,
            )
        scratch.replace(template)
    return template


def new_document_id() -> str:
    """A new document's identity: a random UUID, as text."""
    import uuid  # noqa: PLC0415 - start-up: uuid pulls platform

    return str(uuid.uuid4())


def create(path: Path, title: str = "", *, overwrite: bool = False) -> Path:
    """Write a new, empty document at ``path`` (atomically); returns ``path``.

    Refuses to replace an existing file unless ``overwrite`` (the caller asked the user).
    """
    with new_document_file(path, title, overwrite=overwrite):
        pass
    return path


@contextlib.contextmanager
def new_document_file(
    path: Path,
    title: str = "",
    *,
    overwrite: bool = False,
    purpose: str = "new",
    what: str | None = None,
    checked_as: str | None = None,
) -> Iterator[Path]:
    """A new document for ``path``, for the ``with`` block to fill, published when it ends well.

    The block gets a new, empty document (made from the migrations' template) in a temporary file
    beside ``path``. When the block ends without an error, the document — checked as a sound head
    document when ``checked_as`` names it ("The export") — takes the name ``path`` atomically;
    otherwise nothing is left. ``what`` completes "Could not …" in the sentences of failures.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise DestinationExists(
            f"“{path.name}” already exists.",
            "Choose another name, or confirm that it should be replaced.",
            path=path,
        )
    if not path.parent.is_dir():
        raise NotADocument(f"The folder {path.parent} does not exist.", "Choose another folder.")
    template = ensure_template()
    sweep(path.parent)
    with (
        reporting_failures(what or f"create “{path.name}”"),
        Temporary.beside(path, purpose) as temporary,
    ):
        fill_new(temporary.path, title, template=template)
        yield temporary.path
        if checked_as is not None:
            check_head_document(
                temporary.path,
                checked_as,
                "Nothing was written. Please report this problem with the log file.",
            )
        if overwrite:
            temporary.replace(path)
        else:
            temporary.publish_new(path)
    verified.remember(path)  # made and checked here


def fill_new(path: Path, title: str = "", *, template: Path | None = None) -> None:
    """Make the (empty or disposable) file ``path`` a new document titled ``title``, in place.

    For files that are not the user's yet: a ``Temporary`` being built, a new working copy.
    ``template`` is ``ensure_template()``'s answer when the caller has it already.
    """
    copy_database(template or ensure_template(), path)
    connection = open_read_write(path)
    try:
        created = now()
        connection.execute("BEGIN IMMEDIATE")
        # Every document is its own (the template's id is shared by all its copies): what an
        # export's provenance names, so results find their way back.
        connection.execute(
            "UPDATE document_info SET title = ?, created_at = ?, created_by_version = ?, "
            "saved_at = ?, saved_by_version = ?, document_id = ?",
            (title, created, __version__, created, __version__, new_document_id()),
        )
        connection.execute("COMMIT")
    finally:
        connection.close()
