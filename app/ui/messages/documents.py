"""What the GUI says about documents it cannot simply open or keep: damaged, changed outside
Samplebook, backups, clean copies, temporary exports.

The file's own state is told in the document layer's words (``Inspection.message``); these
sentences say what the buttons beside them will do, in the person's terms.
"""

from __future__ import annotations

import datetime
import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app import __version__
from app.document import Inspection, OpenDocument, RepairReport, release_of
from app.ui.choice_box import Choice, ChoiceBox

#: The command (a button, a menu entry) that makes a clean copy, named the same everywhere.
SAVE_CLEAN_COPY = "Save a Clean Copy…"

#: At most this many left-out items are named in a banner (the report names them all).
_NAMED_IN_BANNER = 3


def made_at(path: Path) -> str:
    """When a file was last written, in local time ("2026-11-21 14:05")."""
    try:
        moment = datetime.datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return "an unknown time"
    return f"{moment:%Y-%m-%d %H:%M}"


def damaged_box(parent: QWidget | None, inspection: Inspection, backups: list[Path]) -> ChoiceBox:
    """A damaged file: restore its most recent backup, or save a clean copy of what is left."""
    restore = (
        f"Restore the most recent backup (made {made_at(backups[0])}); the damaged file is kept "
        "beside it"
        if backups
        else ""
    )
    clean = "save a clean copy of what can still be read" if inspection.repairable else ""
    if restore and clean:
        info = f"{restore}, or {clean}."
    elif restore:
        info = f"{restore}."
    elif clean:
        info = f"{clean[0].upper()}{clean[1:]}. There is no backup of this document beside it."
    else:
        info = "There is no backup of this document beside it. Choose another file."
    box = ChoiceBox(parent, QMessageBox.Icon.Warning, inspection.message, info)
    if backups:
        box.add_choice("Restore Backup", Choice.RESTORE_BACKUP, default=True)
    if inspection.repairable:
        box.add_choice(
            SAVE_CLEAN_COPY,
            Choice.SAVE_CLEAN_COPY,
            QMessageBox.ButtonRole.ActionRole,
            default=not backups,
        )
    box.add_choice("Choose Another File…", Choice.CHOOSE_OTHER, QMessageBox.ButtonRole.ActionRole)
    box.add_standard(QMessageBox.StandardButton.Cancel, Choice.CANCEL)
    if not backups and not inspection.repairable:
        box.setDefaultButton(box.buttons_by_choice[Choice.CHOOSE_OTHER])
    return box


def busy_elsewhere_box(parent: QWidget | None, inspection: Inspection) -> ChoiceBox:
    """Another program is writing the file (or was interrupted): wait, then try again."""
    box = ChoiceBox(
        parent,
        QMessageBox.Icon.Warning,
        inspection.message,
        "Close the other program (or let it finish), then try again.",
    )
    box.add_choice("Try Again", Choice.RETRY, default=True)
    box.add_choice("Choose Another File…", Choice.CHOOSE_OTHER, QMessageBox.ButtonRole.ActionRole)
    box.add_standard(QMessageBox.StandardButton.Cancel, Choice.CANCEL)
    return box


def restoring(name: str) -> str:
    return f"Restoring the backup of “{name}”…"


def restored_box(parent: QWidget | None, name: str, backup: Path, kept: Path | None) -> ChoiceBox:
    kept_text = f" The file that was there is kept as “{kept.name}”." if kept else ""
    box = ChoiceBox(
        parent,
        QMessageBox.Icon.Information,
        f"“{name}” was restored from its backup of {made_at(backup)}.",
        f"Changes made after that backup are not in it.{kept_text}",
    )
    box.add_standard(QMessageBox.StandardButton.Ok, Choice.OK, default=True)
    return box


def saving_clean_copy(name: str) -> str:
    return f"Saving a clean copy of “{name}”…"


def clean_copy_name(path: Path) -> str:
    return f"{path.stem}-clean{path.suffix or '.db'}"


def left_out_lines(report: RepairReport) -> list[str]:
    return [f"• {what}" for what in report.left_out]


def clean_copy_box(
    parent: QWidget | None, report: RepairReport, source: Path, *, offer_open: bool
) -> ChoiceBox:
    """What a clean copy kept and left out; ``offer_open``: it is not shown in a window yet."""
    left_out = left_out_lines(report)
    info = f"It holds {report.kept_in_words()}."
    if left_out:
        info += " Left out:\n" + "\n".join(left_out)
    else:
        info += " Nothing was left out."
    box = ChoiceBox(
        parent,
        QMessageBox.Icon.Information,
        f"A clean copy of “{source.name}” was saved as “{report.destination.name}”.",
        info,
    )
    if offer_open:
        box.add_choice("Open Clean Copy", Choice.OPEN_CLEAN_COPY, default=True)
        box.add_standard(QMessageBox.StandardButton.Close, Choice.CANCEL)
    else:
        box.add_standard(QMessageBox.StandardButton.Ok, Choice.OK, default=True)
    return box


def banner_text(document: OpenDocument, *, temporary_kept: bool = False) -> str | None:
    """Why the window's banner shows, for this document; ``None`` when it has nothing to say."""
    if document.clean_view is not None and document.path is not None:
        left_out = [
            what.removesuffix(" (not made by Samplebook)") for what in document.clean_view.left_out
        ]
        named = ", ".join(left_out[:_NAMED_IN_BANNER])
        more = len(left_out) - _NAMED_IN_BANNER
        what = f", which leaves out {named}{f' and {more} more' if more > 0 else ''}"
        return (
            f"“{document.path.name}” was changed outside Samplebook, so it is shown read-only as "
            f"the clean copy Samplebook would save{what if left_out else ''}. Save a clean copy "
            "to edit it."
        )
    if document.is_temporary_export:
        kept = (
            "You chose to keep it."
            if temporary_kept
            else "Samplebook removes it when its window closes unless you keep it."
        )
        return (
            "This is a temporary export in Samplebook's cache folder. "
            f"{kept} Use Save As to put a copy where you choose."
        )
    if document.read_only:
        because = f" because {document.read_only_reason}" if document.read_only_reason else ""
        return f"This document is open read-only{because}. Use Save As to keep a copy you can edit."
    return None


def document_format(connection: sqlite3.Connection | None) -> str:
    """The status bar's format: the release whose format the document is in, as far as known."""
    if connection is None:
        return ""
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        row = None
    release = release_of(str(row[0])) if row else None
    if release is None:
        return f"A newer Samplebook's format (unknown to {__version__})"
    return f"Samplebook {release} format"


def title_note(document: OpenDocument) -> str:
    """What the title bar adds after the document's title (a temporary export says so)."""
    return " (temporary export)" if document.is_temporary_export else ""


def changed_behind_box(parent: QWidget | None, name: str) -> ChoiceBox:
    """Saving over a file another program changed since this window read it."""
    box = ChoiceBox(
        parent,
        QMessageBox.Icon.Warning,
        f"“{name}” was changed by another program since you opened it.",
        "Saving replaces those changes with this window's version. Save As keeps both.",
    )
    box.add_choice("Save Anyway", Choice.SAVE, QMessageBox.ButtonRole.DestructiveRole)
    box.add_choice("Save As…", Choice.SAVE_AS, default=True)
    box.add_standard(QMessageBox.StandardButton.Cancel, Choice.CANCEL)
    return box


def changed_temporary_exports_box(parent: QWidget | None, paths: list[Path]) -> ChoiceBox:
    """Temporary exports that changed after they were made (a program wrote results into them)."""
    names = ", ".join(f"“{path.name}”" for path in paths)
    one = len(paths) == 1
    box = ChoiceBox(
        parent,
        QMessageBox.Icon.Question,
        f"The temporary export{'' if one else 's'} {names} "
        f"{'was' if one else 'were'} changed after {'it was' if one else 'they were'} made.",
        f"Keep {'it' if one else 'them'} in {paths[0].parent}, or delete "
        f"{'it' if one else 'them'}? Whatever changed would be lost.",
    )
    box.add_choice("Keep", Choice.KEEP, default=True)
    box.add_choice("Delete", Choice.DELETE, QMessageBox.ButtonRole.DestructiveRole)
    return box
