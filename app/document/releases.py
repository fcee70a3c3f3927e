"""The schema revisions this build knows, without loading Alembic.

Opening a current document must not pay for importing Alembic (~230 ms), so the revision ids and the
release each one shipped in are kept here as constants. ``tests/migrations/test_releases.py`` keeps
them equal to the script directory, which stays the source of truth.
"""

from __future__ import annotations

#: ``PRAGMA application_id`` of every Samplebook document: "SmpB" (set by the first revision).
APPLICATION_ID = 0x536D7042

#: Revision id → the Samplebook release that introduced it, oldest first.
RELEASE_OF_REVISION: dict[str, str] = {
    "0f3a1c2b5d10": "1.0",
    "4b7e9d0c2a11": "1.1",
    "9c2d5f8e1b12": "1.2",
    "e1a6b3c9d720": "2.0",
    "5d8f2a7c3b21": "2.1",
    "8c8aa90590ca": "2.2",
}

HEAD_REVISION = "8c8aa90590ca"
HEAD_RELEASE = RELEASE_OF_REVISION[HEAD_REVISION]


def is_known(revision: str) -> bool:
    return revision in RELEASE_OF_REVISION


def release_of(revision: str | None) -> str | None:
    """The release that wrote documents at ``revision``; ``None`` for revisions this build never saw."""
    if revision is None:
        return None
    return RELEASE_OF_REVISION.get(revision)


def revisions_after(revision: str) -> list[str]:
    """The revisions an upgrade from ``revision`` applies, in order."""
    order = list(RELEASE_OF_REVISION)
    return order[order.index(revision) + 1 :]


def last_revision_of(release: str) -> str | None:
    """The newest revision ``release`` wrote documents at (what a copy for it is made at)."""
    found = [revision for revision, name in RELEASE_OF_REVISION.items() if name == release]
    return found[-1] if found else None


def is_older(revision: str, than: str) -> bool:
    """Whether known ``revision`` comes before known revision ``than`` in the schema history."""
    order = list(RELEASE_OF_REVISION)
    return order.index(revision) < order.index(than)
