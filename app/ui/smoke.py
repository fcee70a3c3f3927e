"""``samplebook --smoke OUT.png [FILE] [--smoke-plot PLOT.png]``: prove the GUI starts, opens a
document and renders.

Used by the frozen-build smoke test: open FILE (an outdated document is upgraded without asking,
with a backup), wait until rows are shown, open the user guide (it must be found in this build),
save a picture of the window, exit 0; anything that goes wrong is printed to stderr and the exit
code is 1. With ``--smoke-plot``, the plot panel is opened too (loading pyqtgraph and numpy as a
person's first View ▸ Plot does), its first plot is drawn and saved to PLOT.png.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from app.document import DocumentError
from app.ui.dialogs.guide_window import show_guide
from app.ui.main_window import MainWindow

TIMEOUT_MS = 120_000


def _wait(done: Callable[[], bool], timeout_ms: int = TIMEOUT_MS) -> bool:
    """Run the event loop until ``done()`` (polled every 50 ms) or the timeout; returns done().

    A ``QEventLoop`` rather than repeated ``processEvents(flags, ms)`` calls: with a worker thread
    importing modules at the same time, that PySide6 binding crashed the interpreter.
    """
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    limit = QTimer()
    limit.setSingleShot(True)
    limit.timeout.connect(loop.quit)
    if not done():
        poll.start()
        limit.start(timeout_ms)
        loop.exec()
        poll.stop()
        limit.stop()
    return done()


def _plot(window: MainWindow, out: Path) -> int:
    dock = window.data.plot
    window.data.plot_action.trigger()
    drawn = _wait(
        lambda: dock.canvas is not None and not dock.loading and dock.prepared is not None
    )
    if not drawn or dock.prepared is None or not dock.prepared.series:
        print(f"samplebook --smoke: no plot was drawn ({dock.note.text()})", file=sys.stderr)
        return 1
    _wait(lambda: False, 300)
    if not dock.save(out):
        print(f"samplebook --smoke: could not write {out}", file=sys.stderr)
        return 1
    print(f"plot: {dock.prepared.points} points, {dock.prepared.y_label}", file=sys.stderr)
    return 0


def smoke(
    application: QApplication, out: Path, file: Path | None, *, plot: Path | None = None
) -> int:
    try:
        window = MainWindow()
        window.show()
        if file is not None:
            flow = window.controller.open_quietly(Path(file))
            if not _wait(lambda: not window.controller.opening):
                print(f"samplebook --smoke: opening {file} did not finish", file=sys.stderr)
                return 1
            if flow.error is not None:
                error = flow.error
                text = str(error) if isinstance(error, DocumentError) else repr(error)
                print(f"samplebook --smoke: {text}", file=sys.stderr)
                return 1
            document = window.controller.document
            if document is None:
                print(f"samplebook --smoke: {file} was not opened", file=sys.stderr)
                return 1
            model = window.samples.model
            if model.total and not _wait(lambda: model.rowCount() > 0):
                print("samplebook --smoke: no rows were shown", file=sys.stderr)
                return 1
        guide = show_guide()  # Help ▸ User Guide must find the guide shipped with this build
        if guide is None or "Keyboard shortcuts" not in guide.browser.toPlainText():
            print("samplebook --smoke: the user guide was not found or is empty", file=sys.stderr)
            return 1
        guide.close()
        _wait(lambda: False, 300)  # let layouts settle before rendering
        if not window.grab().save(str(out)):
            print(f"samplebook --smoke: could not write {out}", file=sys.stderr)
            return 1
        if plot is not None and _plot(window, plot) != 0:
            return 1
        window.controller.discard_and_close()
        window.close()
        return 0
    except Exception as error:
        traceback.print_exception(error, file=sys.stderr)
        return 1
