"""What a copy for an older Samplebook cannot hold, counted in the document before it is written.

Each revision's ``downgrade()`` drops what its release added (see their docstrings); this module
counts, in the document itself, what that means for *this* document, step by step from its own
revision down to the older one, in the sentences a person reads before choosing to go ahead. A
step's counts only look at what that step's release added, so they work on a document at any
revision from that release on (an older document is copied from its own format), and what an
earlier step leaves out is not counted again (the time of a measurement that is left out anyway).
Each count is the number of rows the loss changes: the round-trip tests apply exactly the reported
losses to the original and must get what upgrading the copy again gives.

What is not a loss is not listed: counts, indexes and triggers that the rows determine, duplicate
codes 2.0 renamed (they keep their new names; unique codes are valid everywhere), the order of a
sample's tags. Plain ``sqlite3``; no Alembic.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.document import releases

#: How many names a sentence gives as examples.
_EXAMPLES = 3


@dataclass(frozen=True)
class Loss:
    """One kind of thing the older release cannot hold, and how much of it this document has."""

    #: A stable key: ``not_detected``, ``qualifiers``, ``uncertainties``, ``identity``,
    #: ``export_record``, ``merge_record``, ``provenance_ids``, ``provenance``, ``title``,
    #: ``document_dates``, ``tags_as_text``, ``unused_tags``, ``tags_split``, ``tags_merged``,
    #: ``locations``, ``measured_at``.
    kind: str
    #: How many rows (measurements, samples, tags …) it concerns.
    count: int
    #: The sentence a person reads, without a final full stop.
    text: str


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def _are(count: int) -> str:
    return "is" if count == 1 else "are"


def _quoted(names: Iterable[str]) -> str:
    shown = [f"“{name}”" for name in names]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _examples(names: list[str]) -> str:
    more = len(names) - _EXAMPLES
    return _quoted(names[:_EXAMPLES]) + (f" and {more} more" if more > 0 else "")


def _count(connection: sqlite3.Connection, sql: str) -> int:
    return int(connection.execute(sql).fetchone()[0])


def read_back_from_text(name: str) -> list[str]:
    """The tags the 1.2 upgrade makes of a tag ``name`` written into 1.1's text.

    The upgrade's rule (``split_tags`` of the 1.2 revision, written down again here): split on
    commas, trim and collapse white space, drop empty pieces and repeats that differ only in case.
    """
    seen: set[str] = set()
    pieces: list[str] = []
    for piece in name.split(","):
        tag = " ".join(piece.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            pieces.append(tag)
    return pieces


# --------------------------------------------------------------------------------------------------
# One function per release whose changes a copy undoes


def _lab_values_and_records(db: sqlite3.Connection, older: str, target: str) -> list[Loss]:
    """2.2 → 2.1: lab values, the document's identity, export and merge records."""
    found: list[Loss] = []
    nd = _count(db, "SELECT count(*) FROM measurement WHERE qualifier = 'nd'")
    if nd:
        found.append(
            Loss(
                "not_detected",
                nd,
                f"{_plural(nd, 'measurement')} not detected (n.d.) {_are(nd)} left out: "
                f"{older} needs a number for every measurement",
            )
        )
    qualified = _count(db, "SELECT count(*) FROM measurement WHERE qualifier IN ('<', '>', '~')")
    if qualified:
        found.append(
            Loss(
                "qualifiers",
                qualified,
                f"qualifiers of {_plural(qualified, 'measurement')} are dropped: "
                f"“<0.05” becomes 0.05 and “~3” becomes 3 in {older}",
            )
        )
    uncertain = _count(db, "SELECT count(*) FROM measurement WHERE uncertainty IS NOT NULL")
    if uncertain:
        found.append(
            Loss(
                "uncertainties",
                uncertain,
                f"uncertainties of {_plural(uncertain, 'measurement')} are dropped: "
                f"“1.2 ± 0.1” becomes 1.2 in {older}",
            )
        )
    found.append(
        Loss(
            "identity",
            1,
            "the document's identity is dropped: results in exports made from it so far can no "
            "longer be merged back into it",
        )
    )
    samples = _count(db, "SELECT count(*) FROM exported_sample")
    measurements = _count(db, "SELECT count(*) FROM exported_measurement")
    if samples or measurements:
        found.append(
            Loss(
                "export_record",
                samples + measurements,
                f"this export's record of the {_plural(samples, 'sample')} and "
                f"{_plural(measurements, 'measurement')} it held is dropped: results added to "
                "it can no longer be merged back into its source",
            )
        )
    merged = _count(db, "SELECT count(*) FROM merged_measurement")
    if merged:
        found.append(
            Loss(
                "merge_record",
                merged,
                f"the record of {_plural(merged, 'result')} merged back from exports is dropped",
            )
        )
    if _has_provenance(target):
        linked = _count(
            db,
            "SELECT count(*) FROM provenance "
            "WHERE source_document_id IS NOT NULL OR export_document_id IS NOT NULL",
        )
        if linked:
            found.append(
                Loss(
                    "provenance_ids",
                    linked,
                    f"{_plural(linked, 'provenance row')} {'loses' if linked == 1 else 'lose'} "
                    "the ids that tie an export to "
                    f"its source document ({older} records titles and paths only)",
                )
            )
    return found


def _provenance(db: sqlite3.Connection, older: str, _target: str) -> list[Loss]:
    """2.1 → 2.0: where exports came from."""
    rows = _count(db, "SELECT count(*) FROM provenance")
    if not rows:
        return []
    return [
        Loss(
            "provenance",
            rows,
            f"{_plural(rows, 'provenance row')} {_are(rows)} left out: {older} has no record "
            "of where exports came from",
        )
    ]


def _document_info(db: sqlite3.Connection, older: str, _target: str) -> list[Loss]:
    """2.0 → 1.2: the title and the document's dates and versions."""
    row = db.execute(
        "SELECT title, created_at, created_by_version, saved_at, saved_by_version "
        "FROM document_info ORDER BY id LIMIT 1"
    ).fetchone()
    if row is None:
        return []
    title, *history = row
    found: list[Loss] = []
    if title:
        found.append(
            Loss("title", 1, f"the title “{title}” is left out: {older} documents have no title")
        )
    if any(value is not None for value in history):
        found.append(
            Loss(
                "document_dates",
                1,
                "when and by which Samplebook the document was created and last saved is left "
                f"out: {older} does not record it",
            )
        )
    return found


def _tags(db: sqlite3.Connection, older: str, _target: str) -> list[Loss]:
    """1.2 → 1.1: tags become comma-separated text on each sample."""
    used = [
        (int(tag_id), str(name))
        for tag_id, name in db.execute(
            "SELECT id, name FROM tag WHERE id IN (SELECT tag_id FROM sample_tag) ORDER BY id"
        )
    ]
    unused = [
        str(name)
        for (name,) in db.execute(
            "SELECT name FROM tag WHERE id NOT IN (SELECT tag_id FROM sample_tag) ORDER BY id"
        )
    ]
    carrying = _count(db, "SELECT count(DISTINCT sample_id) FROM sample_tag")
    found: list[Loss] = []
    if carrying:
        found.append(
            Loss(
                "tags_as_text",
                carrying,
                f"tags become comma-separated text in {older} (on {_plural(carrying, 'sample')})",
            )
        )
    if unused:
        found.append(
            Loss(
                "unused_tags",
                len(unused),
                f"{_plural(len(unused), 'tag')} no sample carries {_are(len(unused))} left out "
                f"({_examples(unused)}): {older} keeps tags only as text on samples",
            )
        )
    pieces = {tag_id: read_back_from_text(name) for tag_id, name in used}
    changed = [(name, pieces[tag_id]) for tag_id, name in used if pieces[tag_id] != [name]]
    if changed:
        name, became = changed[0]
        reads = f"as {_plural(len(became), 'tag')}, {_quoted(became)}" if became else "as no tag"
        found.append(
            Loss(
                "tags_split",
                len(changed),
                f"{_plural(len(changed), 'tag name')} cannot be kept as {older} text (a comma "
                f"or extra spaces in the name): {older} reads “{name}” {reads}",
            )
        )
    owners: dict[str, set[int]] = {}
    for tag_id, names in pieces.items():
        for piece in names:
            owners.setdefault(piece.casefold(), set()).add(tag_id)
    merging = sorted({tag_id for ids in owners.values() if len(ids) > 1 for tag_id in ids})
    if merging:
        name_of = dict(used)
        found.append(
            Loss(
                "tags_merged",
                len(merging),
                f"{_plural(len(merging), 'tag')} differ only in case "
                f"({_examples([name_of[tag_id] for tag_id in merging])}): they become one tag "
                "when the copy is upgraded again",
            )
        )
    return found


def _places_and_times(db: sqlite3.Connection, older: str, _target: str) -> list[Loss]:
    """1.1 → 1.0: where samples were collected, when measurements were taken."""
    found: list[Loss] = []
    places = _count(db, "SELECT count(*) FROM sample WHERE location IS NOT NULL")
    if places:
        found.append(
            Loss(
                "locations",
                places,
                f"locations of {_plural(places, 'sample')} are left out: {older} has no place "
                "for them",
            )
        )
    # Measurements not detected are left out before this step (a 2.2 document): not counted twice.
    lab_values = "qualifier" in {
        str(row[1]) for row in db.execute("PRAGMA table_info(measurement)")
    }
    survivors = " AND qualifier IS NOT 'nd'" if lab_values else ""
    times = _count(db, f"SELECT count(*) FROM measurement WHERE measured_at IS NOT NULL{survivors}")
    if times:
        found.append(
            Loss(
                "measured_at",
                times,
                f"the times of {_plural(times, 'measurement')} are left out: {older} records "
                "no time of measurement",
            )
        )
    return found


_Counter = Callable[[sqlite3.Connection, str, str], list[Loss]]

#: The release whose changes are undone → what undoing them loses.
_STEPS: dict[str, _Counter] = {
    "2.2": _lab_values_and_records,
    "2.1": _provenance,
    "2.0": _document_info,
    "1.2": _tags,
    "1.1": _places_and_times,
}


def _has_provenance(target: str) -> bool:
    """Whether a copy at ``target`` still has the provenance table (2.1 made it)."""
    made_at = releases.last_revision_of("2.1")
    assert made_at is not None
    return not releases.is_older(target, made_at)


def steps_down(start: str, target: str) -> list[str]:
    """The revisions a copy from ``start`` for ``target`` undoes, newest first."""
    order = list(releases.RELEASE_OF_REVISION)
    return list(reversed(order[order.index(target) + 1 : order.index(start) + 1]))


def losses(connection: sqlite3.Connection, start: str, target: str) -> list[Loss]:
    """What a copy of the document on ``connection`` (at revision ``start``) made for the
    release of revision ``target`` loses, in the order the steps lose it."""
    older = f"Samplebook {releases.release_of(target)}"
    found: list[Loss] = []
    for revision in steps_down(start, target):
        release = releases.release_of(revision)
        assert release is not None
        found.extend(_STEPS[release](connection, older, target))
    return found
