"""What the measurements table says beside itself (refusals come from the domain's sentences)."""

from __future__ import annotations

#: Until the import path takes pasted rows (``app.ui.paste``).
PASTE_SEVERAL_ROWS = "Pasting several rows comes through File → Import…"
#: A pasted row that is not a measurement of the table's columns.
PASTE_NOT_A_ROW = (
    "The clipboard does not hold a measurement: copy cells of quantity, value, unit and "
    "measured at, or a row copied from this table."
)
#: The new row's tooltip (it is not in the document yet).
NEW_ROW_TIP = "Not stored yet: Enter adds this measurement, Esc discards it."
#: The value cell's placeholder: what a value may look like.
VALUE_EXAMPLES = "7.25, <0.05, 1.2 ± 0.1, n.d."


def not_stored(sentence: str) -> str:
    """The tooltip of refused text kept in a stored cell."""
    return f"Not stored: {sentence}"
