"""The editing features of one window beyond single fields: edits of the selection, the clipboard,
the samples list's context menu, the selection summary, tag renaming and the user guide.

Kept apart from ``main_window`` (which owns the document's life in the window) so each stays
small; the window creates one ``WindowEditing`` and hands it what it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu, QWidget

from app.ui import messages
from app.ui.actions import Actions
from app.ui.context_menus import show_row_menu
from app.ui.dialogs.guide_window import expected_guide_folder, show_guide
from app.ui.document_controller import DocumentController
from app.ui.edit_clipboard import EditClipboard

if TYPE_CHECKING:
    from app.ui.document_page import DocumentPage
    from app.ui.selection_actions import SelectionActions


class WindowEditing(QObject):
    def __init__(
        self,
        window: QWidget,
        controller: DocumentController,
        acts: Actions,
        page: Callable[[], DocumentPage],
        *,
        remark: Callable[[str], None],
        store_field: Callable[[], None],
    ) -> None:
        """``page`` gives the window's document page (made with its first document); what needs
        its widgets is wired in ``attach`` once it is made."""
        super().__init__(window)
        self._window = window
        self._controller = controller
        self._acts = acts
        self._remark = remark
        self.selection: SelectionActions | None = None
        a = acts
        self.clipboard = EditClipboard(
            window, a.cut, a.copy, a.paste, a.select_all, tell=remark, edit_menu=a.edit_menu
        )
        # A field still being typed in is stored first, as before the document actions.
        for action in (a.duplicate_samples, a.add_tag, a.remove_tag, a.set_location):
            action.triggered.connect(store_field)
        a.manage_tags.triggered.connect(self.show_tags)
        a.user_guide.triggered.connect(self.show_user_guide)
        # View ▸ Columns: the header's column chooser, for those who do not right-click titles.
        columns = QMenu("&Columns", a.view_menu)
        columns.setObjectName("columnsMenu")
        a.view_menu.addMenu(columns)

        def fill_columns() -> None:
            columns.clear()
            page().samples.columns.chooser_menu(columns)

        columns.aboutToShow.connect(fill_columns)
        self.columns_menu = columns

    def attach(self, page: DocumentPage) -> None:
        """Wire the edits of the selection, the clipboard and the list's menu to ``page``."""
        # Imported with the first document's page (start-up: the welcome window needs none).
        from app.ui.selection_actions import SelectionActions  # noqa: PLC0415

        a = self._acts
        samples, detail = page.samples, page.detail
        self.selection = s = SelectionActions(self._window, self._controller, samples, self._remark)
        self.clipboard.add_rows(samples.table, samples.table)
        self.clipboard.add_rows(detail.measurements_table, detail.measurements_grid)
        detail.selection_summary.set_actions(
            [
                a.add_tag,
                a.remove_tag,
                a.set_location,
                None,
                a.duplicate_samples,
                a.copy,
                a.export_subset,
                a.run_program,
                None,
                a.delete_samples,
            ]
        )
        a.duplicate_samples.triggered.connect(s.duplicate)
        a.add_tag.triggered.connect(s.add_tag)
        a.remove_tag.triggered.connect(s.remove_tag)
        a.set_location.triggered.connect(s.set_location)
        a.filter_tags.triggered.connect(samples.tag_filter.showMenu)
        samples.table.customContextMenuRequested.connect(
            lambda position: show_row_menu(samples.table, a, position)
        )
        detail.typing_refused.connect(lambda: self._remark(messages.READ_ONLY_TYPING))

    def show_tags(self) -> None:
        c = self._controller
        if c.document is None or c.busy:
            return
        from app.ui.tags_dialog import TagsDialog  # noqa: PLC0415 - first use (start-up)

        c.presenter.present(TagsDialog(self._window, c))

    def show_user_guide(self) -> None:
        if show_guide() is None:
            box = messages.guide_missing(self._window, expected_guide_folder())
            self._controller.presenter.present(box)
