"""From rows to what is drawn: series by unit (never mixed), markers by qualifier, and what is
left out said in words.

Decisions, shown in the panel's note:

* **Units.** One quantity in several units is never drawn on one axis as if it were one: the
  panel shows one unit (the most common first; the others counted as not shown), or, when the
  person chooses, each unit as its own series with its own colour and legend entry. Values are
  never converted (Samplebook does not know that 1000 µg/L is 1 mg/L for every quantity).
* **Qualifiers.** ``<0.05`` is drawn at its limit as an open ▽ (the true value is below it),
  ``>100`` as an open △, ``~3`` as an open ○, a plain value as a filled ●, with its ± as an error
  bar. A not-detected measurement has no number, so it is **not plotted** and the note names its
  samples: a marker "at the axis" would read as a measured zero (and a log axis has no zero).
* Points without the date the x axis needs are not plotted, and counted.

numpy is imported here, so this module is loaded only with the plot panel.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from app.domain.lab_values import LabValue, format_lab_value
from app.domain.plot_data import PlotRows
from app.ui.plot.choices import EACH_UNIT

XKind = Literal["date", "sample", "time"]
MARKERS = {None: "o", "<": "t", ">": "t1", "~": "o"}
OPEN = frozenset({"<", ">", "~"})
NOT_DETECTED = "nd"
NAMED_LEFT_OUT = 8


@dataclass
class Series:
    """Points of one unit (and quantity) with one qualifier: one marker style."""

    label: str
    unit: str
    qualifier: str | None
    colour: int
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    #: Index of each point's row in the ``PlotRows`` (for hover).
    rows: npt.NDArray[np.int64]
    #: The ± of each plain point (0 where there is none), or None when no point has one.
    errors: npt.NDArray[np.float64] | None = None


@dataclass
class Prepared:
    series: list[Series] = field(default_factory=list)
    #: (position, code) ticks for the "by sample" x axis.
    ticks: list[tuple[float, str]] = field(default_factory=list)
    y_label: str = ""
    x_kind: XKind = "date"
    #: Not-detected measurements (their codes, the first few), and how many in all.
    not_detected: list[str] = field(default_factory=list)
    not_detected_count: int = 0
    undated: int = 0
    #: Units not shown (with their counts) when one unit was chosen.
    other_units: list[tuple[str, int]] = field(default_factory=list)
    shown_unit: str | None = None
    units: list[str] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(len(series.x) for series in self.series)


def _seconds(text: str | None, cache: dict[str, float]) -> float:
    """A stored date or date-time as seconds since the epoch, local time (NaN when none)."""
    if text is None:
        return float("nan")
    found = cache.get(text)
    if found is None:
        try:
            found = datetime.datetime.fromisoformat(text).timestamp()
        except ValueError:
            found = float("nan")
        cache[text] = found
    return found


def positions(
    rows: PlotRows, x_kind: XKind
) -> tuple[npt.NDArray[np.float64], list[tuple[float, str]]]:
    """Each row's x: its date, time, or its sample's place in the list; and the sample ticks."""
    cache: dict[str, float] = {}
    if x_kind == "date":
        return np.array([_seconds(d, cache) for d in rows.collected_on], dtype=np.float64), []
    if x_kind == "time":
        return np.array([_seconds(t, cache) for t in rows.measured_at], dtype=np.float64), []
    places: dict[int, int] = {}
    ticks: list[tuple[float, str]] = []
    x = np.empty(len(rows), dtype=np.float64)
    for index, (sample_id, code) in enumerate(zip(rows.sample_ids, rows.codes, strict=True)):
        place = places.get(sample_id)
        if place is None:
            place = places[sample_id] = len(places)
            ticks.append((float(place), code))
        x[index] = place
    return x, ticks


def prepare(
    rows: PlotRows, x_kind: XKind, unit: str | None, *, by_quantity: bool = False
) -> Prepared:
    """Series to draw from ``rows``: ``unit`` alone, or ``EACH_UNIT``; ``by_quantity`` makes one
    series per quantity and unit (one sample's measurements of every quantity)."""
    prepared = Prepared(x_kind=x_kind)
    counts = rows.unit_counts()
    prepared.units = [name for name, _ in counts]
    if not len(rows):
        return prepared
    if unit is None or (unit != EACH_UNIT and unit not in prepared.units):
        unit = EACH_UNIT if by_quantity else counts[0][0]
    x, prepared.ticks = positions(rows, x_kind)
    qualifiers = np.array(rows.qualifiers, dtype=object)
    values = np.array([np.nan if v is None else v for v in rows.values], dtype=np.float64)
    errors = np.array([0.0 if u is None else u for u in rows.uncertainties], dtype=np.float64)
    units = np.array(rows.units, dtype=object)
    quantities = np.array(rows.quantities, dtype=object) if by_quantity else None
    plain = np.array([q is None for q in rows.qualifiers], dtype=bool)
    detected = qualifiers != NOT_DETECTED
    dated = ~np.isnan(x)
    wanted = np.ones(len(rows), dtype=bool)
    if unit != EACH_UNIT:
        wanted = units == unit
        prepared.shown_unit = unit
        prepared.other_units = [(name, count) for name, count in counts if name != unit]
    nd = np.flatnonzero(wanted & ~detected)
    prepared.not_detected_count = len(nd)
    codes = dict.fromkeys(rows.codes[i] for i in nd[: NAMED_LEFT_OUT * 4])
    prepared.not_detected = list(codes)[:NAMED_LEFT_OUT]
    prepared.undated = int(np.count_nonzero(wanted & detected & ~dated))
    drawn = wanted & detected & dated
    keys: list[tuple[str, str]] = []
    key_of: dict[tuple[str, str], int] = {}
    for index in np.flatnonzero(drawn):
        key = (
            str(quantities[index]) if quantities is not None else rows.quantity,
            str(units[index]),
        )
        if key not in key_of:
            key_of[key] = len(keys)
            keys.append(key)
    for colour, key in enumerate(sorted(keys)):
        quantity, series_unit = key
        in_key = drawn & (units == series_unit)
        if quantities is not None:
            in_key &= quantities == quantity
        label = f"{quantity} ({series_unit})" if series_unit else quantity
        for qualifier in (None, "<", ">", "~"):
            chosen = in_key & (plain if qualifier is None else qualifiers == qualifier)
            picked = np.flatnonzero(chosen)
            if not len(picked):
                continue
            errs = errors[picked] if qualifier is None and errors[picked].any() else None
            prepared.series.append(
                Series(
                    label, series_unit, qualifier, colour, x[picked], values[picked], picked, errs
                )
            )
    prepared.y_label = _y_label(rows, prepared, unit, by_quantity)
    return prepared


def _y_label(rows: PlotRows, prepared: Prepared, unit: str, by_quantity: bool) -> str:
    if by_quantity:
        return "value (each quantity and unit its own series)"
    if unit == EACH_UNIT:
        shown = ", ".join(name or "no unit" for name in prepared.units)
        return f"{rows.quantity} ({shown}: one series each)"
    return f"{rows.quantity} ({unit})" if unit else rows.quantity


def tip(rows: PlotRows, index: int) -> str:
    """What hovering a point shows: the sample, the value as typed, and when."""
    try:
        value = format_lab_value(
            LabValue.from_columns(
                rows.values[index], rows.qualifiers[index], rows.uncertainties[index]
            )
        )
    except (ValueError, TypeError):
        value = str(rows.values[index])
    unit = rows.units[index]
    lines = [rows.codes[index], f"{rows.quantities[index]}: {value}{' ' + unit if unit else ''}"]
    when = rows.measured_at[index] or rows.collected_on[index]
    if rows.measured_at[index]:
        lines.append(f"measured {rows.measured_at[index]}")
    elif when:
        lines.append(f"collected {when}")
    return "\n".join(lines)
