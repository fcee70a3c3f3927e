"""What the GUI says while it saves a copy for an older Samplebook.

What a copy loses comes from the document layer (``Loss.text``, the sentences the CLI prints
too); these say what the dialogs are for and what happened.
"""

from __future__ import annotations

from app.document import DocumentTooNew

#: The File menu's entry (and the dialog's title, without the mnemonic and the dots).
SAVE_COPY_FOR_OLDER = "Save a Copy for an Ol&der Samplebook…"
TITLE = "Save a Copy for an Older Samplebook"
UNSAVED_INCLUDED = "Your unsaved changes are included in the copy."
NOTHING_LEFT_OUT = "Nothing was left out."


def introduction(head_release: str, name: str) -> str:
    return (
        f"Older Samplebook releases cannot open documents saved by Samplebook {head_release}. "
        f"A copy for one of them holds what that release can hold; “{name}” itself stays as "
        "it is."
    )


def losses_heading(release: str, lost: bool) -> str:
    if not lost:
        return f"Samplebook {release} holds everything in this document."
    return f"What Samplebook {release} cannot hold of this document:"


def loss_line(text: str) -> str:
    """One loss (the document layer's words) as a line of a list: capitalised, full stop."""
    return f"•  {text[:1].upper()}{text[1:]}."


def file_dialog_title(release: str) -> str:
    return f"Save a Copy for Samplebook {release}"


def suggested_name(stem: str, release: str) -> str:
    return f"{stem} (Samplebook {release}).db"


def saving(release: str, step: object = None) -> str:
    if step is None:
        return f"Saving a copy for Samplebook {release}…"
    return f"Saving a copy for Samplebook {release}: {step}…"


def newer_document() -> DocumentTooNew:
    """A document a newer Samplebook saved, shown read-only: its format is unknown here."""
    return DocumentTooNew(
        "This document was saved by a newer Samplebook, so this one cannot make copies of it "
        "for older releases.",
        "Make the copy with the Samplebook that saved it.",
    )


def saved(release: str) -> str:
    return f"Saved a copy for Samplebook {release}."


def opens_there(release: str, name: str | None) -> str:
    unchanged = f"“{name}” is unchanged" if name else "The document itself is unchanged"
    return (
        f"Samplebook {release} opens it as one of its own documents. {unchanged} and stays "
        "open here."
    )


def left_out_heading(release: str) -> str:
    return f"Left out of the copy, as Samplebook {release} cannot hold it:"
