"""Undo steps for data that comes in whole: an import (or paste) and results brought back.

Each is one step on the undo stack however many rows it wrote. The first application usually ran
in a worker (``DocumentController.edit_in_background``), so the command is created with what it
wrote and recorded; undo deletes exactly that, and redo writes the same plan again with the same
ids (``again``), so later steps that name those rows still apply.
"""

from __future__ import annotations

from app.domain.importing import AppliedImport, ImportPlan, apply_import, revert_import
from app.domain.merging import AppliedMerge, MergePlan, apply_merge, revert_merge
from app.ui.undo import DocumentCommand, Editor


class ImportRows(DocumentCommand):
    kind = "samples"  # the list is read again: rows were added or changed anywhere in it

    def __init__(
        self, editor: Editor, plan: ImportPlan, text: str, applied: AppliedImport | None = None
    ) -> None:
        super().__init__(editor, text)
        self.plan = plan
        self.applied = applied

    def apply(self) -> None:
        self.applied = apply_import(self.doc, self.plan, again=self.applied)

    def unapply(self) -> None:
        assert self.applied is not None
        revert_import(self.doc, self.applied)


class MergeResults(DocumentCommand):
    kind = "samples"

    def __init__(
        self, editor: Editor, plan: MergePlan, text: str, applied: AppliedMerge | None = None
    ) -> None:
        super().__init__(editor, text)
        self.plan = plan
        self.applied = applied

    def apply(self) -> None:
        self.applied = apply_merge(self.doc, self.plan, again=self.applied)

    def unapply(self) -> None:
        assert self.applied is not None
        revert_merge(self.doc, self.applied)
