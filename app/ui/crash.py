"""How an error reaches a person: the one place that decides it.

Every flow's error handler and the excepthook call ``report``; nothing else decides.

* A ``DocumentError`` is something the person can act on: its sentence and next step are shown.
  It is not a bug, so it is not logged as one.
* A ``SelfCheckFailed`` (Samplebook's own check of what it just made failed) is shown the same
  way, and it is also logged with its traceback: the fault is ours, and the sentence names the log.
* Anything else is a bug: logged with its traceback, and the crash box names the log file (one
  crash box at a time; later bugs are only logged while it is showing).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication, QWidget

from app.document import DocumentError, SelfCheckFailed
from app.logs import log_bug
from app.ui import messages
from app.ui.choice_box import ChoiceBox
from app.ui.presenter import Presenter

#: Builds the box for an error in a flow's own words; ``log_path`` is set when it was logged.
BoxFor = Callable[[BaseException, str | None], ChoiceBox]
#: Shows a person's error somewhere other than a box (what happened, what to do next).
Inline = Callable[[str, str], None]

_crash_box_showing = False


def is_bug(error: BaseException) -> bool:
    """True for errors that are Samplebook's to fix (and so are logged), never the person's."""
    return not isinstance(error, DocumentError) or isinstance(error, SelfCheckFailed)


def log_if_ours(error: BaseException) -> str | None:
    """Log a bug or failed self-check with its traceback; returns the log file (None: not ours)."""
    return log_bug(error) if is_bug(error) else None


def report(
    error: BaseException,
    *,
    presenter: Presenter | None = None,
    then: Callable[[], None] | None = None,
    box: BoxFor | None = None,
    inline: Inline | None = None,
) -> None:
    """Tell the person about ``error`` by the rules above; ``then`` runs once they have seen it.

    ``presenter``: the window's (its dialogs are window-modal and tests find them there); without
    one the box opens on the active window. ``box`` words the message for one flow (an upgrade
    says the original is unchanged); ``inline`` shows a person's error in place (the program
    output panel) instead of a box. A bug always gets a box.
    """
    log_path = log_if_ours(error)
    if isinstance(error, DocumentError) and inline is not None:
        message, next_step = messages.text_of(error, log_path)
        inline(message, next_step)
        _then(then)
        return
    if box is not None:
        _show(box(error, log_path), presenter, then)
    elif isinstance(error, DocumentError):
        _show(messages.error_box(_parent(presenter), error, log_path), presenter, then)
    elif log_path is not None:
        _show_crash_box(log_path, presenter, then)


def _show_crash_box(
    log_path: str, presenter: Presenter | None, then: Callable[[], None] | None
) -> None:
    global _crash_box_showing  # noqa: PLW0603 - one crash box at a time
    if _crash_box_showing or QApplication.instance() is None:
        _then(then)
        return
    _crash_box_showing = True

    def closed() -> None:
        global _crash_box_showing  # noqa: PLW0603
        _crash_box_showing = False
        _then(then)

    _show(messages.crash_box(_parent(presenter), log_path), presenter, closed)


def _show(box: ChoiceBox, presenter: Presenter | None, then: Callable[[], None] | None) -> None:
    def finished(_result: int) -> None:
        _then(then)

    if presenter is not None:
        presenter.present(box, finished)
    else:
        box.finished.connect(finished)
        box.open()


def _then(then: Callable[[], None] | None) -> None:
    if then is not None:
        then()


def _parent(presenter: Presenter | None) -> QWidget | None:
    owner = presenter.parent() if presenter is not None else None
    return owner if isinstance(owner, QWidget) else QApplication.activeWindow()


def excepthook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """Errors nobody caught (a slot that raised) take the same route."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    if error.__traceback__ is None and trace is not None:
        error = error.with_traceback(trace)
    report(error)


def install() -> None:
    sys.excepthook = excepthook
