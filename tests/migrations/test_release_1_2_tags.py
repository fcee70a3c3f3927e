"""Release 1.2's tag split gives what reading the samples one by one gives, on any mix of texts.

The revision splits each distinct text once and lets SQLite link the samples; the reference below
is the plain reading of its docstring, sample by sample, and must agree row for row.
"""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from app.document.migration import upgrade_in_place
from app.document.releases import RELEASE_OF_REVISION

REVISION_OF = {release: revision for revision, release in RELEASE_OF_REVISION.items()}

#: Spellings that differ in case and spacing, pieces left empty, and a tag repeated in one text.
PIECES = ["Soil", "soil ", " SOIL", "river", "River", "  ", "", "ground  water", "ground water"]
PIECES += ["QC", "qc", "Field day", "field  Day", "Ärger", "ärger", "x" * 40, "tab\tbed"]


def reference(texts: list[tuple[int, str | None]]) -> tuple[list[tuple[int, str]], list[tuple]]:
    """(tags by id, links) by reading every sample in id order, as 1.2 documents it."""
    spellings: dict[str, Counter[str]] = {}
    first_seen: dict[str, int] = {}
    tag_ids: dict[str, int] = {}
    links: list[tuple[int, int]] = []
    for sample_id, text in sorted(texts):
        seen: set[str] = set()
        for piece in (text or "").split(","):
            tag = " ".join(piece.split())
            key = tag.casefold()
            if not tag or key in seen:
                continue
            seen.add(key)
            spellings.setdefault(key, Counter())[tag] += 1
            first_seen.setdefault(tag, len(first_seen))
            tag_ids.setdefault(key, len(tag_ids) + 1)
            links.append((sample_id, tag_ids[key]))
    names = {
        key: min(counts, key=lambda spelling: (-counts[spelling], first_seen[spelling]))
        for key, counts in spellings.items()
    }
    return sorted((tag_id, names[key]) for key, tag_id in tag_ids.items()), sorted(links)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_split_agrees_with_reading_sample_by_sample(tmp_path: Path, seed: int) -> None:
    chance = random.Random(seed)
    shared = [
        ",".join(chance.choice(PIECES) for _ in range(chance.randint(0, 5))) for _ in range(30)
    ]
    texts: list[tuple[int, str | None]] = []
    for sample_id in chance.sample(range(1, 5000), 1500):  # ids out of insertion order
        roll = chance.random()
        if roll < 0.1:
            text = None
        elif roll < 0.7:
            text = chance.choice(shared)  # most samples share their text with others
        else:
            text = ",".join(chance.choice(PIECES) for _ in range(chance.randint(0, 6)))
        texts.append((sample_id, text))
    path = tmp_path / "doc.db"
    upgrade_in_place(path, target=REVISION_OF["1.1"], create=True)
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.executemany(
            "INSERT INTO sample (id, code, name, tags) VALUES (?, ?, ?, ?)",
            [(sample_id, f"S-{sample_id}", "sample", text) for sample_id, text in texts],
        )
    upgrade_in_place(path, target=REVISION_OF["1.2"])
    with closing(sqlite3.connect(path)) as connection:
        tags = connection.execute("SELECT id, name FROM tag ORDER BY id").fetchall()
        links = connection.execute(
            "SELECT sample_id, tag_id FROM sample_tag ORDER BY sample_id, tag_id"
        ).fetchall()
        temporary = connection.execute("SELECT count(*) FROM sqlite_temp_schema").fetchone()
    assert (tags, links) == reference(texts)
    assert len(tags) > 5 and len(links) > 1000  # the mix did exercise the merging
    assert temporary == (0,)
