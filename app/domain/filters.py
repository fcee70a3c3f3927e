"""Which samples a view shows: ``SampleFilter`` and the SQL ``WHERE`` clause it stands for.

The clause is written over the table alias ``s`` so the count, the page queries and export can all
put it after ``FROM sample s``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace

from app.domain._sql import IDS_IN_JSON, escape_like, ids_param
from app.domain.errors import InvalidInput
from app.domain.names import clean_tag, fold, tag_index
from app.domain.values import DATE_EXAMPLE, parse_date

#: Connections to documents limit LIKE/GLOB patterns to 1000 bytes (see app.document.connections);
#: longer search text would fail inside SQLite with a message nobody can act on.
MAX_PATTERN_CHARACTERS = 250


@dataclass(frozen=True)
class SampleFilter:
    """Criteria a sample must all meet; the default shows every sample.

    ``text`` is a case-insensitive substring of code, name, location or notes (SQLite's LIKE folds
    ASCII letters only); ``tags`` must all be on the sample, and at least one of ``any_tags`` when
    any are given; the dates are inclusive; a code must match one of ``code_globs`` (SQLite GLOB:
    ``S-1*``, case-sensitive) when any are given; ``ids`` (when not ``None``) restricts to those ids.
    """

    text: str = ""
    tags: tuple[str, ...] = ()
    collected_from: str | None = None
    collected_to: str | None = None
    code_globs: tuple[str, ...] = ()
    ids: tuple[int, ...] | None = None
    any_tags: tuple[str, ...] = ()


#: The filter that lets every sample through (the default of the functions that take a filter).
ALL_SAMPLES = SampleFilter()


def resolve_filter(conn: sqlite3.Connection, sample_filter: SampleFilter) -> SampleFilter:
    """``sample_filter`` with each tag replaced by the stored tag it names, compared with Python's casefold.

    SQLite's NOCASE only folds ASCII, so "écume" would not find "Écume" in SQL alone. Tags no sample
    carries stay as given (and match nothing). ``count_samples`` and ``page_samples`` do this
    themselves; other users of ``filter_sql`` (export) should call it first.
    """
    if not sample_filter.tags and not sample_filter.any_tags:
        return sample_filter
    index = tag_index(conn)

    def resolved(tags: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(index[fold(tag)][1] if fold(tag) in index else tag for tag in tags)

    return replace(
        sample_filter, tags=resolved(sample_filter.tags), any_tags=resolved(sample_filter.any_tags)
    )


def _date_bound(value: str | None, field: str, problems: dict[str, str]) -> str | None:
    if value is None or not value.strip():
        return None
    parsed = parse_date(value)
    if parsed is None:
        problems[field] = f"“{value}” is not a date; write dates like {DATE_EXAMPLE}."
    return parsed


def filter_sql(sample_filter: SampleFilter) -> tuple[str, list[object]]:
    """A ``WHERE`` condition over alias ``s`` and its parameters (``"1"`` when nothing is filtered).

    Raises ``InvalidInput`` for dates that are not ``YYYY-MM-DD`` and for search text too long to
    search for.
    """
    problems: dict[str, str] = {}
    conditions: list[str] = []
    params: list[object] = []

    too_long = f"Search text can be at most {MAX_PATTERN_CHARACTERS} characters long."
    text = sample_filter.text.strip()
    if len(text) > MAX_PATTERN_CHARACTERS:
        problems["text"] = too_long
    elif text:
        pattern = f"%{escape_like(text)}%"
        columns = ("s.code", "s.name", "s.location", "s.notes")
        conditions.append(
            "(" + " OR ".join(f"{column} LIKE ? ESCAPE '\\'" for column in columns) + ")"
        )
        params.extend([pattern] * len(columns))

    seen: set[str] = set()
    for tag in sample_filter.tags:
        if fold(tag) in seen:
            continue
        seen.add(fold(tag))
        # IN (subquery) runs once per tag through ix_sample_tag_tag_id; tag.name compares NOCASE.
        conditions.append(
            "s.id IN (SELECT st.sample_id FROM sample_tag st JOIN tag t ON t.id = st.tag_id "
            "WHERE t.name = ?)"
        )
        params.append(clean_tag(tag))

    if sample_filter.any_tags:
        # One subquery for the lot; ``t.name IN`` compares with tag.name's NOCASE collation.
        conditions.append(
            "s.id IN (SELECT st.sample_id FROM sample_tag st JOIN tag t ON t.id = st.tag_id "
            "WHERE t.name IN (SELECT value FROM json_each(?)))"
        )
        params.append(json.dumps(sorted({clean_tag(tag) for tag in sample_filter.any_tags})))

    for field, operator in (("collected_from", ">="), ("collected_to", "<=")):
        bound = _date_bound(getattr(sample_filter, field), field, problems)
        if bound is not None:
            conditions.append(f"s.collected_on {operator} ?")
            params.append(bound)

    globs = [glob for glob in sample_filter.code_globs if glob]
    if any(len(glob) > MAX_PATTERN_CHARACTERS for glob in globs):
        problems["code_globs"] = too_long
    elif globs:
        conditions.append("(" + " OR ".join("s.code GLOB ?" for _ in globs) + ")")
        params.extend(globs)

    if sample_filter.ids is not None:
        conditions.append(f"s.id IN ({IDS_IN_JSON})")
        params.append(ids_param(sample_filter.ids))

    if problems:
        raise InvalidInput(problems)
    return (" AND ".join(conditions) or "1"), params
