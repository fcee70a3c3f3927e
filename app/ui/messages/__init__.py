"""What Samplebook says to a person in the GUI, in one place (this package; ``documents`` holds
what it says about damaged and changed documents, backups, clean copies and temporary exports).

Every sentence about a person's documents and what happens to them is here: errors and refusals,
questions, results, progress and status, and the explanations in dialogs. Labels of controls
(menu entries, buttons, field names, placeholders, undo entries) stay beside the widgets they
label. Sentences about a file's state and about failures come from the document layer
(``DocumentError.message`` / ``next_step``, ``Inspection.message`` / ``next_step``), so the GUI
and the CLI say the same thing; this module puts them in boxes with the right buttons, and tests
assert the exact text.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app import APP_NAME, __version__
from app.document import Counts, DocumentError, Inspection, Recovery, State
from app.document.releases import HEAD_RELEASE
from app.ui.choice_box import Choice, ChoiceBox
from app.ui.times import local_time

SAVED = "Saved"
UNSAVED = "Unsaved changes"
#: A new document nobody has saved or changed yet: it has no file, so it is not "Saved".
NOT_SAVED_YET = "Not saved yet"
READ_ONLY = "Read-only"


def document_counts(counts: Counts, shown: int) -> str:
    """The status bar's counts, and how many samples the list shows when that is fewer."""
    text = contents(counts, " · ")
    if shown != counts.samples:
        text += f"  —  {shown} shown"
    return text


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


def inspection_box(
    parent: QWidget | None,
    inspection: Inspection,
    *,
    readable: bool = False,
) -> ChoiceBox:
    """The message for a file that cannot simply be opened, with the buttons for its next steps.

    ``readable``: a newer document that can still be opened read-only safely. Damaged files and
    files another program is writing have boxes of their own (``document_messages``).
    """
    state = inspection.state
    info = inspection.next_step
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


# -- progress of document work (the progress dialog's label) ---------------------------------------


def creating_document() -> str:
    return "Creating a new document…"


def checking_document(name: str, found: Inspection) -> str:
    """While the full check of a file runs: what the file says it is."""
    what = f" — {found.title}" if found.title else ""
    counts = found.counts
    held = (
        f": {plural(counts.samples, 'sample')}, {plural(counts.measurements, 'measurement')}"
        if counts is not None
        else ""
    )
    return f"Checking “{name}”{what}{held}…"


def checking(name: str) -> str:
    return f"Checking “{name}”…"


def opening(name: str) -> str:
    return f"Opening “{name}”…"


def making_document(name: str) -> str:
    return f"Making “{name}” a Samplebook document…"


def upgrading(name: str, from_release: str | None) -> str:
    return f"Upgrading “{name}” from Samplebook {from_release} to {HEAD_RELEASE}…"


def upgrade_step(name: str, number: int, total: int, release: str | None) -> str:
    in_release = f" (Samplebook {release})" if release else ""
    return f"Upgrading “{name}”: step {number} of {total}{in_release}…"


def saving(name: str) -> str:
    return f"Saving “{name}”…"


def reverting(title: str) -> str:
    return f"Reverting “{title}”…"


def exporting(samples: int) -> str:
    return f"Exporting {plural(samples, 'sample')}…"


def exporting_step(label: str, what: object) -> str:
    """An export's label with the step it is at (``what``: the export layer's word for it)."""
    return f"{label} ({what})"


# -- asking before an upgrade ----------------------------------------------------------------------


def upgrade_question(found: Inspection) -> tuple[str, str]:
    """The question and the explanation shown in the upgrade dialog."""
    saved_by = found.saved_by or found.release or "an older release"
    question = f"“{found.path.name}” was saved by Samplebook {saved_by}. Upgrade it?"
    explanation = (
        f"It will be upgraded to the Samplebook {HEAD_RELEASE} format so Samplebook {__version__} "
        f"can open it. After the upgrade, Samplebook {found.release or saved_by} and other older "
        "releases can no longer open it."
    )
    return question, explanation


def upgrade_holds(counts: Counts) -> str:
    return (
        f"It holds {plural(counts.samples, 'sample')}, "
        f"{plural(counts.measurements, 'measurement')} and {plural(counts.tags, 'tag')}."
    )


def contents(counts: Counts, separator: str = ", ") -> str:
    """``12 samples, 1 measurement, 3 tags`` (Document Properties, the status bar)."""
    words = (("sample", counts.samples), ("measurement", counts.measurements), ("tag", counts.tags))
    return separator.join(plural(number, word) for word, number in words)


def backup_goes_into(folder: Path) -> str:
    return f"The backup goes into {folder}"


# -- after a crash ---------------------------------------------------------------------------------

RECOVERY_HEADING = "Samplebook did not close properly last time."
RECOVERY_QUESTION = "These documents had unsaved changes. Recover the ones you want to keep."
RECOVERY_NOTE = "Discard deletes the checked unsaved work. Later asks again next time."


def recovery_entry(recovery: Recovery) -> str:
    """One line of the recovery list: the title, its file (if any) and when it was changed."""
    where = str(recovery.document) if recovery.document else "never saved"
    when = f", changed {local_time(recovery.modified_at)}" if recovery.modified_at else ""
    return f"{recovery.title} — {where}{when}"


# -- the window ------------------------------------------------------------------------------------

ABOUT = "A notebook of samples, measurements and tags."
WELCOME = "Open a notebook of samples, or start a new one. You can also drop a .db file here."
NO_SAMPLE_SELECTED = "Select a sample to see and edit it here."
NO_SAMPLES_YET = "This document has no samples yet. Edit ▸ New Sample (Ctrl+Shift+N) adds one."
SEVERAL_SELECTED_HINT = "What applies to all of them:"
#: Typing into a field of a read-only document.
READ_ONLY_TYPING = "This document is read-only: use File ▸ Save As to keep a copy you can edit."
#: Paste with the samples list focused: rows are pasted by import (File ▸ Import), not here yet.
NO_ROW_PASTE = "The clipboard holds no text to paste as samples."
CLEARED_TAG_FILTER = "the tag filter"
TAGS_DIALOG_HELP = "Renaming a tag to another tag's name merges them; so does Merge for several."


def samples_selected(count: int) -> str:
    return f"{plural(count, 'sample')} selected"


def cleared(search: str, tags: bool) -> str:
    """What was cleared of the filter: the search (its text), the tag filter, or both."""
    parts = ([f"the search “{search}”"] if search else []) + ([CLEARED_TAG_FILTER] if tags else [])
    return " and ".join(parts)


def shown_after_clearing(what: str, codes: list[str]) -> str:
    """Said in the status bar when a new or changed sample was hidden by the filter."""
    shown = f"“{codes[0]}”" if len(codes) == 1 else plural(len(codes), "sample")
    return f"Cleared {what} to show {shown}."


def window_title(title: str, read_only: bool) -> str:
    """The window title (``[*]`` is where Qt puts the unsaved-changes mark)."""
    return f"{title}{' (read-only)' if read_only else ''}[*] — {APP_NAME}"


def _all_have(count: int) -> str:
    return "The selected sample has" if count == 1 else f"All {count} selected samples have"


def already_tagged(tag: str, count: int) -> str:
    return f"{_all_have(count)} the tag “{tag}” already."


def not_tagged(tag: str) -> str:
    return f"No selected sample has the tag “{tag}”."


def not_tagged_any(count: int) -> str:
    return "The selected sample has no tags." if count == 1 else "No selected sample has tags."


def same_location(count: int) -> str:
    return f"{_all_have(count)} that location already."


def guide_missing(parent: QWidget | None, folder: str) -> ChoiceBox:
    box = ChoiceBox(
        parent,
        QMessageBox.Icon.Warning,
        "The user guide is not installed with this Samplebook.",
        f"It should be in {folder}. Reinstall Samplebook to get it back.",
    )
    box.add_standard(QMessageBox.StandardButton.Ok, Choice.OK, default=True)
    return box


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
PATH_COPIED = "The path was copied to the clipboard."


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
KEEP_EXPORT_OTHERWISE = "Otherwise the temporary document is removed as soon as the program ends."
NO_PROGRAMS = "No programs configured"


def command_line_help(placeholders: dict[str, str]) -> str:
    """How a program's command line is read (rich text: the placeholders in bold)."""
    return (
        "Placeholders: "
        + "; ".join(f"<b>{key}</b> {text}" for key, text in placeholders.items())
        + ". The command line is split like a shell would, but no shell runs it; "
        "a path put in by a placeholder stays one argument."
    )


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
