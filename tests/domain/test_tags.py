"""Tags: folding beyond ASCII, pruning unused tags, replacing and renaming."""

from __future__ import annotations

import pytest

from app.document import OpenDocument
from app.domain import (
    InvalidInput,
    NotFound,
    SampleFilter,
    add_tag,
    all_tags,
    count_samples,
    remove_tag,
    rename_tag,
    set_tags,
    tag_counts,
    tags_of,
)
from tests.domain.helpers import add_raw_sample, dump


@pytest.fixture
def two(doc: OpenDocument) -> tuple[int, int]:
    return add_raw_sample(doc.connection, "S-1"), add_raw_sample(doc.connection, "S-2")


def test_add_folds_case_beyond_ascii(doc: OpenDocument, two: tuple[int, int]) -> None:
    first, second = two
    assert add_tag(doc, first, "  Écume \t de  mer ") == "Écume de mer"
    assert add_tag(doc, second, "écume DE MER") == "Écume de mer"
    # NFD input (e + combining acute) is the same tag too.
    assert add_tag(doc, second, "E\u0301CUME de mer") == "Écume de mer"
    assert all_tags(doc.connection) == ["Écume de mer"]
    assert tag_counts(doc.connection) == [("Écume de mer", 2)]
    assert count_samples(doc.connection, SampleFilter(tags=("ÉCUME DE MER",))) == 2


def test_adding_a_linked_tag_changes_nothing(doc: OpenDocument, two: tuple[int, int]) -> None:
    add_raw_sample(doc.connection, "S-3", tags=("rock",))
    assert add_tag(doc, two[0], "ROCK") == "rock"
    doc.modified = False
    before = dump(doc.connection)
    assert add_tag(doc, two[0], "Rock") == "rock"
    assert dump(doc.connection) == before
    assert not doc.modified


def test_empty_name_and_missing_sample(doc: OpenDocument, two: tuple[int, int]) -> None:
    with pytest.raises(InvalidInput) as raised:
        add_tag(doc, two[0], " \t ")
    assert raised.value.problems == {"name": "Enter a tag name."}
    with pytest.raises(NotFound):
        add_tag(doc, 999, "rock")
    assert not doc.modified


def test_remove_prunes_unused_tags(doc: OpenDocument, two: tuple[int, int]) -> None:
    first, second = two
    add_tag(doc, first, "rock")
    add_tag(doc, second, "Rock")
    add_tag(doc, first, "écume")
    assert remove_tag(doc, first, "ÉCUME")
    assert all_tags(doc.connection) == ["rock"]
    assert remove_tag(doc, first, "rock")
    assert all_tags(doc.connection) == ["rock"]  # still on the second sample
    assert not remove_tag(doc, first, "rock")
    assert remove_tag(doc, second, "ROCK")
    assert all_tags(doc.connection) == []


def test_set_tags_returns_the_old_set(doc: OpenDocument, two: tuple[int, int]) -> None:
    first, second = two
    set_tags(doc, second, ["shared"])
    assert set_tags(doc, first, ["b", "A", "shared", " ", "a"]) == ()
    assert tags_of(doc.connection, first) == ["A", "b", "shared"]
    old = set_tags(doc, first, ["c", "SHARED"])
    assert old == ("A", "b", "shared")
    assert tags_of(doc.connection, first) == ["c", "shared"]
    assert all_tags(doc.connection) == ["c", "shared"]  # a and b pruned
    doc.modified = False
    assert set_tags(doc, first, ["Shared", "C"]) == ("c", "shared")
    assert not doc.modified  # the same set, folded


def test_rename_and_merge(doc: OpenDocument, two: tuple[int, int]) -> None:
    first, second = two
    set_tags(doc, first, ["rock", "stone"])
    set_tags(doc, second, ["stone"])
    assert rename_tag(doc, "ROCK", "Rock") == "Rock"  # case only: renamed in place
    assert tags_of(doc.connection, first) == ["Rock", "stone"]
    assert rename_tag(doc, "stone", "rock") == "Rock"  # merged into the existing tag
    assert tags_of(doc.connection, first) == ["Rock"]
    assert tags_of(doc.connection, second) == ["Rock"]
    assert tag_counts(doc.connection) == [("Rock", 2)]
    assert rename_tag(doc, "rock", "Granite") == "Granite"
    with pytest.raises(NotFound):
        rename_tag(doc, "basalt", "x")
    with pytest.raises(InvalidInput):
        rename_tag(doc, "granite", "  ")


def test_names_sort_ignoring_case_and_accents(doc: OpenDocument, two: tuple[int, int]) -> None:
    set_tags(doc, two[0], ["zinc", "écume", "Alpha", "ecume b"])
    assert all_tags(doc.connection) == ["Alpha", "écume", "ecume b", "zinc"]
