"""The page a window shows for an open document: the banner, the samples list and the selected
sample, side by side, and the edits that work on them (New Sample, Add Measurement, Delete …).

A window makes it while its first document is being read (``MainWindow.page``), not at start: the
welcome page is all the first window shows, and this page's widgets are most of what the window
would otherwise import and build before it appears.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from app.ui.document_controller import DocumentController
from app.ui.sample_actions import SampleActions
from app.ui.widgets.banner import Banner
from app.ui.widgets.sample_detail import SampleDetail
from app.ui.widgets.samples_panel import SamplesPanel


class DocumentPage(QWidget):
    def __init__(self, controller: DocumentController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.samples = SamplesPanel(lambda: controller.connection)
        self.detail = SampleDetail(controller)
        self.banner = Banner(
            save_as=controller.save_as_dialog,
            save_clean_copy=controller.save_clean_copy_dialog,
            registry=controller.temporary_exports,
        )
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.samples)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self.editing = SampleActions(controller, self.samples, self.detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
