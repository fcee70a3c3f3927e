"""Help ▸ User Guide: Samplebook's own guide, shipped with the app and read offline.

The guide is ``resources/guide/index.html`` (found beside the source checkout or the frozen
executable, ``app.ui.resources``), shown in a ``QTextBrowser`` in a window of its own that stays
open beside the documents. Links inside the guide stay in it; other links open in a browser.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from app.ui.resources import resource, resources_dir
from app.ui.window_geometry import fit_to_screen

GUIDE = ("guide", "index.html")


def guide_path() -> Path | None:
    """The guide's first page, or None when this installation lacks it."""
    return resource(*GUIDE)


def expected_guide_folder() -> str:
    folder = resources_dir()
    return str(folder / GUIDE[0]) if folder is not None else "the resources folder"


class GuideWindow(QWidget):
    def __init__(self, page: Path) -> None:
        super().__init__()
        self.setObjectName("guideWindow")
        # Qt adds " — Samplebook" (the application's display name) to every window title.
        self.setWindowTitle("User Guide")
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideBrowser")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._anchor)
        self.browser.setSearchPaths([str(page.parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(page)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        close = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self)
        close.activated.connect(self.close)
        fit_to_screen(self, QSize(760, 720))

    def _anchor(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)  # not one of the guide's pages: the desktop opens it
        else:
            self.browser.setSource(url)


_window: GuideWindow | None = None


def show_guide() -> GuideWindow | None:
    """Show the guide (one window for the whole application); None when it is not installed."""
    global _window  # noqa: PLW0603 - one guide window
    page = guide_path()
    if page is None:
        return None
    if _window is None:
        _window = GuideWindow(page)
        _window.destroyed.connect(_forget)
    _window.show()
    _window.raise_()
    _window.activateWindow()
    return _window


def _forget() -> None:
    global _window  # noqa: PLW0603
    _window = None
