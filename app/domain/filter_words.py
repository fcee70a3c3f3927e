"""A ``SampleFilter`` in words, as a person reads it in a dialog, a result or a status line.

``"matching “lake”, tagged “field” or “core”, collected on or after 2024-06-01"``. One place, so
the window, the export dialog and the external programs describe the same filter alike.
"""

from __future__ import annotations

from app.domain.filters import SampleFilter


def _quoted(words: tuple[str, ...], joiner: str) -> str:
    return f" {joiner} ".join(f"“{word}”" for word in words)


def describe_dates(collected_from: str | None, collected_to: str | None) -> str:
    """``collected 2024-06-01 to 2024-06-30``; an open end reads "on or after" / "on or before"."""
    start = (collected_from or "").strip()
    end = (collected_to or "").strip()
    if start and end:
        return f"collected on {start}" if start == end else f"collected {start} to {end}"
    if start:
        return f"collected on or after {start}"
    if end:
        return f"collected on or before {end}"
    return ""


def describe_filter(flt: SampleFilter) -> str:
    """The filter in words; ``"all samples"`` when it lets every sample through."""
    parts: list[str] = []
    if flt.ids is not None:
        count = len(flt.ids)
        parts.append(f"{count} chosen sample{'' if count == 1 else 's'}")
    if flt.text.strip():
        parts.append(f"matching “{flt.text.strip()}”")
    if flt.tags:
        parts.append("tagged " + _quoted(flt.tags, "and"))
    if flt.any_tags:
        parts.append("tagged " + _quoted(flt.any_tags, "or"))
    dates = describe_dates(flt.collected_from, flt.collected_to)
    if dates:
        parts.append(dates)
    if flt.code_globs:
        parts.append("code like " + _quoted(flt.code_globs, "or"))
    return ", ".join(parts) or "all samples"
