"""The file dialog for Samplebook documents: one filter, and one decision about native dialogs."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

FILE_FILTER = "Samplebook documents (*.db);;All files (*)"


def document_file_dialog(
    parent: QWidget | None, caption: str, start: str, mode: QFileDialog.AcceptMode
) -> QFileDialog:
    """A dialog for choosing a ``.db`` document to open (``AcceptOpen``) or to write."""
    dialog = QFileDialog(parent, caption, start, FILE_FILTER)
    dialog.setAcceptMode(mode)
    dialog.setDefaultSuffix("db")
    # Without a desktop (tests, --smoke) there is no platform dialog to drive: use Qt's own.
    if QApplication.platformName() in ("offscreen", "minimal"):
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    return dialog
