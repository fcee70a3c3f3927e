"""Errors of the domain layer: input a person can correct.

They join the document layer's error family so the GUI and the CLI handle them like every other
problem a person can act on (the CLI exits with ``exit_code``).
"""

from __future__ import annotations

from collections.abc import Mapping

from app.document import DocumentError


class InvalidInput(DocumentError):
    """Values a person entered that cannot be stored; ``problems`` maps each field to a sentence.

    The GUI shows each sentence beside its field; the message joins them for the CLI.
    """

    exit_code = 2

    def __init__(self, problems: Mapping[str, str], next_step: str = "") -> None:
        self.problems: dict[str, str] = dict(problems)
        super().__init__(" ".join(self.problems.values()) or "The input is not valid.", next_step)


class NotFound(InvalidInput):
    """A sample, measurement or tag that is not (or no longer) in the document.

    A subclass of ``InvalidInput`` because to the person it is the same kind of problem: the CLI got
    an id or name that does not exist, or the GUI acted on a row another edit removed.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__({field: message}, "Reload the list and try again.")
