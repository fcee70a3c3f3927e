"""Upgrading every release's real document keeps every row, transformed exactly as specified.

The expected rows are computed here from the fixture's own rows, by rules written down from the
specification, not by importing anything from the migrations:

* 1.1 adds ``measurement.measured_at`` (NULL for older rows) and ``sample.location`` (NULL).
* 1.2 turns each sample's free-text ``tags`` into ``tag`` + ``sample_tag``: split on commas, trim
  and collapse white space, drop empty pieces, merge spellings equal under ``casefold``. The name
  kept is the spelling most samples used (a sample counts once per tag, with its first spelling),
  a tie going to the spelling seen first in sample-id order. Tag ids follow first appearance.
* 2.0 adds ``document_info`` (one row, id 1, title ``''``) and makes sample codes unique: the
  lowest id keeps a code, later ones become ``CODE (2)``, ``CODE (3)`` … skipping codes in use.
* 2.1 adds ``provenance`` (empty in documents from before 2.1).
* 2.2 adds ``measurement.qualifier`` and ``measurement.uncertainty`` (NULL: older rows are plain
  values), ``sample.measurement_count`` (how many measurements the sample has),
  ``document_info.document_id`` (a new random UUID for each upgraded document),
  ``provenance.source_document_id`` and ``export_document_id`` (NULL: 2.1 recorded no ids), and
  the empty tables ``exported_sample``, ``exported_measurement`` and ``merged_measurement``.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from itertools import count
from pathlib import Path
from typing import Any

import pytest

from app.document.migration import Step, script_directory, upgrade_in_place
from app.document.releases import HEAD_REVISION, RELEASE_OF_REVISION

Row = dict[str, Any]
Tables = dict[str, list[Row]]

APPLICATION_ID = 0x536D7042  # "SmpB"
RELEASES = list(RELEASE_OF_REVISION.values())
BEFORE_1_2 = RELEASES[: RELEASES.index("1.2")]
BEFORE_2_0 = RELEASES[: RELEASES.index("2.0")]
REVISION_OF_RELEASE = {release: revision for revision, release in RELEASE_OF_REVISION.items()}
WHITESPACE = re.compile(r"\s+")

HEAD_COLUMNS = {
    "alembic_version": ["version_num"],
    "document_info": [
        "id",
        "title",
        "created_at",
        "created_by_version",
        "saved_at",
        "saved_by_version",
        "document_id",
    ],
    "exported_measurement": [
        "id",
        "sample_id",
        "quantity",
        "value",
        "unit",
        "measured_at",
        "qualifier",
        "uncertainty",
    ],
    "exported_sample": ["id", "code"],
    "measurement": [
        "id",
        "sample_id",
        "quantity",
        "value",
        "unit",
        "measured_at",
        "qualifier",
        "uncertainty",
    ],
    "merged_measurement": [
        "export_document_id",
        "export_measurement_id",
        "measurement_id",
        "merged_at",
    ],
    "provenance": [
        "id",
        "source_title",
        "source_file",
        "filter",
        "description",
        "exported_at",
        "exported_by_version",
        "samples",
        "measurements",
        "source_document_id",
        "export_document_id",
    ],
    "sample": ["id", "code", "name", "collected_on", "notes", "location", "measurement_count"],
    "sample_tag": ["sample_id", "tag_id"],
    "tag": ["id", "name"],
}


# --------------------------------------------------------------------------------------------------
# Reading documents


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as db:
        yield db


def read_tables(path: Path) -> Tables:
    """Every row of every table, as dicts, in primary-key order."""
    with read_only(path) as db:
        db.row_factory = sqlite3.Row
        names = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        tables: Tables = {}
        for name in names:
            info = db.execute(f'PRAGMA table_info("{name}")').fetchall()
            key = [column["name"] for column in sorted(info, key=lambda c: c["pk"]) if column["pk"]]
            order = ", ".join(f'"{column}"' for column in key or [c["name"] for c in info])
            tables[name] = [
                dict(row) for row in db.execute(f'SELECT * FROM "{name}" ORDER BY {order}')
            ]
        return tables


def columns_of(path: Path) -> dict[str, list[str]]:
    with read_only(path) as db:
        names = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: [row[1] for row in db.execute(f'PRAGMA table_info("{name}")')] for name in names
        }


def schema_of(path: Path) -> list[tuple[str, str, str, str | None]]:
    with read_only(path) as db:
        return db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name"
        ).fetchall()


def pragma(path: Path, name: str) -> list[tuple[Any, ...]]:
    with read_only(path) as db:
        return db.execute(f"PRAGMA {name}").fetchall()


def revision_order() -> list[str]:
    """Every revision from the first to head, walked in the script directory."""
    walked = list(script_directory().walk_revisions("base", "heads"))
    return [script.revision for script in reversed(walked)]


# --------------------------------------------------------------------------------------------------
# The specification, in test code


def clean_piece(piece: str) -> str:
    return WHITESPACE.sub(" ", piece).strip()


def tag_uses(samples: list[Row]) -> list[tuple[int, str, str]]:
    """(sample id, folded name, spelling) of every tag a sample has, in sample-id order."""
    uses: list[tuple[int, str, str]] = []
    for sample in sorted(samples, key=lambda s: s["id"]):
        folded_here: set[str] = set()
        for piece in (sample["tags"] or "").split(","):
            spelling = clean_piece(piece)
            if spelling and spelling.casefold() not in folded_here:
                folded_here.add(spelling.casefold())
                uses.append((sample["id"], spelling.casefold(), spelling))
    return uses


def expected_tags(samples: list[Row]) -> tuple[list[Row], list[Row]]:
    """``tag`` and ``sample_tag`` rows the 1.2 split makes of the samples' free-text tags."""
    uses = tag_uses(samples)
    tag_ids: dict[str, int] = {}
    for _, folded, _ in uses:
        tag_ids.setdefault(folded, len(tag_ids) + 1)

    tags: list[Row] = []
    for folded, tag_id in tag_ids.items():
        spellings = [spelling for _, key, spelling in uses if key == folded]
        votes = Counter(spellings)
        best = max(votes.values())
        name = next(spelling for spelling in spellings if votes[spelling] == best)
        tags.append({"id": tag_id, "name": name})

    links = sorted({(sample_id, tag_ids[folded]) for sample_id, folded, _ in uses})
    return tags, [{"sample_id": s, "tag_id": t} for s, t in links]


def expected_codes(samples: list[Row]) -> dict[int, str]:
    """Sample id → code after 2.0 made codes unique."""
    in_use = {sample["code"] for sample in samples}
    ids_by_code: dict[str, list[int]] = defaultdict(list)
    for sample in samples:
        ids_by_code[sample["code"]].append(sample["id"])
    codes: dict[int, str] = {}
    for code, ids in ids_by_code.items():
        first, *later = sorted(ids)
        codes[first] = code
        free = (f"{code} ({n})" for n in count(2) if f"{code} ({n})" not in in_use)
        for sample_id in later:
            codes[sample_id] = next(free)
    return codes


def is_new_document_id(text: object) -> bool:
    """A random (version 4) UUID in its canonical text form."""
    if not isinstance(text, str):
        return False
    try:
        parsed = uuid.UUID(text)
    except ValueError:
        return False
    return parsed.version == 4 and str(parsed) == text


def expected_after_upgrade(old: Tables, document_id: str) -> Tables:
    """What every table must hold once the document ``old`` is at head.

    ``document_id`` is the identity the upgrade gave a document from before 2.2 (random, so it is
    checked separately with ``is_new_document_id``); a 2.2 document keeps its own.
    """
    samples = old["sample"]
    codes = expected_codes(samples)
    if "tag" in old:
        tags, links = old["tag"], old["sample_tag"]
    else:
        tags, links = expected_tags(samples)
    info = old.get("document_info") or [
        {
            "id": 1,
            "title": "",
            "created_at": None,
            "created_by_version": None,
            "saved_at": None,
            "saved_by_version": None,
        }
    ]
    info = [{**row, "document_id": row.get("document_id", document_id)} for row in info]
    counts = Counter(m["sample_id"] for m in old["measurement"])
    return {
        "alembic_version": [{"version_num": HEAD_REVISION}],
        "document_info": info,
        "exported_measurement": old.get("exported_measurement", []),
        "exported_sample": old.get("exported_sample", []),
        "measurement": [
            {
                "id": m["id"],
                "sample_id": m["sample_id"],
                "quantity": m["quantity"],
                "value": m["value"],
                "unit": m["unit"],
                "measured_at": m.get("measured_at"),
                "qualifier": m.get("qualifier"),
                "uncertainty": m.get("uncertainty"),
            }
            for m in old["measurement"]
        ],
        "merged_measurement": old.get("merged_measurement", []),
        # Where an export came from (2.1): documents from before 2.1 were never exports; 2.1
        # recorded no document ids.
        "provenance": [
            {
                **p,
                "source_document_id": p.get("source_document_id"),
                "export_document_id": p.get("export_document_id"),
            }
            for p in old.get("provenance", [])
        ],
        "sample": [
            {
                "id": s["id"],
                "code": codes[s["id"]],
                "name": s["name"],
                "collected_on": s["collected_on"],
                "notes": s["notes"],
                "location": s.get("location"),
                "measurement_count": counts[s["id"]],
            }
            for s in samples
        ],
        "sample_tag": links,
        "tag": tags,
    }


# --------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(params=RELEASES)
def release(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def upgraded(
    release: str, fixture_copy: Callable[[str], Path]
) -> tuple[Tables, Path, list[str], list[Step]]:
    """The fixture's rows, and a copy upgraded to head (with what was applied, step by step)."""
    copy = fixture_copy(release)
    old = read_tables(copy)
    steps: list[Step] = []
    applied = upgrade_in_place(copy, progress=steps.append)
    return old, copy, applied, steps


@pytest.fixture
def fresh_head(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.db"
    upgrade_in_place(path, create=True)
    return path


# --------------------------------------------------------------------------------------------------
# The fixtures are what their names say


@pytest.mark.parametrize("release", RELEASES)
def test_fixture_is_a_document_of_its_release(
    release: str, fixture_copy: Callable[[str], Path]
) -> None:
    path = fixture_copy(release)
    assert pragma(path, "application_id") == [(APPLICATION_ID,)]
    assert read_tables(path)["alembic_version"] == [{"version_num": REVISION_OF_RELEASE[release]}]
    assert pragma(path, "journal_mode") == [("delete",)]
    assert pragma(path, "integrity_check") == [("ok",)]
    tables = read_tables(path)
    assert len(tables["sample"]) >= 50
    assert len(tables["measurement"]) >= 300


# --------------------------------------------------------------------------------------------------
# Rows


def test_every_row_of_every_table_is_as_specified(
    upgraded: tuple[Tables, Path, list[str], list[Step]],
) -> None:
    old, copy, _, _ = upgraded
    assert columns_of(copy) == HEAD_COLUMNS
    actual = read_tables(copy)
    (info,) = actual["document_info"]
    kept = [row["document_id"] for row in old.get("document_info", []) if "document_id" in row]
    if kept:  # already 2.2: it keeps its identity
        assert info["document_id"] == kept[0]
    else:
        assert is_new_document_id(info["document_id"])
    expected = expected_after_upgrade(old, info["document_id"])
    assert sorted(actual) == sorted(expected)
    for table in expected:
        assert actual[table] == expected[table], f"table {table} differs"


@pytest.mark.parametrize("release", BEFORE_2_0)
def test_duplicate_codes_are_renamed_skipping_codes_in_use(
    release: str, fixture_copy: Callable[[str], Path]
) -> None:
    """The hard cases of the 2.0 rename, spelled out (the fixtures were made to contain them)."""
    copy = fixture_copy(release)
    old = {s["id"]: s["code"] for s in read_tables(copy)["sample"]}
    upgrade_in_place(copy)
    new = {s["id"]: s["code"] for s in read_tables(copy)["sample"]}

    def codes_of(original: str) -> list[str]:
        return [new[i] for i in sorted(old) if old[i] == original]

    assert codes_of("S-7") == ["S-7", "S-7 (3)", "S-7 (4)"]
    assert codes_of("S-7 (2)") == ["S-7 (2)"]
    assert codes_of("B-12") == ["B-12", "B-12 (2)"]
    assert codes_of("s-7") == ["s-7"]
    assert codes_of("S-7 ") == ["S-7 "]
    assert len(set(new.values())) == len(new)


@pytest.mark.parametrize("release", BEFORE_1_2)
def test_free_text_tags_are_split_as_specified(
    release: str, fixture_copy: Callable[[str], Path]
) -> None:
    """The hard cases of the 1.2 split, spelled out."""
    copy = fixture_copy(release)
    samples = read_tables(copy)["sample"]
    old = {s["id"]: s["tags"] for s in samples}

    # The fixture exercises both halves of the naming rule: a spelling used more often than the
    # first one seen wins, and a tie goes to the first one seen.
    spellings: dict[str, list[str]] = defaultdict(list)
    for _, folded, spelling in tag_uses(samples):
        spellings[folded].append(spelling)
    votes = {folded: Counter(used) for folded, used in spellings.items()}
    assert any(v.most_common(1)[0][1] > v[spellings[f][0]] for f, v in votes.items())
    assert any(list(v.values()).count(max(v.values())) > 1 for v in votes.values())
    upgrade_in_place(copy)
    tables = read_tables(copy)
    name_of = {t["id"]: t["name"] for t in tables["tag"]}
    tags_of: dict[int, set[str]] = defaultdict(set)
    for link in tables["sample_tag"]:
        tags_of[link["sample_id"]].add(name_of[link["tag_id"]].casefold())

    def tags_for(text: str) -> set[str]:
        (sample_id,) = [i for i, t in old.items() if t == text]
        return tags_of[sample_id]

    assert tags_for(" Soil,soil ,, SOIL  , river  water") == {"soil", "river water"}
    assert tags_for("Straße, STRASSE ,strasse") == {"strasse"}
    assert tags_for("ΟΔΟΣ, οδος") == {"οδοσ"}
    assert tags_for("湖, 湖 , lake ") == {"湖", "lake"}
    assert tags_for("río,Río , RIO") == {"río", "rio"}
    assert tags_for("field\tday,  Field  Day ,") == {"field day"}
    assert tags_for("sediment\u00a0core, sediment core") == {"sediment core"}
    assert tags_for(",,,") == set()
    assert tags_for("   ") == set()

    names = [t["name"] for t in tables["tag"]]
    assert len({n.casefold() for n in names}) == len(names)
    assert all(n == clean_piece(n) and n and "," not in n for n in names)


# --------------------------------------------------------------------------------------------------
# Schema, soundness, progress


def test_upgraded_schema_equals_a_fresh_document(
    upgraded: tuple[Tables, Path, list[str], list[Step]], fresh_head: Path
) -> None:
    _, copy, _, _ = upgraded
    assert schema_of(copy) == schema_of(fresh_head)


def test_upgraded_document_is_sound(upgraded: tuple[Tables, Path, list[str], list[Step]]) -> None:
    _, copy, _, _ = upgraded
    assert pragma(copy, "integrity_check") == [("ok",)]
    assert pragma(copy, "foreign_key_check") == []
    assert pragma(copy, "application_id") == [(APPLICATION_ID,)]
    assert pragma(copy, "journal_mode") == [("delete",)]
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]


def test_progress_reports_one_step_per_revision(
    release: str, upgraded: tuple[Tables, Path, list[str], list[Step]]
) -> None:
    _, _, applied, steps = upgraded
    order = revision_order()
    expected = order[order.index(REVISION_OF_RELEASE[release]) + 1 :]
    assert applied == expected
    assert steps == [
        Step(number, len(expected), revision, RELEASE_OF_REVISION[revision])
        for number, revision in enumerate(expected, start=1)
    ]


def test_upgrading_twice_is_a_no_op(upgraded: tuple[Tables, Path, list[str], list[Step]]) -> None:
    _, copy, _, _ = upgraded
    rows, schema, content = read_tables(copy), schema_of(copy), copy.read_bytes()
    steps: list[Step] = []
    assert upgrade_in_place(copy, progress=steps.append) == []
    assert steps == []
    assert read_tables(copy) == rows
    assert schema_of(copy) == schema
    assert copy.read_bytes() == content


def test_fresh_document_is_ours_and_empty(fresh_head: Path) -> None:
    assert pragma(fresh_head, "application_id") == [(APPLICATION_ID,)]
    assert pragma(fresh_head, "journal_mode") == [("delete",)]
    tables = read_tables(fresh_head)
    assert is_new_document_id(tables["document_info"][0]["document_id"])
    assert tables == {
        "alembic_version": [{"version_num": HEAD_REVISION}],
        "document_info": [
            {
                "id": 1,
                "title": "",
                "created_at": None,
                "created_by_version": None,
                "saved_at": None,
                "saved_by_version": None,
                "document_id": tables["document_info"][0]["document_id"],
            }
        ],
        "exported_measurement": [],
        "exported_sample": [],
        "measurement": [],
        "merged_measurement": [],
        "provenance": [],
        "sample": [],
        "sample_tag": [],
        "tag": [],
    }
