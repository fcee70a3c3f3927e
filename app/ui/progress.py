"""The progress dialog for long document work (open, upgrade, save) running in a worker."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget


def progress_dialog(
    parent: QWidget,
    label: str,
    maximum: int = 0,
    *,
    delay_ms: int = 400,
    on_cancel: Callable[[], None] | None = None,
) -> QProgressDialog:
    """A window-modal progress dialog; Cancel only for work that can stop (``on_cancel``).

    Atomic document work (open, upgrade, save) cannot be stopped and shows no Cancel button.

    ``maximum == 0`` shows a busy indicator until the first progress report sets a range. It
    appears only when the work takes longer than ``delay_ms``.
    """
    dialog = QProgressDialog(label, "Cancel", 0, maximum, parent)
    if on_cancel is None:
        dialog.setCancelButton(None)
    else:
        dialog.canceled.connect(on_cancel)
    dialog.setWindowTitle("Samplebook")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(delay_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(420)
    dialog.setValue(0)
    return dialog


def report(dialog: QProgressDialog, done: int, total: int) -> None:
    if total > 0 and dialog.maximum() != total:
        dialog.setRange(0, total)
    dialog.setValue(min(done, total) if total > 0 else 0)
