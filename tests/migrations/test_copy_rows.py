"""Copies for every older release, of every release's real document: schema, rows, round trip.

Each committed fixture is upgraded to head, and a copy for every older release is made of it
(``copy_for``). The expectations are computed here from the head document's own rows, by rules
written down from the specification, not by importing anything from the migrations:

* a copy for 2.1 or older has no measurement that was *not detected* (2.1 needs a number), no
  ``qualifier`` or ``uncertainty``, no ``sample.measurement_count``, no ``document_id``, no
  document ids in ``provenance``, no export or merge records; ``document_info`` says it was
  saved by this build, just now;
* for 2.0 or older there is no ``provenance``; for 1.2 or older no ``document_info``;
* for 1.1 or older each sample's tags are its ``tags`` text: the names in tag-id order joined by
  ``", "``, NULL without tags; for 1.0 there are no locations and no times of measurement.

Upgrading the copy to head again must give the original rows except exactly the losses the copy
reported: every reported kind is applied to the original (with the count it reported, which must
be the number of rows it changes), and every kind not reported must change nothing. Tags come
back by the 1.2 upgrade's rule (``expected_tags``): a copy for 1.1 keeps no tag ids, so ids are
those of first appearance.
"""

from __future__ import annotations

import datetime
import re
import shutil
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import __version__
from app.document.known_schemas import SCHEMAS
from app.document.migration import upgrade_in_place
from app.document.older_copy import OlderCopyResult, copy_for
from app.document.releases import HEAD_RELEASE
from tests.conftest import fixture_path
from tests.migrations.test_upgrade_rows import (
    RELEASES,
    REVISION_OF_RELEASE,
    Row,
    Tables,
    clean_piece,
    expected_tags,
    is_new_document_id,
    read_tables,
)

OLDER = RELEASES[:-1]
STARTED = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
SAVED_AT = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$")


def before(release: str, other: str) -> bool:
    return RELEASES.index(release) < RELEASES.index(other)


@dataclass(frozen=True)
class Made:
    head: Tables  # the fixture at head: what was copied
    copy: Path
    result: OlderCopyResult
    again: Tables  # the copy upgraded to head again


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Made]:
    """(fixture release, target release) → the copy, made once for the tests of this module."""
    heads: dict[str, Path] = {}
    cache: dict[tuple[str, str], Made] = {}

    def make(release: str, target: str) -> Made:
        if release not in heads:
            head = tmp_path_factory.mktemp(f"head-{release}") / "head.db"
            shutil.copyfile(fixture_path(release), head)
            upgrade_in_place(head)
            heads[release] = head
        if (release, target) not in cache:
            folder = tmp_path_factory.mktemp(f"copy-{release}-for-{target}")
            copy = folder / "copy.db"
            result = copy_for(heads[release], copy, target)
            again = folder / "again.db"
            shutil.copyfile(copy, again)
            upgrade_in_place(again)
            cache[release, target] = Made(
                read_tables(heads[release]), copy, result, read_tables(again)
            )
        return cache[release, target]

    return make


CASES = [(release, target) for release in RELEASES for target in OLDER]
IDS = [f"{release}-for-{target}" for release, target in CASES]


# --------------------------------------------------------------------------------------------------
# The specification, in test code


def without(row: Row, *columns: str) -> Row:
    return {key: value for key, value in row.items() if key not in columns}


def tags_as_text(head: Tables) -> dict[int, str | None]:
    """Sample id → its tags as 1.1 text: names in tag-id order, ", " between, None for none."""
    names = {tag["id"]: tag["name"] for tag in head["tag"]}
    of_sample: dict[int, list[str]] = defaultdict(list)
    for link in sorted(head["sample_tag"], key=lambda link: (link["sample_id"], link["tag_id"])):
        of_sample[link["sample_id"]].append(names[link["tag_id"]])
    return {sample["id"]: ", ".join(of_sample[sample["id"]]) or None for sample in head["sample"]}


def expected_copy(head: Tables, target: str, saved: Row) -> Tables:
    """What the copy for ``target`` holds; ``saved`` is its stamp (checked separately)."""
    measurements = [
        without(m, "qualifier", "uncertainty")
        for m in head["measurement"]
        if m["qualifier"] != "nd"
    ]
    samples = [without(s, "measurement_count") for s in head["sample"]]
    expected: Tables = {"alembic_version": [{"version_num": REVISION_OF_RELEASE[target]}]}
    if not before(target, "2.1"):
        expected["provenance"] = [
            without(p, "source_document_id", "export_document_id") for p in head["provenance"]
        ]
    if not before(target, "2.0"):
        expected["document_info"] = [
            {**without(info, "document_id"), **saved} for info in head["document_info"]
        ]
    if not before(target, "1.2"):
        expected["tag"], expected["sample_tag"] = head["tag"], head["sample_tag"]
    else:
        text = tags_as_text(head)
        samples = [{**sample, "tags": text[sample["id"]]} for sample in samples]
    if before(target, "1.1"):
        samples = [without(s, "location") for s in samples]
        measurements = [without(m, "measured_at") for m in measurements]
    expected["sample"], expected["measurement"] = samples, measurements
    return expected


def pieces(name: str) -> list[str]:
    """The tags the 1.2 split makes of one name written into text (repeats folded away)."""
    found: list[str] = []
    for piece in name.split(","):
        cleaned = clean_piece(piece)
        if cleaned and cleaned.casefold() not in {seen.casefold() for seen in found}:
            found.append(cleaned)
    return found


class Reported:
    """The copy's reported losses; each is taken once, with the number of rows it must change."""

    def __init__(self, result: OlderCopyResult) -> None:
        kinds = [loss.kind for loss in result.losses]
        assert len(kinds) == len(set(kinds)), kinds
        self.counts = {loss.kind: loss.count for loss in result.losses}

    def take(self, kind: str, affected: int) -> bool:
        """Whether ``kind`` applies: reported with exactly ``affected``, or not at all when 0."""
        assert self.counts.pop(kind, 0) == affected, kind
        return affected > 0

    def all_taken(self) -> None:
        assert self.counts == {}, f"reported but not accounted for: {self.counts}"


def expected_again(head: Tables, target: str, made: Made) -> Tables:
    """The original rows, with exactly the reported losses applied (see the module docstring)."""
    reported = Reported(made.result)
    measurements = [dict(m) for m in head["measurement"]]
    nd = [m for m in measurements if m["qualifier"] == "nd"]
    if reported.take("not_detected", len(nd)):
        measurements = [m for m in measurements if m["qualifier"] != "nd"]
    qualified = [m for m in measurements if m["qualifier"] is not None]
    if reported.take("qualifiers", len(qualified)):
        measurements = [{**m, "qualifier": None} for m in measurements]
    uncertain = [m for m in measurements if m["uncertainty"] is not None]
    if reported.take("uncertainties", len(uncertain)):
        measurements = [{**m, "uncertainty": None} for m in measurements]

    samples = [dict(s) for s in head["sample"]]
    if before(target, "1.1"):
        if reported.take("locations", sum(s["location"] is not None for s in samples)):
            samples = [{**s, "location": None} for s in samples]
        if reported.take("measured_at", sum(m["measured_at"] is not None for m in measurements)):
            measurements = [{**m, "measured_at": None} for m in measurements]
    counts = Counter(m["sample_id"] for m in measurements)
    samples = [{**s, "measurement_count": counts[s["id"]]} for s in samples]

    (info,) = head["document_info"]
    (again_info,) = made.again["document_info"]
    assert reported.take("identity", 1)
    assert is_new_document_id(again_info["document_id"])
    assert again_info["document_id"] != info["document_id"]
    info = {**info, "document_id": again_info["document_id"]}
    if before(target, "2.0"):
        if reported.take("title", 1 if info["title"] else 0):
            info["title"] = ""
        dates = ("created_at", "created_by_version", "saved_at", "saved_by_version")
        if reported.take("document_dates", int(any(info[key] is not None for key in dates))):
            info.update(dict.fromkeys(dates))
    else:
        info.update(saved_by(made.copy))

    provenance = [dict(p) for p in head["provenance"]]
    if before(target, "2.1"):
        if reported.take("provenance", len(provenance)):
            provenance = []
    else:
        linked = [
            p
            for p in provenance
            if (p["source_document_id"], p["export_document_id"]) != (None, None)
        ]
        if reported.take("provenance_ids", len(linked)):
            ids = ("source_document_id", "export_document_id")
            provenance = [{**p, **dict.fromkeys(ids)} for p in provenance]

    records = len(head["exported_sample"]) + len(head["exported_measurement"])
    exported_kept = not reported.take("export_record", records)
    merged_kept = not reported.take("merge_record", len(head["merged_measurement"]))

    tags, links = head["tag"], head["sample_tag"]
    if before(target, "1.2"):
        tags, links = expected_tags_again(head, reported)
    reported.all_taken()
    return {
        "alembic_version": head["alembic_version"],
        "document_info": [info],
        "exported_measurement": head["exported_measurement"] if exported_kept else [],
        "exported_sample": head["exported_sample"] if exported_kept else [],
        "measurement": measurements,
        "merged_measurement": head["merged_measurement"] if merged_kept else [],
        "provenance": provenance,
        "sample": samples,
        "sample_tag": links,
        "tag": tags,
    }


def expected_tags_again(head: Tables, reported: Reported) -> tuple[list[Row], list[Row]]:
    """``tag`` and ``sample_tag`` after the copy's text is upgraded again."""
    used = {link["tag_id"] for link in head["sample_tag"]}
    carrying = {link["sample_id"] for link in head["sample_tag"]}
    reported.take("tags_as_text", len(carrying))
    reported.take("unused_tags", sum(tag["id"] not in used for tag in head["tag"]))
    names = {tag["id"]: tag["name"] for tag in head["tag"] if tag["id"] in used}
    split = [name for name in names.values() if pieces(name) != [name]]
    owners: dict[str, set[int]] = defaultdict(set)
    for tag_id, name in names.items():
        for piece in pieces(name):
            owners[piece.casefold()].add(tag_id)
    merged = {tag_id for ids in owners.values() if len(ids) > 1 for tag_id in ids}
    changed = reported.take("tags_split", len(split)) | reported.take("tags_merged", len(merged))
    text = tags_as_text(head)
    tags, links = expected_tags([{"id": i, "tags": text[i]} for i in sorted(text)])
    if not changed:
        # Nothing but ids can differ: every sample has the tags it had, by name.
        def named(tag_rows: list[Row], link_rows: list[Row]) -> set[tuple[int, str]]:
            name_of = {tag["id"]: tag["name"] for tag in tag_rows}
            return {(link["sample_id"], name_of[link["tag_id"]]) for link in link_rows}

        assert named(tags, links) == named(head["tag"], head["sample_tag"])
    return tags, links


def saved_by(path: Path) -> Row:
    """The copy's "saved by" stamp, which must be this build's, made during this test run."""
    with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as db:
        saved_at, version = db.execute(
            "SELECT saved_at, saved_by_version FROM document_info"
        ).fetchone()
    assert version == __version__
    assert SAVED_AT.match(saved_at), saved_at
    assert datetime.datetime.fromisoformat(saved_at) >= STARTED
    return {"saved_at": saved_at, "saved_by_version": version}


def schema_rows(path: Path) -> list[tuple[str, str, str, str]]:
    with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as db:
        rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
    return sorted((kind, name, table, sql or "") for kind, name, table, sql in rows)


# --------------------------------------------------------------------------------------------------
# The tests


@pytest.mark.parametrize(("release", "target"), CASES, ids=IDS)
def test_copy_schema_is_the_recorded_schema_text_for_text(
    made: Callable[[str, str], Made], release: str, target: str
) -> None:
    """Exactly what the older release's migrations build: releases 2.0 and 2.1 compare the text."""
    copy = made(release, target).copy
    assert schema_rows(copy) == sorted(SCHEMAS[REVISION_OF_RELEASE[target]])
    with closing(sqlite3.connect(f"{copy.absolute().as_uri()}?mode=ro", uri=True)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA application_id").fetchone() == (0x536D7042,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)


@pytest.mark.parametrize(("release", "target"), CASES, ids=IDS)
def test_copy_holds_what_that_release_would(
    made: Callable[[str, str], Made], release: str, target: str
) -> None:
    m = made(release, target)
    saved = saved_by(m.copy) if not before(target, "2.0") else {}
    actual = read_tables(m.copy)
    expected = expected_copy(m.head, target, saved)
    assert sorted(actual) == sorted(expected)
    for table in expected:
        assert actual[table] == expected[table], f"table {table} differs"
    assert m.result.release == target and m.result.source_release == HEAD_RELEASE


@pytest.mark.parametrize(("release", "target"), CASES, ids=IDS)
def test_upgrading_the_copy_again_gives_the_original_but_the_reported_losses(
    made: Callable[[str, str], Made], release: str, target: str
) -> None:
    m = made(release, target)
    expected = expected_again(m.head, target, m)
    assert sorted(m.again) == sorted(expected)
    for table in expected:
        assert m.again[table] == expected[table], f"table {table} differs"


def test_the_fixtures_make_the_losses_real(made: Callable[[str, str], Made]) -> None:
    """The 2.2 fixture has lab values, provenance, export and merge records and an unused tag:
    the round trips above lose something real in every step."""
    kinds = {loss.kind for loss in made(HEAD_RELEASE, "1.0").result.losses}
    assert kinds >= {
        "not_detected",
        "qualifiers",
        "uncertainties",
        "identity",
        "export_record",
        "merge_record",
        "provenance",
        "title",
        "document_dates",
        "tags_as_text",
        "unused_tags",
        "locations",
        "measured_at",
    }
    assert "provenance_ids" in {loss.kind for loss in made(HEAD_RELEASE, "2.1").result.losses}
