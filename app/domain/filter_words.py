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


def describe_filter(sample_filter: SampleFilter) -> str:
    """The filter in words; ``"all samples"`` when it lets every sample through."""
    parts: list[str] = []
    if sample_filter.ids is not None:
        count = len(sample_filter.ids)
        parts.append(f"{count} chosen sample{'' if count == 1 else 's'}")
    if sample_filter.text.strip():
        parts.append(f"matching “{sample_filter.text.strip()}”")
    if sample_filter.tags:
        parts.append("tagged " + _quoted(sample_filter.tags, "and"))
    if sample_filter.any_tags:
        parts.append("tagged " + _quoted(sample_filter.any_tags, "or"))
    dates = describe_dates(sample_filter.collected_from, sample_filter.collected_to)
    if dates:
        parts.append(dates)
    if sample_filter.code_globs:
        parts.append("code like " + _quoted(sample_filter.code_globs, "or"))
    return ", ".join(parts) or "all samples"
