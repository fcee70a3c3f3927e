"""A new window fits the screen it opens on (a 1024 by 700 screen gets no 1180 by 720 window)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: What Samplebook would like when the screen has room.
PREFERRED = QSize(1180, 720)
#: Room for the window manager's frame and title bar, which Qt learns only after showing.
FRAME = QSize(16, 48)


def fit_to_screen(window: QWidget, preferred: QSize = PREFERRED) -> QSize:
    """Resize ``window`` to ``preferred`` (more on a large screen, less on a small one: never
    more than the screen's free area), centred on the screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(preferred)
        return preferred
    available = screen.availableGeometry()
    room = QSize(available.width() - FRAME.width(), available.height() - FRAME.height())
    # A large screen gets a window in proportion (three quarters of it), a small one all of it.
    generous = QSize(available.width() * 3 // 4, available.height() * 3 // 4)
    size = preferred.expandedTo(generous).boundedTo(room)
    size = size.expandedTo(window.minimumSizeHint().boundedTo(room))
    window.resize(size)
    centre = available.center() - QRect(QPoint(0, 0), size).center()
    window.move(QPoint(max(available.left(), centre.x()), max(available.top(), centre.y())))
    return size


def split_widths(width: int) -> list[int]:
    """The samples list's and the sample panel's widths in a window ``width`` wide.

    The panel reads well from about 400 px (its measurement grid shows quantity, value, unit and
    time side by side there without scrolling sideways), so a small screen gives the list (whose
    columns need the room) everything beyond that; a large one gives the panel more, up to 640.
    """
    panel = max(400, min(int(width * 0.38), 640))
    return [max(width - panel, 300), panel]
