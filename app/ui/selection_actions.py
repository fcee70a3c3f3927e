"""Edit ▸ Duplicate, Add Tag to / Remove Tag from / Set Location of Selection: edits of every
selected sample at once, each one undo step.

The questions are small input dialogs shown through the window's presenter (never a nested
event loop); a request that would change nothing says so in the status bar instead of adding an
undo step that does nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QInputDialog, QLineEdit, QWidget

from app.domain.bulk_edits import samples_with_tag
from app.domain.samples import SampleRow
from app.domain.tags import all_tags
from app.ui import messages
from app.ui.bulk_undo import AddTagToSamples, DuplicateSamples, RemoveTagFromSamples, SetLocation
from app.ui.document_controller import DocumentController
from app.ui.input_dialog import question, widened
from app.ui.undo import DocumentCommand
from app.ui.widgets.samples_panel import SamplesPanel
from app.ui.widgets.tag_editor import split_tags


class SelectionActions:
    def __init__(
        self,
        parent: QWidget,
        controller: DocumentController,
        samples: SamplesPanel,
        tell: Callable[[str], None],
    ) -> None:
        self._parent = parent
        self._controller = controller
        self._samples = samples
        self._tell = tell
        #: The question being asked (tests answer it like a person would).
        self.dialog: QInputDialog | None = None

    # -- helpers --------------------------------------------------------------------------------

    def _selected(self) -> list[SampleRow]:
        model = self._samples.model
        rows = (model.sample_at(row) for row in self._samples.table.selected_rows())
        return [row for row in rows if row is not None]

    def _ids(self) -> tuple[int, ...]:
        return tuple(self._samples.selected_ids())

    def _can_edit(self) -> bool:
        c = self._controller
        return c.document is not None and not c.read_only and not c.busy and bool(self._ids())

    def _perform(self, command: DocumentCommand) -> None:
        error = self._controller.perform(command)
        if error is not None:
            self._controller.show_error(error)

    def _ask(self, dialog: QInputDialog, answered: Callable[[str], None]) -> None:
        widened(dialog)
        self.dialog = dialog

        def finished(result: int) -> None:
            self.dialog = None
            if result:
                answered(dialog.textValue())

        self._controller.presenter.present(dialog, finished)

    def _question(self, title: str, label: str) -> QInputDialog:
        return question(self._parent, title, label)

    def _which(self) -> str:
        """ "BOD-3" for one selected sample, "3 selected samples" for several."""
        rows = self._selected()
        if len(rows) == 1:
            return f"“{rows[0].code}”"
        return messages.plural(len(rows), "selected sample")

    # -- the actions ----------------------------------------------------------------------------

    def duplicate(self) -> None:
        if self._can_edit():
            self._perform(DuplicateSamples(self._controller, self._ids()))

    def add_tag(self) -> None:
        if not self._can_edit():
            return
        connection = self._controller.connection
        assert connection is not None
        dialog = self._question("Add Tag", f"Tag to add to {self._which()}:")
        dialog.setComboBoxEditable(True)
        dialog.setComboBoxItems(all_tags(connection))
        dialog.setTextValue("")
        self._ask(dialog, self._add_tags)

    def _add_tags(self, text: str) -> None:
        ended, rest = split_tags(text)
        names = [name for name in (*ended, " ".join(rest.split())) if name]
        ids = self._ids()
        connection = self._controller.connection
        if not names or not ids or connection is None:
            return
        wanted = [name for name in names if samples_with_tag(connection, ids, name) != set(ids)]
        if not wanted:
            self._tell(messages.already_tagged(names[0], len(ids)))
            return
        stack = self._controller.undo_stack
        # Several tags typed with commas: one undo step for all of them.
        if len(wanted) > 1:
            stack.beginMacro(f"Add Tags {', '.join(wanted)}")
        try:
            for name in wanted:
                self._perform(AddTagToSamples(self._controller, ids, name))
        finally:
            if len(wanted) > 1:
                stack.endMacro()

    def remove_tag(self) -> None:
        if not self._can_edit():
            return
        carried = sorted({tag for row in self._selected() for tag in row.tags}, key=str.casefold)
        if not carried:
            self._tell(messages.not_tagged_any(len(self._ids())))
            return
        dialog = self._question("Remove Tag", f"Tag to remove from {self._which()}:")
        dialog.setComboBoxEditable(False)
        dialog.setComboBoxItems(carried)
        self._ask(dialog, self._remove_tag)

    def _remove_tag(self, name: str) -> None:
        ids = self._ids()
        connection = self._controller.connection
        if not ids or connection is None or not name:
            return
        if not samples_with_tag(connection, ids, name):
            self._tell(messages.not_tagged(name))
            return
        self._perform(RemoveTagFromSamples(self._controller, ids, name))

    def set_location(self) -> None:
        if not self._can_edit():
            return
        rows = self._selected()
        places = {row.location for row in rows}
        dialog = self._question("Set Location", f"Location of {self._which()} (empty: none):")
        dialog.setTextValue(next(iter(places)) or "" if len(places) == 1 else "")
        model = self._samples.model
        known = {
            row.location
            for row in (model.sample_at(n) for n in range(model.rowCount()))
            if row is not None and row.location
        }
        line = dialog.findChild(QLineEdit)
        if line is not None and known:
            completer = QCompleter(sorted(known, key=str.casefold), dialog)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            line.setCompleter(completer)
        self._ask(dialog, self._set_location)

    def _set_location(self, text: str) -> None:
        ids = self._ids()
        if not ids:
            return
        location = text.strip() or None
        if {row.location for row in self._selected()} == {location}:
            self._tell(messages.same_location(len(ids)))
            return
        self._perform(SetLocation(self._controller, ids, location))
