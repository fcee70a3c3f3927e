"""The document layer's one error family.

Each error carries the sentence a person reads and the next step they can take. The GUI shows both,
the CLI prints them and exits with ``exit_code``. Anything that is not a ``DocumentError`` is a bug:
the GUI's crash dialog and the CLI's exit code 1 (with the traceback in the log file) handle those.
``SelfCheckFailed`` is both: a person reads its sentence, and it is logged like a bug.
"""

from __future__ import annotations

from pathlib import Path


class DocumentError(Exception):
    """Something about a user's file that a person can understand and act on."""

    #: The CLI's exit code for this kind of problem (see the README's CLI contract).
    exit_code = 1

    def __init__(self, message: str, next_step: str = "", *, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.next_step = next_step
        self.path = path

    def __str__(self) -> str:
        return f"{self.message} {self.next_step}".strip()


class NotADocument(DocumentError):
    """missing, unreadable, empty, not_sqlite, foreign: there is no Samplebook document here."""

    exit_code = 3


class DocumentDamaged(DocumentError):
    """corrupt or tampered: the file is ours (or claims to be) but cannot be trusted."""

    exit_code = 4


class DocumentTooNew(DocumentError):
    """Written by a newer Samplebook than this one."""

    exit_code = 5


class DocumentInUse(DocumentError):
    """Open in another Samplebook, or being written by another program."""

    exit_code = 6

    def __init__(
        self,
        message: str,
        next_step: str = "",
        *,
        path: Path | None = None,
        holder: str | None = None,
    ) -> None:
        super().__init__(message, next_step, path=path)
        self.holder = holder


class CannotWrite(DocumentError):
    """A write failed (read-only place, disk full, I/O error); the original is unchanged."""

    exit_code = 7


class UpgradeNeeded(DocumentError):
    """The document must be upgraded before it can be edited."""

    exit_code = 8


class DestinationExists(DocumentError):
    """Refusing to overwrite a file the user did not ask to replace."""

    exit_code = 7


class InspectionCancelled(DocumentError):
    """The person cancelled the check of a file; nothing was read into Samplebook, nothing written."""

    exit_code = 130

    def __init__(self, path: Path | None = None) -> None:
        super().__init__("The check was cancelled; nothing was opened.", path=path)


class UpgradeCancelled(DocumentError):
    """The person cancelled an upgrade; it worked on a copy, which is gone: nothing changed."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__("The upgrade was cancelled; the document is unchanged.")


class SelfCheckFailed(DocumentError):
    """Samplebook's own check of something it has just made failed; the original is unchanged.

    Not the person's doing, so it is ours to fix: wherever it is shown it is also logged with its
    traceback (the GUI's error route, the CLI's exit code 1), and the sentence names the log file.
    Still a ``DocumentError``, so every caller that keeps a person's file safe on those keeps
    doing so, and the person learns that nothing was changed.
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        next_step: str = "The original is unchanged. Please report this problem with the log file.",
        *,
        path: Path | None = None,
    ) -> None:
        super().__init__(message, next_step, path=path)


class BrokenInstallation(RuntimeError):
    """The shipped schema history is missing or not what this build was made with.

    A packaging bug, not a problem with the user's file: nothing may touch documents then (a build
    that lost ``versions/*.py`` would otherwise "upgrade" documents by doing nothing).
    """
