"""The temporary exports a window made, and whether the person chose to keep each one.

The ones not kept are removed when the window closes (Samplebook quits by closing its windows).
``export_subset`` itself removes week-old leftovers of sessions that never got to clean up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from app.document import mark_kept
from app.document.files import remove_database_file

log = logging.getLogger(__name__)


class TemporaryExports:
    def __init__(self) -> None:
        self._kept: dict[Path, bool] = {}

    def add(self, path: Path, *, keep: bool = False) -> None:
        self._kept[Path(path)] = keep
        mark_kept(path, keep)

    def keep(self, path: Path, keep: bool = True) -> None:
        if Path(path) in self._kept:
            self._kept[Path(path)] = keep
            mark_kept(path, keep)  # so the week-old clean-up spares it too

    def is_kept(self, path: Path) -> bool:
        return self._kept.get(Path(path), False)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, Path) and path in self._kept

    def paths(self) -> list[Path]:
        return list(self._kept)

    def forget(self, path: Path) -> None:
        self._kept.pop(Path(path), None)

    def unkept(self) -> list[Path]:
        return [path for path, kept in self._kept.items() if not kept]

    def remove_unkept(self, spare: Iterable[Path] = ()) -> list[Path]:
        """Delete the exports nobody kept (except ``spare``); returns what was deleted."""
        spared = {Path(path) for path in spare}
        removed: list[Path] = []
        for path in self.unkept():
            if path in spared:
                continue
            try:
                remove_database_file(path)
            except OSError:
                log.exception("could not remove the temporary export %s", path)
                continue
            self.forget(path)
            removed.append(path)
        return removed
