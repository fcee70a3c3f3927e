"""Work off the GUI thread: a callable run on the global thread pool, results back as signals.

The callable gets a ``Reporter`` to send progress; its result (or the exception it raised) arrives
in the GUI thread through a relay ``QObject`` that lives there, so callbacks never run in the worker.

Both the task and its relay must also *die* there, and not too early:

* the worker's runnable holds a reference to the relay until the thread pool deletes the
  runnable, in the worker thread, after ``run()`` returned — a QObject destroyed in another
  thread than its own crashes the interpreter now and then (seen in the test suite);
* a task freed inside its own slot (its last reference dropped as the slot returns) is destroyed
  while Qt is still delivering the signal to it — another crash.

So a task belongs to the application object (Qt ownership: no Python reference count frees it),
its relay is its child, and once the outcome is delivered the task is deleted with
``deleteLater``: on the GUI thread, after the slot returned, and never by a nested event loop a
callback opens (a dialog's ``exec``), since Qt runs deferred deletes only at the loop level that
asked for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot


class _Signals(QObject):
    progress = Signal(int, int)
    step = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)


class Reporter:
    """Handed to the work function: thread-safe ways to report progress."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals

    def progress(self, done: int, total: int) -> None:
        self._signals.progress.emit(int(done), int(total))

    def step(self, value: object) -> None:
        self._signals.step.emit(value)


class Task(QObject):
    """One piece of background work and the GUI-thread callbacks for its outcome."""

    def __init__(
        self,
        work: Callable[[Reporter], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_step: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(QCoreApplication.instance())
        self._work = work
        self._on_done = on_done
        self._on_error = on_error
        self._on_progress = on_progress
        self._on_step = on_step
        self.signals = _Signals(self)
        self.signals.succeeded.connect(self._succeeded)
        self.signals.failed.connect(self._failed)
        self.signals.progress.connect(self._progress)
        self.signals.step.connect(self._step)

    @Slot(object)
    def _succeeded(self, result: object) -> None:
        self._delivered()
        if self._on_done is not None:
            self._on_done(result)

    @Slot(object)
    def _failed(self, error: object) -> None:
        self._delivered()
        assert isinstance(error, BaseException)
        if self._on_error is not None:
            self._on_error(error)
        else:  # pragma: no cover - every caller handles errors
            raise error

    def _delivered(self) -> None:
        """The outcome arrived: nothing more comes through the relay; both go, on this thread."""
        _active.discard(self)
        self.deleteLater()

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        if self._on_progress is not None:
            self._on_progress(done, total)

    @Slot(object)
    def _step(self, value: object) -> None:
        if self._on_step is not None:
            self._on_step(value)

    def start(self) -> Task:
        _active.add(self)
        QThreadPool.globalInstance().start(_Runnable(self._work, self.signals))
        return self


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Reporter], Any], signals: _Signals) -> None:
        super().__init__()
        self._work = work
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._work(Reporter(self._signals))
        except BaseException as error:
            self._signals.failed.emit(error)
            return
        self._signals.succeeded.emit(result)


#: Tasks still running, kept alive until their outcome has been delivered.
_active: set[Task] = set()


def run_in_background(
    work: Callable[[Reporter], Any],
    *,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    on_step: Callable[[Any], None] | None = None,
) -> Task:
    """Run ``work(reporter)`` on a worker thread; callbacks run in the GUI thread."""
    return Task(
        work, on_done=on_done, on_error=on_error, on_progress=on_progress, on_step=on_step
    ).start()


def busy() -> bool:
    """True while any background task has not delivered its outcome (tests wait on this)."""
    return bool(_active)
