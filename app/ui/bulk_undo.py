"""Undoable commands for edits of a selection: duplicate, tag on/off, location, tag rename/merge.

Like ``app.ui.undo``: each calls one ``app.domain`` operation (one transaction) and its inverse,
and redo recreates the same rows with the same ids.
"""

from __future__ import annotations

from app.domain import bulk_edits, sample_edits, tag_edits
from app.ui.undo import DocumentCommand, Editor


def _samples(count: int) -> str:
    return "Sample" if count == 1 else f"{count} Samples"


class DuplicateSamples(DocumentCommand):
    kind = "samples"

    def __init__(self, editor: Editor, ids: tuple[int, ...]) -> None:
        super().__init__(editor, f"Duplicate {_samples(len(ids))}")
        self.ids = ids
        self.made: list[bulk_edits.Duplicate] = []
        self._applied = False

    def apply(self) -> None:
        self.made = bulk_edits.duplicate_samples(self.doc, self.ids, made=self.made or None)
        self._applied = True

    def unapply(self) -> None:
        sample_edits.delete_samples(self.doc, [copy.id for copy in self.made])
        self._applied = False

    def changed_ids(self) -> tuple[int, ...]:
        # Done: the copies are what changed (and get selected); undone: back to the originals.
        if self._applied:
            return tuple(copy.id for copy in self.made)
        return self.ids


class AddTagToSamples(DocumentCommand):
    kind = "tags"

    def __init__(self, editor: Editor, ids: tuple[int, ...], tag: str) -> None:
        super().__init__(editor, f"Add Tag {tag} to {_samples(len(ids))}")
        self.ids = ids
        self.tag = tag
        self.change: bulk_edits.TagChange | None = None

    def apply(self) -> None:
        tag_id = self.change.tag_id if self.change is not None else None
        self.change = bulk_edits.add_tag_to_samples(self.doc, self.ids, self.tag, tag_id=tag_id)

    def unapply(self) -> None:
        assert self.change is not None
        bulk_edits.undo_tag_added(self.doc, self.change)

    def changed_ids(self) -> tuple[int, ...]:
        return self.ids


class RemoveTagFromSamples(DocumentCommand):
    kind = "tags"

    def __init__(self, editor: Editor, ids: tuple[int, ...], tag: str) -> None:
        super().__init__(editor, f"Remove Tag {tag} from {_samples(len(ids))}")
        self.ids = ids
        self.tag = tag
        self.change: bulk_edits.TagChange | None = None

    def apply(self) -> None:
        self.change = bulk_edits.remove_tag_from_samples(self.doc, self.ids, self.tag)

    def unapply(self) -> None:
        assert self.change is not None
        bulk_edits.undo_tag_removed(self.doc, self.change)

    def changed_ids(self) -> tuple[int, ...]:
        return self.ids


class SetLocation(DocumentCommand):
    kind = "sample"

    def __init__(self, editor: Editor, ids: tuple[int, ...], location: str | None) -> None:
        super().__init__(editor, f"Set Location of {_samples(len(ids))}")
        self.ids = ids
        self.location = location
        self.old: dict[int, str | None] = {}

    def apply(self) -> None:
        self.old = bulk_edits.set_location(self.doc, self.ids, self.location)

    def unapply(self) -> None:
        bulk_edits.restore_locations(self.doc, self.old)

    def changed_ids(self) -> tuple[int, ...]:
        return self.ids


class RenameTags(DocumentCommand):
    """Rename one tag, or merge several into one name: all of it, or (on any error) none."""

    kind = "samples"

    def __init__(self, editor: Editor, renames: list[tuple[str, str]], text: str) -> None:
        super().__init__(editor, text)
        self.renames = renames
        self.done: list[tag_edits.TagRename] = []

    def apply(self) -> None:
        self.done = []
        try:
            for old, new in self.renames:
                self.done.append(tag_edits.rename_or_merge(self.doc, old, new))
        except BaseException:
            self.unapply()
            raise

    def unapply(self) -> None:
        for change in reversed(self.done):
            tag_edits.undo_rename(self.doc, change)

    def changed_ids(self) -> tuple[int, ...]:
        return ()
