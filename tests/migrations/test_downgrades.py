"""Every ``downgrade()`` builds its older release's schema, and the runner is one transaction.

pytest-alembic's up/down test (test_alembic_builtins) only proves that each step runs; here each
step down from a real document must build exactly the tables the older release's migrations build
(compared by structure with the recorded schemas), keep the rows it promises, and a failure midway
must leave the file as it was.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.document import schema
from app.document.downgrade import downgrade_in_place
from app.document.migration import Step, migrations_dir, upgrade_in_place
from app.document.releases import HEAD_REVISION, RELEASE_OF_REVISION
from tests.migrations.test_upgrade_rows import read_tables

ROOT = Path(__file__).resolve().parents[2]
REVISIONS = list(RELEASE_OF_REVISION)
REVISION_OF = {release: revision for revision, release in RELEASE_OF_REVISION.items()}


def failing_downgrades(tmp_path: Path) -> Path:
    """A copy of the shipped migrations whose 2.0 ``downgrade()`` fails after its rebuilds.

    A copy for 1.2 or older then fails in the middle of the whole downgrade: 2.2 and 2.1 were
    undone, and 2.0 rebuilt three tables, when it raises.
    """
    copy = tmp_path / "elsewhere" / "downgrades-that-fail"
    shutil.copytree(migrations_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    revision = next((copy / "versions").glob("e1a6b3c9d720_*.py"))
    text = revision.read_text(encoding="utf-8")
    marker = '    op.drop_table("document_info")\n'
    assert text.count(marker) == 1
    text = text.replace(marker, "    raise RuntimeError('injected failure midway')\n" + marker)
    revision.write_text(text, encoding="utf-8")
    return copy


@pytest.fixture
def head_copy(fixture_copy: Callable[[str], Path]) -> Path:
    """The newest fixture (lab values, provenance, export records), at head."""
    path = fixture_copy(RELEASE_OF_REVISION[HEAD_REVISION])
    upgrade_in_place(path)
    return path


@pytest.mark.parametrize(
    "target", REVISIONS[:-1], ids=[RELEASE_OF_REVISION[r] for r in REVISIONS[:-1]]
)
def test_each_release_downgraded_to_builds_that_release_schema(
    head_copy: Path, target: str
) -> None:
    downgrade_in_place(head_copy, target)
    with closing(sqlite3.connect(head_copy)) as db:
        assert schema.mismatches(db, target) == []
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(target,)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_tags_go_back_into_text_in_tag_id_order_before_location(tmp_path: Path) -> None:
    path = tmp_path / "tags.db"
    upgrade_in_place(path, target=REVISION_OF["1.2"], create=True)
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.executescript(
            """
            INSERT INTO sample (id, code, name, location) VALUES
                (1, 'A', 'a', 'Lake'), (2, 'B', 'b', NULL), (3, 'C', 'c', NULL);
            INSERT INTO tag (id, name) VALUES (1, 'soil'), (2, 'Fe, Mn'), (3, 'river water'),
                (4, 'unused');
            -- Inserted out of order: the text follows the tag ids, not the links' order.
            INSERT INTO sample_tag (sample_id, tag_id) VALUES (1, 3), (1, 1), (2, 2), (2, 1);
            """
        )
    downgrade_in_place(path, REVISION_OF["1.1"])
    with closing(sqlite3.connect(path)) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(sample)")]
        rows = db.execute("SELECT id, tags, location FROM sample ORDER BY id").fetchall()
    assert columns == ["id", "code", "name", "collected_on", "notes", "tags", "location"]
    # A comma inside a tag's name stays as it is (the loss report names it); no tags: NULL.
    assert rows == [(1, "soil, river water", "Lake"), (2, "soil, Fe, Mn", None), (3, None, None)]


def test_a_failure_midway_rolls_every_step_back(head_copy: Path, tmp_path: Path) -> None:
    before, tables = head_copy.read_bytes(), read_tables(head_copy)
    with pytest.raises(RuntimeError, match="injected failure midway"):
        downgrade_in_place(
            head_copy, REVISION_OF["1.1"], script_location=failing_downgrades(tmp_path)
        )
    # 2.2 and 2.1 had been undone and 2.0 had rebuilt tables: all of it rolled back.
    assert read_tables(head_copy) == tables
    assert head_copy.read_bytes() == before
    assert sorted(p.name for p in head_copy.parent.iterdir() if p.is_file()) == [head_copy.name]


def test_progress_names_each_release_undone_newest_first(head_copy: Path) -> None:
    steps: list[Step] = []
    undone = downgrade_in_place(head_copy, REVISION_OF["2.0"], progress=steps.append)
    assert undone == [REVISION_OF["2.2"], REVISION_OF["2.1"]]
    assert steps == [
        Step(1, 2, REVISION_OF["2.2"], "2.2"),
        Step(2, 2, REVISION_OF["2.1"], "2.1"),
    ]


def test_broken_references_roll_the_downgrade_back(head_copy: Path) -> None:
    """A row that points nowhere (another program wrote it) is not carried into an older copy."""
    with closing(sqlite3.connect(head_copy, isolation_level=None)) as db:
        db.execute(
            "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (99999, 'pH', 7, '')"
        )
    before = head_copy.read_bytes()
    from app.document import DocumentDamaged  # noqa: PLC0415

    with pytest.raises(DocumentDamaged, match="refer to records that do not exist"):
        downgrade_in_place(head_copy, REVISION_OF["2.1"])
    assert head_copy.read_bytes() == before


def test_running_the_downgrades_does_not_import_the_orm(head_copy: Path) -> None:
    """Like an upgrade: the revisions need only the naming convention, not ``app.models``."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from app.document.downgrade import downgrade_in_place\n"
        f"downgrade_in_place(Path({str(head_copy)!r}), {REVISION_OF['1.0']!r})\n"
        "print('app.models' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "False"
    with closing(sqlite3.connect(head_copy)) as db:
        assert schema.mismatches(db, REVISION_OF["1.0"]) == []
