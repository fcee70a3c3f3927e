"""A filter in words: every criterion, open date ranges that read as sentences."""

from __future__ import annotations

import pytest

from app.domain.filter_words import describe_dates, describe_filter
from app.domain.filters import SampleFilter


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("2024-06-01", "2024-06-30", "collected 2024-06-01 to 2024-06-30"),
        ("2024-06-01", None, "collected on or after 2024-06-01"),
        (None, "2024-06-30", "collected on or before 2024-06-30"),
        ("2024-06-01", "2024-06-01", "collected on 2024-06-01"),
        (" ", "", ""),
    ],
)
def test_dates(start: str | None, end: str | None, words: str) -> None:
    assert describe_dates(start, end) == words


def test_every_criterion() -> None:
    sample_filter = SampleFilter(
        text=" lake ",
        tags=("field", "core"),
        any_tags=("Río", "RIO"),
        collected_from="2024-06-01",
        code_globs=("BOD-*", "LEM-?"),
    )
    assert describe_filter(sample_filter) == (
        "matching “lake”, tagged “field” and “core”, tagged “Río” or “RIO”, "
        "collected on or after 2024-06-01, code like “BOD-*” or “LEM-?”"
    )


def test_chosen_samples_and_nothing() -> None:
    assert describe_filter(SampleFilter(ids=(4,))) == "1 chosen sample"
    assert describe_filter(SampleFilter(ids=(4, 5))) == "2 chosen samples"
    assert describe_filter(SampleFilter()) == "all samples"
    assert "…" not in describe_filter(SampleFilter(collected_to="2024-01-01"))
