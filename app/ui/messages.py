"""Every sentence Samplebook shows a person about a document, in one place.

The sentences themselves come from the document layer (``DocumentError.message`` / ``next_step``
and ``Inspection.message`` / ``next_step``); this module puts them in message boxes with the right
buttons, so the GUI and the CLI say the same thing and tests can assert the exact text.
"""

from __future__ import annotations

import enum
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from app import APP_NAME
from app.document import Counts, DocumentError, Inspection, State

SAVED = "Saved"
UNSAVED = "Unsaved changes"
READ_ONLY = "Read-only"


def document_counts(counts: Counts, shown: int) -> str:
    """The status bar's counts, and how many samples the list shows when that is fewer."""
    text = f"{counts.samples} samples · {counts.measurements} measurements · {counts.tags} tags"
    if shown != counts.samples:
        text += f"  —  {shown} shown"
    return text


class Choice(enum.Enum):
    """What a person chose in a message box."""

    CANCEL = "cancel"
    OPEN_READ_ONLY = "open read-only"
    MAKE_NEW = "make new"
    CHOOSE_OTHER = "choose other"
    OPEN_BACKUP = "open backup"
    SAVE = "save"
    DISCARD = "discard"  # unsaved changes, before New, Open, Close or Quit
    REVERT = "revert"
    REPLACE = "replace"
    SHOW_IN_FOLDER = "show in folder"
    OK = "ok"


class ChoiceBox(QMessageBox):
    """A message box whose buttons map to ``Choice`` values (read ``choice`` once finished)."""

    def __init__(
        self, parent: QWidget | None, icon: QMessageBox.Icon, text: str, info: str
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_NAME)
        self.setIcon(icon)
        self.setText(text)
        self.setInformativeText(info)
        self._choices: dict[int, Choice] = {}
        self.buttons_by_choice: dict[Choice, QPushButton] = {}

    def add_choice(
        self,
        label: str,
        choice: Choice,
        role: QMessageBox.ButtonRole = QMessageBox.ButtonRole.AcceptRole,
        *,
        default: bool = False,
    ) -> None:
        button = self.addButton(label, role)
        self._choices[id(button)] = choice
        self.buttons_by_choice[choice] = button
        if default:
            self.setDefaultButton(button)

    def add_standard(
        self, standard: QMessageBox.StandardButton, choice: Choice, *, default: bool = False
    ) -> None:
        button = self.addButton(standard)
        self._choices[id(button)] = choice
        self.buttons_by_choice[choice] = button
        if default:
            self.setDefaultButton(button)

    @property
    def choice(self) -> Choice:
        clicked = self.clickedButton()
        return self._choices.get(id(clicked), Choice.CANCEL) if clicked else Choice.CANCEL

    def choose(self, choice: Choice) -> None:
        """Press the button for ``choice`` (what a person's click does; used by tests)."""
        button = self.buttons_by_choice[choice]
        button.click()

    def choices(self) -> list[Choice]:
        return list(self.buttons_by_choice)


def details_in_log(log_path: str) -> str:
    return f"Details are in the log: {log_path}"


def text_of(error: DocumentError, log_path: str | None = None) -> tuple[str, str]:
    """The two sentences shown for ``error``: what happened, and what to do next.

    ``log_path``: the error was logged (a failed self-check), so the person can report it.
    """
    if log_path is None:
        return error.message, error.next_step
    return error.message, f"{error.next_step} {details_in_log(log_path)}".strip()


def error_box(
    parent: QWidget | None, error: DocumentError, log_path: str | None = None
) -> ChoiceBox:
    message, next_step = text_of(error, log_path)
    box = ChoiceBox(parent, QMessageBox.Icon.Warning, message, next_step)
    box.add_standard(QMessageBox.StandardButton.Ok, Choice.OK, default=True)
    return box


def backup_sentence(backups: list[Path]) -> str:
    """Names the most recent backup (and how many more there are)."""
    if not backups:
        return ""
    sentence = f"The most recent backup is {backups[0]}."
    if len(backups) > 1:
        sentence += (
            f" ({len(backups) - 1} older backup{'s' if len(backups) > 2 else ''} beside it.)"
        )
    return sentence


def inspection_box(
    parent: QWidget | None,
    inspection: Inspection,
    *,
    backups: list[Path] | None = None,
    readable: bool = False,
) -> ChoiceBox:
    """The message for a file that cannot simply be opened, with the buttons for its next steps.

    ``readable``: a newer document that can still be opened read-only safely.
    """
    state = inspection.state
    info = inspection.next_step
    damaged = state in (State.CORRUPT, State.TAMPERED)
    if damaged and backups:
        info = f"{info} {backup_sentence(backups)}".strip()
    if damaged and not backups:
        info = "There is no backup of this document beside it. Choose another file."
    if state is State.NEWER and not readable:
        info = "Update Samplebook to open it."
    icon = QMessageBox.Icon.Information if state is State.EMPTY else QMessageBox.Icon.Warning
    box = ChoiceBox(parent, icon, inspection.message, info)
    if (state is State.LOCKED and inspection.holder is not None) or (
        state is State.NEWER and readable
    ):
        box.add_choice("Open Read-Only", Choice.OPEN_READ_ONLY, default=True)
    elif state is State.EMPTY:
        box.add_choice("Make New Document", Choice.MAKE_NEW, default=True)
    elif damaged and backups:
        box.add_choice("Open Backup", Choice.OPEN_BACKUP, default=True)
    box.add_choice("Choose Another File…", Choice.CHOOSE_OTHER, QMessageBox.ButtonRole.ActionRole)
    box.add_standard(QMessageBox.StandardButton.Cancel, Choice.CANCEL)
    if len(box.choices()) == 2:
        box.setDefaultButton(box.buttons_by_choice[Choice.CHOOSE_OTHER])
    return box


def unsaved_box(parent: QWidget | None, title: str) -> ChoiceBox:
    box = ChoiceBox(
        parent,
        QMessageBox.Icon.Warning,
        f"Do you want to save the changes you made to “{title}”?",
        "Your changes will be lost if you don't save them.",
    )
    box.add_standard(QMessageBox.StandardButton.Save, Choice.SAVE, default=True)
    box.add_standard(QMessageBox.StandardButton.Discard, Choice.DISCARD)
    box.add_standard(QMessageBox.StandardButton.Cancel, Choice.CANCEL)
    return box


def revert_box(parent: QWidget | None, title: str) -> ChoiceBox:
    box = ChoiceBox(
        parent,
        QMessageBox.Icon.Question,
        f"Revert “{title}” to the last saved version?",
        "All changes since it was last saved will be lost.",
    )
    box.add_choice("Revert", Choice.REVERT, QMessageBox.ButtonRole.DestructiveRole)
    box.add_standard(QMessageBox.StandardButton.Cancel, Choice.CANCEL, default=True)
    return box


def upgraded_box(
    parent: QWidget | None,
    name: str,
    from_release: str | None,
    to_release: str,
    backup: Path | None,
) -> ChoiceBox:
    text = f"“{name}” was upgraded from Samplebook {from_release or 'an older release'} to {to_release}."
    info = (
        f"A backup of the original is at {backup}." if backup is not None else "No backup was made."
    )
    box = ChoiceBox(parent, QMessageBox.Icon.Information, text, info)
    if backup is not None:
        box.add_choice("Show in Folder", Choice.SHOW_IN_FOLDER, QMessageBox.ButtonRole.ActionRole)
    box.add_standard(QMessageBox.StandardButton.Ok, Choice.OK, default=True)
    return box


def upgrade_failed_box(
    parent: QWidget | None, name: str, error: BaseException, log_path: str | None
) -> ChoiceBox:
    """An upgrade that failed: the original is unchanged; ``log_path`` when it was logged."""
    unchanged = "The original is unchanged."
    if isinstance(error, DocumentError):
        text = f"“{name}” could not be upgraded. {error.message}"
        next_step = error.next_step
    else:
        text = f"“{name}” could not be upgraded: Samplebook ran into a problem it did not expect."
        next_step = ""
    # Some errors of an upgrade say so themselves (a failed self-check, broken foreign keys).
    info = next_step if next_step.startswith(unchanged) else f"{unchanged} {next_step}".strip()
    if log_path is not None:
        info += f" {details_in_log(log_path)}"
    box = ChoiceBox(parent, QMessageBox.Icon.Critical, text, info)
    box.add_standard(QMessageBox.StandardButton.Ok, Choice.OK, default=True)
    return box


def read_only_banner(reason: str) -> str:
    because = f" because {reason}" if reason else ""
    return f"This document is open read-only{because}. Use Save As to keep a copy you can edit."


def crash_box(parent: QWidget | None, log_path: str) -> ChoiceBox:
    box = ChoiceBox(
        parent,
        QMessageBox.Icon.Critical,
        "Samplebook ran into a problem it did not expect.",
        f"The details were written to {log_path}. Please include that file when you report the "
        "problem. Your unsaved work is kept and offered for recovery if Samplebook has to close.",
    )
    box.add_standard(QMessageBox.StandardButton.Ok, Choice.OK, default=True)
    return box


# -- export ----------------------------------------------------------------------------------------


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def selected_samples(count: int) -> str:
    """ "The selected 3 samples" (the selection as a choice of samples to export or run on)."""
    return f"The selected {count} samples" if count > 1 else "The selected sample"


def export_count(samples: int, measurements: int) -> str:
    """The dialog's live count of what an export will hold."""
    if samples == 0:
        return "No samples match; choose other samples to export."
    return (
        f"{plural(samples, 'sample')} and {plural(measurements, 'measurement')} will be exported."
    )


def exported(samples: int, measurements: int, tags: int, description: str) -> str:
    return (
        f"Exported {plural(samples, 'sample')}, {plural(measurements, 'measurement')} and "
        f"{plural(tags, 'tag')} ({description})."
    )


def exported_where(temporary: bool) -> str:
    if temporary:
        return (
            "It is a temporary document in Samplebook's cache folder: it is removed when Samplebook "
            "quits unless you keep it."
        )
    return "It is a new Samplebook document at:"


KEEP_TEMPORARY = "Keep this document when Samplebook quits"


def export_is_open_document(name: str) -> str:
    return f"“{name}” is open in Samplebook; export to another file."


def replace_box(parent: QWidget | None, name: str) -> ChoiceBox:
    box = ChoiceBox(
        parent,
        QMessageBox.Icon.Warning,
        f"“{name}” already exists. Do you want to replace it?",
        "The export replaces the whole file.",
    )
    box.add_choice("Replace", Choice.REPLACE, QMessageBox.ButtonRole.DestructiveRole)
    box.add_standard(QMessageBox.StandardButton.Cancel, Choice.CANCEL, default=True)
    return box


# -- external programs -----------------------------------------------------------------------------

KEEP_EXPORT = "Keep the exported document"
NO_PROGRAMS = "No programs configured"


def program_exporting(name: str, description: str) -> str:
    return f"Exporting {description} for “{name}”…"


def program_running(name: str, samples: int) -> str:
    return f"Running “{name}” on {plural(samples, 'sample')}…"


def program_finished(name: str, exit_code: int) -> str:
    return f"“{name}” finished with exit status {exit_code}."


def program_crashed(name: str) -> str:
    return f"“{name}” stopped before it finished (it crashed or was stopped)."


def program_not_started(name: str, program: str, detail: str) -> tuple[str, str]:
    return (
        f"“{name}” could not be started: “{program}” was not found or cannot be run ({detail}).",
        "Check its command line in Tools ▸ Preferences.",
    )


def program_not_configured(name: str, error: DocumentError) -> tuple[str, str]:
    return f"“{name}” cannot be run. {error.message}", error.next_step


def export_removed(path: Path) -> str:
    return f"The exported document was removed ({path.name})."


def export_kept(path: Path) -> str:
    return f"The exported document was kept: {path}"
