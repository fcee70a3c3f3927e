"""External programs a person runs on a temporary export: their configuration and command lines.

A program is a name, a command line and an optional working folder. The command line is split like
a POSIX shell would split it (``shlex``), but no shell ever runs it: the first word is the program,
the rest are its arguments. Placeholders are replaced inside each argument *after* splitting, so a
path with spaces stays one argument and needs no quoting:

``{db}``     the temporary export's path
``{title}``  the title of the document it was exported from

No Qt here: the GUI stores the configuration (QSettings) and starts the process (QProcess).
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import InvalidInput

PLACEHOLDERS = {
    "{db}": "the temporary export's path",
    "{title}": "the title of the exported document",
}

#: The one-liner of the example that works out of the box (the app's own interpreter).
COUNT_SAMPLES_SCRIPT = (
    "import sqlite3,sys; print(sqlite3.connect(sys.argv[1])"
    ".execute('select count(*) from sample').fetchone()[0], 'samples')"
)


@dataclass(frozen=True)
class ExternalProgram:
    name: str
    command: str
    working_folder: str = ""


@dataclass(frozen=True)
class Invocation:
    """What to start: the program, its arguments and the folder it runs in (None: inherit)."""

    program: str
    arguments: tuple[str, ...]
    working_folder: Path | None


def split_command(command: str) -> list[str]:
    """The words of ``command``; raises ``InvalidInput`` (field ``command``) when it has none."""
    try:
        words = shlex.split(command, posix=os.name != "nt")
    except ValueError as error:  # unbalanced quotes, a trailing backslash
        raise InvalidInput(
            {"command": f"The command line cannot be read ({error})."},
            "Check the quotes in the command line.",
        ) from error
    if os.name == "nt":  # non-POSIX mode keeps the quotes around a word
        words = [_unquote(word) for word in words]
    if not words:
        raise InvalidInput({"command": "The command line is empty."}, "Enter a program to run.")
    return words


def _unquote(word: str) -> str:
    if len(word) >= 2 and word[0] == word[-1] and word[0] in "\"'":
        return word[1:-1]
    return word


def substitute(word: str, values: Mapping[str, str]) -> str:
    """``word`` with each placeholder replaced; any other braces are left alone."""
    for placeholder, value in values.items():
        word = word.replace(placeholder, value)
    return word


def invocation(program: ExternalProgram, *, db: Path, title: str) -> Invocation:
    """What to start for ``program`` on the export at ``db``; raises ``InvalidInput`` if it cannot."""
    words = split_command(program.command)
    values = {"{db}": str(db), "{title}": title}
    substituted = [substitute(word, values) for word in words]
    folder = program.working_folder.strip()
    working = Path(os.path.expanduser(substitute(folder, values))) if folder else None
    if working is not None and not working.is_dir():
        raise InvalidInput(
            {"working_folder": f"The working folder “{working}” does not exist."},
            "Choose an existing folder in Preferences, or leave it empty.",
        )
    return Invocation(substituted[0], tuple(substituted[1:]), working)


def problems_of(program: ExternalProgram) -> dict[str, str]:
    """What is wrong with a program's configuration (empty when it can be saved)."""
    problems: dict[str, str] = {}
    if not program.name.strip():
        problems["name"] = "Give the program a name."
    try:
        split_command(program.command)
    except InvalidInput as error:
        problems.update(error.problems)
    return problems


def validate(programs: Iterable[ExternalProgram]) -> None:
    """Raise ``InvalidInput`` naming the first program whose configuration cannot be used."""
    seen: set[str] = set()
    for program in programs:
        problems = problems_of(program)
        name = program.name.strip()
        if name.casefold() in seen:
            problems["name"] = f"There is already a program called “{name}”."
        seen.add(name.casefold())
        if problems:
            label = f"“{name}”: " if name else ""
            raise InvalidInput({key: label + text for key, text in problems.items()})


def example_programs(
    executable: str | None = None, *, frozen: bool | None = None
) -> list[ExternalProgram]:
    """The configuration used until a person configures programs of their own.

    From source the app's own Python counts the exported samples. A frozen build has no Python
    interpreter; there the example runs ``samplebook-doc info`` from beside the executable, or
    there is no example when that tool is not there.
    """
    executable = sys.executable if executable is None else executable
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if not executable:
        return []
    if not frozen:
        command = f'{_quote(executable)} -c "{COUNT_SAMPLES_SCRIPT}" {{db}}'
        return [ExternalProgram("Count samples (Python)", command)]
    tool = Path(executable).parent / ("samplebook-doc.exe" if os.name == "nt" else "samplebook-doc")
    if not tool.is_file():
        return []
    return [ExternalProgram("Document info (samplebook-doc)", f"{_quote(str(tool))} info {{db}}")]


def _quote(word: str) -> str:
    if os.name == "nt":
        return f'"{word}"' if any(c in word for c in " \t'") else word
    return shlex.quote(word)
