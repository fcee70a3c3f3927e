"""Edit ▸ Rename and Merge Tags: every tag with how many samples carry it.

Rename gives a tag another name; a name that is already another tag's merges the two (the domain
decides, ``app.domain.tag_edits``). Merge puts several selected tags under one name — typically
spellings of one thing: "Río" and "RIO", "Sediment" and "sediment core". Each is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.domain.names import fold
from app.domain.tags import tag_counts
from app.ui import messages
from app.ui.bulk_undo import RenameTags
from app.ui.document_controller import DocumentController
from app.ui.input_dialog import widened


class TagsDialog(QDialog):
    def __init__(self, parent: QWidget | None, controller: DocumentController) -> None:
        super().__init__(parent)
        self.setObjectName("tagsDialog")
        self.setWindowTitle(f"Manage Tags — {APP_NAME}")
        self._controller = controller
        #: The question being asked (tests answer it like a person would).
        self.question: QInputDialog | None = None
        explanation = QLabel(messages.TAGS_DIALOG_HELP)
        explanation.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("tagsList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.rename_button = QPushButton("Rename…")
        self.merge_button = QPushButton("Merge…")
        side = QVBoxLayout()
        side.addWidget(self.rename_button)
        side.addWidget(self.merge_button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.list, 1)
        middle.addLayout(side)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(middle)
        layout.addWidget(buttons)
        self.setMinimumSize(440, 360)
        self.rename_button.clicked.connect(self.rename)
        self.merge_button.clicked.connect(self.merge)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(lambda _item: self.rename())
        controller.data_changed.connect(self._data_changed)
        self.refresh()

    def done(self, result: int) -> None:
        # The controller outlives the dialog: no more refreshes once it is closed.
        self._controller.data_changed.disconnect(self._data_changed)
        super().done(result)

    def _data_changed(self, _kind: str, _ids: tuple[int, ...]) -> None:
        self.refresh()

    # -- the list -------------------------------------------------------------------------------

    def refresh(self) -> None:
        connection = self._controller.connection
        if connection is None:
            return
        selected = set(self.selected())
        self.list.clear()
        for name, uses in tag_counts(connection):
            item = QListWidgetItem(f"{name} ({uses})")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setData(Qt.ItemDataRole.UserRole + 1, uses)
            self.list.addItem(item)
            item.setSelected(name in selected)
        self._update_buttons()

    def selected(self) -> list[str]:
        return [str(item.data(Qt.ItemDataRole.UserRole)) for item in self.list.selectedItems()]

    def select(self, names: list[str]) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) in names)

    def _uses(self, name: str) -> int:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                return int(item.data(Qt.ItemDataRole.UserRole + 1))
        return 0

    def _update_buttons(self) -> None:
        count = len(self.selected())
        editable = not self._controller.read_only
        self.rename_button.setEnabled(editable and count == 1)
        self.merge_button.setEnabled(editable and count >= 2)

    # -- renaming and merging -------------------------------------------------------------------

    def _ask(self, dialog: QInputDialog, answered: Callable[[str], None]) -> None:
        widened(dialog)
        self.question = dialog

        def finished(result: int) -> None:
            self.question = None
            if result:
                answered(dialog.textValue().strip())

        self._controller.presenter.present(dialog, finished)

    def rename(self) -> None:
        names = self.selected()
        if len(names) != 1:
            return
        old = names[0]
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Rename Tag")
        dialog.setLabelText(f"New name for “{old}” ({self._uses(old)} samples):")
        dialog.setTextValue(old)
        self._ask(dialog, lambda new: self._rename(old, new))

    def _rename(self, old: str, new: str) -> None:
        if not new or new == old:
            return
        known = {fold(name) for name in self._all_names() if name != old}
        verb = "Merge Tag" if fold(new) in known else "Rename Tag"
        link = "into" if verb == "Merge Tag" else "to"
        self._perform(RenameTags(self._controller, [(old, new)], f"{verb} {old} {link} {new}"))

    def merge(self) -> None:
        names = self.selected()
        if len(names) < 2:
            return
        most_used = max(names, key=self._uses)
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Merge Tags")
        dialog.setLabelText(f"Merge {len(names)} tags under the name:")
        dialog.setComboBoxEditable(True)
        dialog.setComboBoxItems([most_used, *(name for name in names if name != most_used)])
        dialog.setTextValue(most_used)
        self._ask(dialog, lambda target: self._merge(names, target))

    def _merge(self, names: list[str], target: str) -> None:
        if not target:
            return
        # The tag that already has the target's spelling (if any) is renamed last, so each of the
        # others merges into it, or into the first one renamed to the target.
        ordered = sorted(names, key=lambda name: fold(name) == fold(target))
        renames = [(name, target) for name in ordered if name != target]
        if not renames:
            return
        text = f"Merge Tags {', '.join(names)} into {target}"
        self._perform(RenameTags(self._controller, renames, text))
        self.select([target])

    def _all_names(self) -> list[str]:
        return [
            str(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
        ]

    def _perform(self, command: RenameTags) -> None:
        error = self._controller.perform(command)
        if error is not None:
            self._controller.show_error(error)
