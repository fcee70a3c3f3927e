"""The recorded reference schemas are exactly what the migrations build today."""

from __future__ import annotations

import pytest

from app.document.known_schemas import SCHEMAS
from app.document.releases import RELEASE_OF_REVISION
from app.document.schema import build_reference


def test_every_known_revision_has_a_recorded_schema() -> None:
    assert list(SCHEMAS) == list(RELEASE_OF_REVISION)


@pytest.mark.parametrize("revision", list(RELEASE_OF_REVISION))
def test_recorded_schema_matches_the_migrations(revision: str) -> None:
    rebuilt = build_reference(revision)
    assert rebuilt == [tuple(entry) for entry in SCHEMAS[revision]], (
        "The migrations now build a different schema at this revision. If that is intended "
        "(it almost never is for a released revision), run `uv run python -m app.document.schema`."
    )
