"""The plot panel's special choices, in a module of their own so that choosing them does not load
numpy or pyqtgraph (they load with the panel)."""

from __future__ import annotations

#: The unit choice "each unit its own series" (any other value is one unit).
EACH_UNIT = "\u0000each"
#: The quantity choice "every quantity" of a sample's plot.
EVERY_QUANTITY = "\u0000every"
