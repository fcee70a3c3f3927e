"""Renaming and merging tags so that the change can be undone exactly.

``app.domain.tags.rename_tag`` renames a tag, or merges it into the tag the new name already
belongs to. Here the same operation also returns which samples it moved and which of them
carried both tags before, so ``undo_rename`` can put every link back as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain.bulk_edits import samples_with_tag
from app.domain.errors import NotFound
from app.domain.names import clean_tag, fold, tag_index
from app.domain.tags import ensure_tag, prune, rename_tag

if TYPE_CHECKING:
    from app.document import OpenDocument


@dataclass(frozen=True)
class TagRename:
    """One rename or merge: the tag before and after, and the samples it moved."""

    old_id: int
    old_name: str
    new_id: int
    new_name: str
    #: The samples that carried the old tag (and carry the new one now).
    moved: tuple[int, ...]
    #: Those of ``moved`` that carried the new tag already before a merge.
    had_both: tuple[int, ...] = ()

    @property
    def merged(self) -> bool:
        return self.new_id != self.old_id

    @property
    def changed(self) -> bool:
        return self.merged or self.new_name != self.old_name


def _carrying(doc: OpenDocument, tag_id: int) -> tuple[int, ...]:
    rows = doc.connection.execute(
        "SELECT sample_id FROM sample_tag WHERE tag_id = ? ORDER BY sample_id", (tag_id,)
    )
    return tuple(int(sample_id) for (sample_id,) in rows)


def rename_or_merge(doc: OpenDocument, old: str, new: str) -> TagRename:
    """Rename ``old`` to ``new``, merging into ``new`` when that is another tag already.

    Raises ``NotFound`` for an unknown ``old`` and ``InvalidInput`` for an empty ``new``.
    """
    index = tag_index(doc.connection)
    source = index.get(fold(old))
    if source is None:
        raise NotFound("old", f"There is no tag “{clean_tag(old)}”.")
    moved = _carrying(doc, source[0])
    target = index.get(fold(new))
    had_both: tuple[int, ...] = ()
    if target is not None and target[0] != source[0]:
        had_both = tuple(sorted(samples_with_tag(doc.connection, moved, target[1])))
    stored = rename_tag(doc, old, new)
    new_id = target[0] if target is not None else source[0]
    return TagRename(source[0], source[1], new_id, stored, moved, had_both)


def undo_rename(doc: OpenDocument, change: TagRename) -> None:
    """Put the tag back as it was before ``rename_or_merge``: its name, id and every link."""
    if not change.changed:
        return
    with doc.transaction() as conn:
        if not change.merged:
            conn.execute("UPDATE tag SET name = ? WHERE id = ?", (change.old_name, change.old_id))
            return
        old_id, _ = ensure_tag(conn, change.old_name, preferred_id=change.old_id)
        conn.executemany(
            "INSERT OR IGNORE INTO sample_tag (sample_id, tag_id) VALUES (?, ?)",
            [(sample_id, old_id) for sample_id in change.moved],
        )
        only_old = [sample_id for sample_id in change.moved if sample_id not in change.had_both]
        conn.executemany(
            "DELETE FROM sample_tag WHERE sample_id = ? AND tag_id = ?",
            [(sample_id, change.new_id) for sample_id in only_old],
        )
        prune(conn, [change.new_id])
