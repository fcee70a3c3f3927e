"""Cells of an imported table as the values of fields: text, ids, tags.

A cell is what ``app.domain.tables`` read: text, or a spreadsheet's number. Dates go through
``app.domain.tables.dates`` and values through ``app.domain.lab_values``; what is left is here.
"""

from __future__ import annotations

import math

from app.domain.lab_values import format_number
from app.domain.names import clean_tag, fold
from app.domain.tables import Cell


class CellProblem(ValueError):
    """A cell that cannot be the value of its field; the message is the sentence."""


def text(cell: Cell) -> str:
    """A cell as text: a spreadsheet's number as the shortest text that reads back the same."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, int):
        return str(cell)
    return format_number(cell)


def is_blank(cell: Cell) -> bool:
    return isinstance(cell, str) and not cell.strip()


def sample_id(cell: Cell) -> int:
    """A sample id: a whole number (``12``, or a spreadsheet's 12.0)."""
    if isinstance(cell, float):
        if math.isfinite(cell) and cell.is_integer():
            return int(cell)
        raise CellProblem(f"“{text(cell)}” is not a sample id (a whole number, like 12).")
    if isinstance(cell, int):
        return cell
    stripped = cell.strip()
    if not stripped.isascii() or not stripped.isdigit():
        raise CellProblem(f"“{stripped}” is not a sample id (a whole number, like 12).")
    return int(stripped)


def tags(cell: Cell) -> tuple[str, ...]:
    """Tag names separated by ``;`` or ``,``: by ``;`` when the cell has one (so a tag's own
    commas survive, as in Samplebook's exported tables), else by ``,``. Blank pieces and
    repeats (compared as tags compare: trimmed, case folded) are dropped."""
    content = text(cell)
    separator = ";" if ";" in content else ","
    seen: set[str] = set()
    names: list[str] = []
    for piece in content.split(separator):
        name = clean_tag(piece)
        if name and fold(name) not in seen:
            seen.add(fold(name))
            names.append(name)
    return tuple(names)


def join_tags(names: tuple[str, ...]) -> str:
    """Tags as a table cell that ``tags`` reads back: joined with ``; `` (a lone tag with a comma
    gets a trailing ``;`` so its comma is not read as a separator)."""
    joined = "; ".join(names)
    if len(names) == 1 and "," in joined:
        joined += ";"
    return joined
