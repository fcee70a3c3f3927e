"""The temporary exports a window made, and whether the person chose to keep each one.

The ones not kept are removed when the window closes (Samplebook quits by closing its windows) —
but never one that a window (of this or another Samplebook) has open, and never one that changed
after it was made (a program wrote its results into it) without asking: ``changed()`` names those
for the window to ask about. ``export_subset`` itself removes week-old leftovers of sessions that
never got to clean up, and keeps what a person kept (``mark_kept``) everywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from app.document import (
    FileIdentity,
    changed_since,
    identity_of,
    is_kept,
    mark_kept,
    remove_temporary_export,
)

log = logging.getLogger(__name__)


class TemporaryExports:
    def __init__(self) -> None:
        self._kept: dict[Path, bool] = {}
        self._made: dict[Path, FileIdentity | None] = {}

    def add(self, path: Path, *, keep: bool = False, made: FileIdentity | None = None) -> None:
        """Register an export this window made (``made``: its identity then, if not now)."""
        path = Path(path)
        self._kept[path] = keep
        self._made[path] = made if made is not None else identity_of(path)
        mark_kept(path, keep)

    def made(self, path: Path) -> FileIdentity | None:
        return self._made.get(Path(path))

    def keep(self, path: Path, keep: bool = True) -> None:
        if Path(path) in self._kept:
            self._kept[Path(path)] = keep
            mark_kept(path, keep)  # so the week-old clean-up spares it too

    def is_kept(self, path: Path) -> bool:
        # Kept from another window (its banner's Keep) counts too: the marker says it.
        return self._kept.get(Path(path), False) or is_kept(path)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, Path) and path in self._kept

    def paths(self) -> list[Path]:
        return list(self._kept)

    def forget(self, path: Path) -> None:
        self._kept.pop(Path(path), None)
        self._made.pop(Path(path), None)

    def unkept(self) -> list[Path]:
        return [path for path in self._kept if not self.is_kept(path)]

    def changed(self, spare: Iterable[Path] = ()) -> list[Path]:
        """Unkept exports that were written after they were made (ask before removing them)."""
        spared = {Path(path) for path in spare}
        return [
            path
            for path in self.unkept()
            if path not in spared and changed_since(path, self._made.get(path))
        ]

    def remove_unkept(self, spare: Iterable[Path] = (), *, changed_too: bool = False) -> list[Path]:
        """Delete the exports nobody kept (except ``spare``, and changed ones unless
        ``changed_too``); returns what was deleted."""
        spared = {Path(path) for path in spare}
        if not changed_too:
            spared |= set(self.changed())
        removed: list[Path] = []
        for path in self.unkept():
            if path in spared:
                continue
            try:
                if not remove_temporary_export(path):
                    continue  # another Samplebook has it open
            except OSError:
                log.exception("could not remove the temporary export %s", path)
                continue
            self.forget(path)
            removed.append(path)
        return removed
