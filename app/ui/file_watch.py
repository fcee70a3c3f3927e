"""Noticing that the open document's file was written or replaced behind the window's back.

Another Samplebook saves by replacing the file (a new inode), another program writes it in place;
``QFileSystemWatcher`` sees either through the file and its folder. Events come in bursts (a save is
a write, an fsync, a rename), so they are gathered for a moment and then reported once; whether the
file really changed is the document layer's call (``OpenDocument.changed_on_disk``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

#: How long a burst of file-system events is gathered before it is reported.
SETTLE_MS = 300


class FileWatch(QObject):
    #: The watched file (or its folder) changed; fired once per burst of events.
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._event)
        self._watcher.directoryChanged.connect(self._event)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._settled)
        self._path: Path | None = None

    def watch(self, path: Path | None) -> None:
        """Watch ``path`` (links followed) and its folder; ``None`` stops watching."""
        for watched in self._watcher.files() + self._watcher.directories():
            self._watcher.removePath(watched)
        self._settle.stop()
        self._path = path.resolve() if path is not None else None
        self._add()

    def _add(self) -> None:
        if self._path is None:
            return
        for candidate in (self._path, self._path.parent):
            if candidate.exists() and str(candidate) not in (
                self._watcher.files() + self._watcher.directories()
            ):
                self._watcher.addPath(str(candidate))

    def _event(self, _path: str) -> None:
        self._settle.start()

    def _settled(self) -> None:
        # A replaced file is a new file: the watch on the old one is gone, so watch again.
        self._add()
        self.changed.emit()
