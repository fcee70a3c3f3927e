"""What ``inspect`` finds out about a file: one of eleven states, and what is known about it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from app import __version__
from app.document import releases
from app.document.errors import (
    DocumentDamaged,
    DocumentError,
    DocumentInUse,
    DocumentTooNew,
    NotADocument,
)
from app.document.info import Counts


class State(enum.StrEnum):
    MISSING = "missing"
    UNREADABLE = "unreadable"
    EMPTY = "empty"
    NOT_SQLITE = "not_sqlite"
    CORRUPT = "corrupt"
    FOREIGN = "foreign"
    TAMPERED = "tampered"
    NEWER = "newer"
    OUTDATED = "outdated"
    CURRENT = "current"
    LOCKED = "locked"


@dataclass(frozen=True)
class Inspection:
    """Everything ``inspect`` found out about one file."""

    path: Path
    state: State
    message: str
    next_step: str = ""
    revision: str | None = None
    release: str | None = None
    head: str = releases.HEAD_REVISION
    app_version: str = __version__
    created_by: str | None = None
    saved_by: str | None = None
    title: str | None = None
    counts: Counts | None = None
    holder: str | None = None
    problems: list[str] = field(default_factory=list)
    #: A clean copy can be made from it (``samplebook-doc repair``): it is ours but changed outside
    #: Samplebook, lost its mark, or is damaged.
    repairable: bool = False

    def error(self) -> DocumentError:
        """The error to raise when an operation needs a usable document and this is not one."""
        kinds: dict[State, type[DocumentError]] = {
            State.CORRUPT: DocumentDamaged,
            State.TAMPERED: DocumentDamaged,
            State.NEWER: DocumentTooNew,
        }
        if self.state is State.LOCKED:
            return DocumentInUse(self.message, self.next_step, path=self.path, holder=self.holder)
        return kinds.get(self.state, NotADocument)(self.message, self.next_step, path=self.path)

    def as_json(self) -> dict[str, object]:
        counts = None
        if self.counts is not None:
            counts = {
                "samples": self.counts.samples,
                "measurements": self.counts.measurements,
                "tags": self.counts.tags,
            }
        return {
            "path": str(self.path),
            "state": self.state.value,
            "revision": self.revision,
            "release": self.release,
            "head": self.head,
            "app_version": self.app_version,
            "created_by": self.created_by,
            "saved_by": self.saved_by,
            "title": self.title,
            "counts": counts,
            "holder": self.holder,
            "message": self.message,
            "next_step": self.next_step or None,
            "problems": self.problems,
            "repairable": self.repairable,
        }


def quoted_name(path: Path) -> str:
    return f"“{path.name}”"


def unreadable(
    path: Path,
    reason: str,
    next_step: str = "Check the file's permissions, or choose another file.",
) -> Inspection:
    return Inspection(
        path, State.UNREADABLE, f"{quoted_name(path)} cannot be read: {reason}.", next_step
    )
