"""Save a copy for an older Samplebook: a new file at an older release, never a rewrite.

Nothing a person sees is written until the last step, and the source is only ever read:

1. The source — a saved document, current or older (read in its own format, so nothing an
   upgrade would change, such as 2.0's renaming of duplicate codes, gets into the copy), or an
   open document's working copy (its unsaved edits count) — is copied (``files.copy_database``)
   into a private file in the cache folder.
2. What the older release cannot hold is counted there (``app.document.losses``) and handed to
   the caller, which shows it before anything is written.
3. ``command.downgrade`` runs on the private copy, every revision in one ``BEGIN IMMEDIATE``
   transaction with the foreign keys checked before the commit (``app.document.downgrade``);
   then the copy must be sound at the target revision: integrity, foreign keys, the revision,
   and the schema the recorded one by structure.
4. Its rows go, in one transaction, into a new document beside DEST that the migrations built at
   the target revision (the template), every table's row count compared and the foreign keys
   checked before the commit, the "saved by" stamp set where that release has one. Why not
   publish the downgraded file itself: a batch rebuild stores the table's name quoted
   (``CREATE TABLE "sample"``) and 2.2's AUTOINCREMENT leaves SQLite's ``sqlite_sequence``
   behind (it can never be dropped), and releases 2.0 and 2.1 compare the stored SQL text and
   allow no extra table — they would call such a copy "changed outside Samplebook".
5. That document is checked again — integrity, application id, revision, foreign keys, and every
   ``sqlite_schema`` row exactly as recorded for the target revision — then fsynced and
   published atomically (a new name, or with ``overwrite`` in place of DEST), and remembered as
   verified (``app.document.verified``) like every file Samplebook writes and checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app import __version__
from app.document import releases, schema, verified
from app.document.classify import State, inspect
from app.document.connections import open_read_only, open_read_write, read_only_uri
from app.document.create import ensure_template
from app.document.errors import (
    CannotWrite,
    DestinationExists,
    DocumentError,
    DocumentInUse,
    SelfCheckFailed,
)
from app.document.files import copy_database, reporting_failures
from app.document.inspection import Inspection, quoted_name
from app.document.locking import holder_of
from app.document.losses import Loss, losses, steps_down
from app.document.schema_objects import SQLITE_OWN_TABLES
from app.document.soundness import head_problems
from app.document.stamps import stamp_saved
from app.document.temporaries import Temporary, sweep
from app.paths import cache_dir

#: (what is being done, step, steps): one step to read, one per release undone, two to write.
OlderCopyProgress = Callable[[str, int, int], None]
#: Hears what the copy will lose once it is counted, before anything is written.
BeforeWriting = Callable[[list[Loss]], None]

_NOTHING_WRITTEN = "Nothing was written. Please report this problem with the log file."


class ReleaseNotWritable(DocumentError):
    """No copy can be made for that release: unknown, or not older than the document."""

    exit_code = 2


@dataclass(frozen=True)
class OlderCopyResult:
    destination: Path
    release: str  # the release the copy is for
    source_release: str  # the format the source was in
    losses: list[Loss] = field(default_factory=list)
    undone: list[str] = field(default_factory=list)  # revisions, newest first


def releases_before(revision: str) -> list[str]:
    """The releases a copy of a document at ``revision`` can be made for, oldest first."""
    order = list(releases.RELEASE_OF_REVISION)
    older = order[: order.index(revision)]
    return list(dict.fromkeys(releases.RELEASE_OF_REVISION[rev] for rev in older))


def _in_words(names: list[str], last: str = "and") -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" {last} " + names[-1]


def known_release(release: str) -> str:
    """The last revision of ``release``; ``ReleaseNotWritable`` (exit 2) naming the releases
    copies can be made for when this build does not know it."""
    target = releases.last_revision_of(release.strip())
    if target is None:
        writable = _in_words(releases_before(releases.HEAD_REVISION))
        raise ReleaseNotWritable(
            f"There is no Samplebook release “{release}”.",
            f"Samplebook {__version__} can write copies for Samplebook {writable}.",
        )
    return target


def target_revision(
    release: str, source_revision: str = releases.HEAD_REVISION, source: Path | None = None
) -> str:
    """The revision a copy for ``release`` is made at; ``ReleaseNotWritable`` (exit 2) when
    ``release`` is unknown or not older than the source's revision."""
    possible = releases_before(source_revision)
    target = known_release(release)
    if releases.is_older(target, source_revision):
        return target
    what = quoted_name(source) if source is not None else "The document"
    current = releases.release_of(source_revision)
    if not possible:
        next_step = f"Samplebook {current} is the oldest release; there is none older."
    else:
        next_step = f"Choose Samplebook {_in_words(possible, 'or')}."
    raise ReleaseNotWritable(
        f"{what} is in the Samplebook {current} format; a copy is made only for a release older "
        f"than that, not for Samplebook {release}.",
        next_step,
    )


def check_destination(destination: Path, source: Path | None, overwrite: bool) -> None:
    """Refuse (exit 7) a DEST that is the source, a folder, taken without ``overwrite``, open in a
    Samplebook, or in a folder that does not exist."""
    name = quoted_name(destination)
    if destination.exists():
        if source is not None and source.exists() and destination.samefile(source):
            raise CannotWrite(
                f"{name} is the document being copied; the copy for the older release must be "
                "a new file.",
                "Choose another name for the copy.",
                path=destination,
            )
        if destination.is_dir():
            raise CannotWrite(f"{name} is a folder.", "Choose a file name for the copy.")
        if not overwrite:
            raise DestinationExists(
                f"{name} already exists.",
                "Choose another name, or confirm that it should be replaced.",
                path=destination,
            )
        holder = holder_of(destination)
        if holder is not None:
            raise CannotWrite(
                f"{name} is open in {holder.describe()}, so it cannot be replaced.",
                "Close it there, or choose another name for the copy.",
                path=destination,
            )
    elif not destination.parent.is_dir():
        raise CannotWrite(
            f"The folder {destination.parent} does not exist.",
            "Choose an existing folder, then try again.",
            path=destination,
        )


def _readable_source(source: Path) -> Inspection:
    """The source's inspection: a current or older document of ours (3/4/5/6 otherwise).

    Another Samplebook editing it is no obstacle: an editor only ever replaces the file whole.
    """
    found = inspect(source)
    if found.state is State.LOCKED and found.holder is not None:
        found = inspect(source, ignore_holder=True)
    if found.state not in (State.CURRENT, State.OUTDATED) or found.revision is None:
        raise found.error()
    return found


def copy_for(
    source: Path,
    destination: Path,
    release: str,
    *,
    overwrite: bool = False,
    progress: OlderCopyProgress | None = None,
    before_writing: BeforeWriting | None = None,
    script_location: Path | None = None,
) -> OlderCopyResult:
    """Write at ``destination`` the saved document ``source`` as Samplebook ``release`` holds it.

    ``source`` is never changed. ``script_location`` replaces the shipped migrations for the
    downgrade (tests inject failures with it).
    """
    source, destination = Path(source), Path(destination)
    known_release(release)  # refused before anything is read
    check_destination(destination, source, overwrite)
    found = _readable_source(source)
    assert found.revision is not None
    target = target_revision(release, found.revision, source)
    return _make(
        source,
        found.revision,
        target,
        destination,
        overwrite=overwrite,
        original=source,
        progress=progress,
        before_writing=before_writing,
        script_location=script_location,
    )


def copy_working_copy_for(
    database: Path,
    destination: Path,
    release: str,
    *,
    original: Path | None = None,
    overwrite: bool = False,
    progress: OlderCopyProgress | None = None,
    before_writing: BeforeWriting | None = None,
) -> OlderCopyResult:
    """The same for an open document: ``database`` is its working copy (at head, with its
    unsaved edits), ``original`` its file (which the copy must not replace)."""
    destination = Path(destination)
    target = target_revision(release, releases.HEAD_REVISION, original)
    check_destination(destination, original, overwrite)
    return _make(
        Path(database),
        releases.HEAD_REVISION,
        target,
        destination,
        overwrite=overwrite,
        original=original,
        progress=progress,
        before_writing=before_writing,
        script_location=None,
    )


def _make(
    database: Path,
    start: str,
    target: str,
    destination: Path,
    *,
    overwrite: bool,
    original: Path | None,
    progress: OlderCopyProgress | None,
    before_writing: BeforeWriting | None,
    script_location: Path | None,
) -> OlderCopyResult:
    from app.document.downgrade import downgrade_in_place  # noqa: PLC0415 - Alembic only here

    release = releases.release_of(target) or "?"
    undoing = steps_down(start, target)
    steps = len(undoing) + 3

    def report(what: str, step: int) -> None:
        if progress is not None:
            progress(what, step, steps)

    folder = cache_dir()
    sweep(folder)
    what = f"make the copy for Samplebook {release}"
    with reporting_failures(what, original_unchanged=original):
        private = Temporary.beside(folder / "older-copy.db", "downgrade", mode=0o600)
    with private:
        with reporting_failures(what, original_unchanged=original):
            report("reading the document", 1)
            copy_database(database, private.path)
            _require_revision(private.path, start, original)
            lost = _counted(private.path, start, target)
            if before_writing is not None:
                before_writing(lost)
            undone = downgrade_in_place(
                private.path,
                target,
                progress=lambda step: report(
                    f"taking out what Samplebook {step.release} added", 1 + step.number
                ),
                script_location=script_location,
            )
        _require(head_problems(private.path, revision=target), release)
        sweep(destination.parent)
        with (
            reporting_failures(f"write “{destination.name}”", original_unchanged=original),
            Temporary.beside(destination, "older") as written,
        ):
            report("writing the copy", steps - 1)
            copy_database(ensure_template(target), written.path)
            _move_rows(private.path, written.path, target, release)
            report("checking the copy", steps)
            problems = head_problems(written.path, revision=target)
            _require(problems or exactly_recorded(written.path, target), release)
            if overwrite:
                written.replace(destination)
            else:
                written.publish_new(destination)
    verified.remember(destination)  # written and fully checked here
    return OlderCopyResult(destination, release, releases.release_of(start) or "?", lost, undone)


def _counted(path: Path, start: str, target: str) -> list[Loss]:
    connection = open_read_only(path)
    try:
        return losses(connection, start, target)
    finally:
        connection.close()


def _require_revision(path: Path, revision: str, original: Path | None) -> None:
    """The copy read is the document that was inspected (not one saved over it since)."""
    connection = open_read_only(path)
    try:
        found = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    finally:
        connection.close()
    if found != [(revision,)]:
        name = quoted_name(original) if original is not None else "The document"
        raise DocumentInUse(
            f"{name} changed while it was being read.",
            "Try again once the other program is done with it.",
            path=original,
        )


def _require(problems: list[str], release: str) -> None:
    if problems:
        raise SelfCheckFailed(
            f"The copy for Samplebook {release} did not pass its checks ({problems[0]}).",
            _NOTHING_WRITTEN,
        )


def _tables(revision: str) -> list[str]:
    """The tables the migrations build at ``revision`` that hold a document's rows."""
    return sorted(
        name
        for kind, name, _table, _sql in schema.reference(revision)
        if kind == "table" and name != "alembic_version" and name not in SQLITE_OWN_TABLES
    )


def _move_rows(downgraded: Path, written: Path, target: str, release: str) -> None:
    """Every row of ``downgraded`` into the template copy ``written``, in one transaction."""
    connection = open_read_write(written)
    try:
        # Off outside the transaction (it is ignored inside one), checked before the commit.
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("ATTACH DATABASE ? AS downgraded", (read_only_uri(downgraded),))
        connection.execute("BEGIN IMMEDIATE")
        try:
            for table in _tables(target):
                columns = [
                    str(row[1]) for row in connection.execute(f"PRAGMA main.table_info('{table}')")
                ]
                names = ", ".join(f'"{column}"' for column in columns)
                connection.execute(f'DELETE FROM main."{table}"')  # the template's own row
                connection.execute(
                    f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM downgraded."{table}"'
                )
                copied, held = (
                    int(connection.execute(f'SELECT count(*) FROM {db}."{table}"').fetchone()[0])
                    for db in ("main", "downgraded")
                )
                if copied != held:
                    _require([f"{copied} of the {held} rows of {table} were copied"], release)
                if table == "document_info" and "saved_by_version" in columns:
                    # Unqualified, ``document_info`` is main's (SQLite looks there before any
                    # attached database): the copy says which Samplebook wrote it, truthfully.
                    stamp_saved(connection)
            broken = connection.execute("PRAGMA main.foreign_key_check").fetchall()
            if broken:
                _require([f"{len(broken)} rows refer to rows that are not there"], release)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        connection.execute("DETACH DATABASE downgraded")
    finally:
        connection.close()


def exactly_recorded(path: Path, revision: str) -> list[str]:
    """How the stored schema of ``path`` differs, row for row and text for text, from what the
    migrations build at ``revision`` (what releases 2.0 and 2.1 compare, whitespace aside)."""
    connection = open_read_only(path)
    try:
        rows = {
            (str(kind), str(name), str(table), str(sql or ""))
            for kind, name, table, sql in connection.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_schema"
            )
        }
    finally:
        connection.close()
    recorded = set(schema.reference(revision))
    return [f"extra {kind} '{name}'" for kind, name, _, _ in sorted(rows - recorded)] + [
        f"{kind} '{name}' is not as recorded" for kind, name, _, _ in sorted(recorded - rows)
    ]
