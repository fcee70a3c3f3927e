"""What the measurements table says beside itself (refusals come from the domain's sentences)."""

from __future__ import annotations

#: Until the import path takes pasted rows (``app.ui.paste``).
PASTE_SEVERAL_ROWS = "Pasting several rows comes through File → Import…"
#: A pasted row that is not a measurement of the table's columns.
PASTE_NOT_A_ROW = (
    "The clipboard does not hold a measurement: copy cells of quantity, value, unit and "
    "measured at, or a row copied from this table."
)
