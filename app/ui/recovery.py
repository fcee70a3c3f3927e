"""At start-up: offer to recover unsaved work that Samplebook processes left when they ended."""

from __future__ import annotations

from collections.abc import Callable

from app.document import DocumentError, Recovery, discard, recover, recoverable
from app.ui.dialogs.recovery_dialog import RecoveryDialog
from app.ui.main_window import MainWindow


def offer_recovery(
    window: MainWindow,
    new_window: Callable[[], MainWindow],
    found: list[Recovery] | None = None,
) -> RecoveryDialog | None:
    """Show the recovery dialog in ``window`` if there is unsaved work; returns the dialog."""
    recoveries = recoverable() if found is None else found
    if not recoveries:
        return None
    dialog = RecoveryDialog(window, recoveries)

    def answered(_result: int) -> None:
        chosen = dialog.checked()
        if dialog.answer == RecoveryDialog.DISCARD:
            for recovery in chosen:
                discard(recovery)
        elif dialog.answer == RecoveryDialog.RECOVER:
            target = window
            for recovery in chosen:
                try:
                    document = recover(recovery)
                except DocumentError as error:
                    window.controller.show_error(error)
                    continue
                if target.controller.document is not None:
                    target = new_window()
                    target.show()
                target.controller.set_document(document)

    window.presenter.present(dialog, answered)
    return dialog
