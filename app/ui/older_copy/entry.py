"""The File menu's entry for Save a Copy for an Older Samplebook, kept in step with the window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.ui.document_controller import DocumentController
from app.ui.messages import older_copy as say

if TYPE_CHECKING:
    from app.ui.older_copy.flow import OlderCopyFlow


class OlderCopyEntry(QObject):
    """The menu entry: inserted into the File menu before ``before``, enabled while a document
    is open and no work runs; ``prepare`` runs first (a field being typed in is stored)."""

    def __init__(
        self,
        controller: DocumentController,
        before: QAction,
        prepare: Callable[[], None],
    ) -> None:
        super().__init__(controller)
        self.controller = controller
        self.flow: OlderCopyFlow | None = None
        self.action = QAction(say.SAVE_COPY_FOR_OLDER, controller.window)
        self.action.setObjectName("saveCopyForOlder")
        for menu in before.associatedObjects():
            if isinstance(menu, QMenu):
                menu.insertAction(before, self.action)
        self.action.triggered.connect(prepare)
        self.action.triggered.connect(self.start)
        for signal in (controller.document_changed, controller.state_changed):
            signal.connect(self._update)
        controller.busy_changed.connect(lambda _busy: self._update())
        self._update()

    def _update(self) -> None:
        c = self.controller
        self.action.setEnabled(c.document is not None and not c.busy and self.flow is None)

    def start(self) -> None:
        if self.flow is not None or self.controller.document is None or self.controller.busy:
            return
        from app.ui.older_copy.flow import OlderCopyFlow  # noqa: PLC0415 - first use (start-up)

        flow = OlderCopyFlow(self.controller)
        self.flow = flow

        def ended() -> None:
            self.flow = None
            flow.deleteLater()
            self._update()

        flow.ended.connect(ended)
        self._update()
        flow.start()
