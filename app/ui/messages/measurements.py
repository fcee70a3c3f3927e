"""What the measurements table says beside itself (refusals come from the domain's sentences)."""

from __future__ import annotations

#: The new row's tooltip (it is not in the document yet).
NEW_ROW_TIP = "Not stored yet: Enter adds this measurement, Esc discards it."
#: The value cell's placeholder: what a value may look like.
VALUE_EXAMPLES = "7.25, <0.05, 1.2 ± 0.1, n.d."


def not_stored(sentence: str) -> str:
    """The tooltip of refused text kept in a stored cell."""
    return f"Not stored: {sentence}"
