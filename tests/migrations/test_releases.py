"""app/document/releases.py (constants, so opening a document needs no Alembic) equals the scripts."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from alembic.script import Script, ScriptDirectory

from app.document import releases
from app.document.migration import check_installation, script_directory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"


@pytest.fixture(scope="module")
def script() -> ScriptDirectory:
    return script_directory()


@pytest.fixture(scope="module")
def history(script: ScriptDirectory) -> list[Script]:
    """Every revision, oldest first, walked from head down to base."""
    return list(reversed(list(script.walk_revisions("base", "heads"))))


def test_single_head_is_the_head_this_build_expects(script: ScriptDirectory) -> None:
    assert script.get_heads() == [releases.HEAD_REVISION]
    assert check_installation() == releases.HEAD_REVISION


def test_history_is_a_straight_line(history: list[Script]) -> None:
    assert history[0].down_revision is None
    for older, newer in pairwise(history):
        assert newer.down_revision == older.revision
    assert all(not script.is_merge_point and not script.is_branch_point for script in history)


def test_release_of_revision_lists_every_revision_oldest_first(history: list[Script]) -> None:
    assert list(releases.RELEASE_OF_REVISION) == [script.revision for script in history]
    assert history[-1].revision == releases.HEAD_REVISION


def test_each_revision_module_declares_its_release(history: list[Script]) -> None:
    for script in history:
        assert releases.RELEASE_OF_REVISION[script.revision] == script.module.RELEASE
    assert history[-1].module.RELEASE == releases.HEAD_RELEASE
    assert len(set(releases.RELEASE_OF_REVISION.values())) == len(history)


def test_revisions_after(history: list[Script]) -> None:
    order = [script.revision for script in history]
    for index, revision in enumerate(order):
        assert releases.revisions_after(revision) == order[index + 1 :]
        assert releases.is_known(revision)
        assert releases.release_of(revision) == releases.RELEASE_OF_REVISION[revision]
    assert not releases.is_known("0123456789ab")
    assert releases.release_of("0123456789ab") is None
    assert releases.release_of(None) is None


@pytest.mark.parametrize("release", list(releases.RELEASE_OF_REVISION.values()))
def test_every_release_has_a_committed_fixture_document(release: str) -> None:
    """Make a missing one with tests/fixtures/make_documents.py (once; never regenerate)."""
    assert (FIXTURES / f"release-{release}.db").is_file()
