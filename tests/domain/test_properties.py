"""The document's title."""

from __future__ import annotations

from app.document import OpenDocument
from app.domain import set_title, title


def test_title_round_trip(doc: OpenDocument) -> None:
    assert title(doc.connection) == "Field notes"
    assert set_title(doc, "  Lake   survey ") == "Field notes"
    assert title(doc.connection) == "Lake survey"
    assert doc.modified
    assert doc.title == "Lake survey"


def test_same_title_is_not_a_change(doc: OpenDocument) -> None:
    assert set_title(doc, "Field notes ") == "Field notes"
    assert not doc.modified
