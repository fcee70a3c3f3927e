"""Reading samples for lists and views: counting, keyset paging, single rows.

Editing lives in ``app.domain.sample_edits``. ``app.domain`` is the one list of the layer's public
names; import from there or from the module that defines a name.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from app.domain._sql import IDS_IN_JSON, ids_param
from app.domain.filters import ALL_SAMPLES, SampleFilter, filter_sql, resolve_filter
from app.domain.names import sorted_names


@dataclass(frozen=True)
class SampleRow:
    id: int
    code: str
    name: str
    collected_on: str | None
    location: str | None
    notes: str | None
    tags: tuple[str, ...]
    measurement_count: int


SORT_KEYS = ("code", "name", "collected_on", "location", "measurement_count")


@dataclass(frozen=True)
class _SortKey:
    expression: str
    nullable: bool
    #: Unique keys need no id tie-breaker, which lets ``code`` use its unique index for the order.
    unique: bool = False


_SORTS = {
    "code": _SortKey("s.code", nullable=False, unique=True),
    # Names and places sort case-insensitively (people do not expect "a" after "Z"); no index
    # serves them either way. Codes keep binary order because the unique index provides it.
    "name": _SortKey("s.name COLLATE NOCASE", nullable=False),
    "collected_on": _SortKey("s.collected_on", nullable=True),
    "location": _SortKey("s.location COLLATE NOCASE", nullable=True),
    # Counted by a join grouped per sample (see ``_COUNTED``): the count is needed for every
    # filtered sample before the page can be chosen, so this sort costs one pass over the
    # measurement index (a few hundred ms for 1M measurements); the other sorts count only the page.
    "measurement_count": _SortKey("n", nullable=False),
}

_SAMPLE_COLUMNS = "s.id, s.code, s.name, s.collected_on, s.location, s.notes"

#: The page query when sorting by measurement count. A join with GROUP BY computes each count once;
#: a correlated subquery would run again in the keyset condition and in the ORDER BY.
_COUNTED = (
    f"SELECT {_SAMPLE_COLUMNS}, count(m.sample_id) AS n "
    "FROM sample s LEFT JOIN measurement m ON m.sample_id = s.id "
    "WHERE {where} GROUP BY s.id HAVING {after} ORDER BY {order} LIMIT ?"
)


def count_samples(conn: sqlite3.Connection, flt: SampleFilter = ALL_SAMPLES) -> int:
    """How many samples ``flt`` lets through."""
    where, params = filter_sql(resolve_filter(conn, flt))
    return int(conn.execute(f"SELECT count(*) FROM sample s WHERE {where}", params).fetchone()[0])


def _order_by(key: _SortKey, descending: bool) -> str:
    """Empty values last in both directions (like spreadsheets), then the key, then the id."""
    direction = " DESC" if descending else ""
    terms = [f"{key.expression} IS NULL"] if key.nullable else []
    terms.append(key.expression + direction)
    if not key.unique:
        terms.append("s.id" + direction)
    return ", ".join(terms)


def _after(key: _SortKey, descending: bool, value: object, row_id: int) -> tuple[str, list[object]]:
    """The condition for rows that come after (``value``, ``row_id``) in ``_order_by``'s order."""
    beyond = "<" if descending else ">"
    if value is None:
        # Only rows with an empty key follow an empty key (empty values come last).
        return f"({key.expression} IS NULL AND s.id {beyond} ?)", [row_id]
    if key.unique:
        condition, params = f"{key.expression} {beyond} ?", [value]
    else:
        condition = f"({key.expression} {beyond} ? OR ({key.expression} = ? AND s.id {beyond} ?))"
        params = [value, value, row_id]
    if key.nullable:
        condition = f"({key.expression} IS NULL OR {condition})"
    return condition, params


def page_samples(
    conn: sqlite3.Connection,
    flt: SampleFilter = ALL_SAMPLES,
    *,
    sort: str = "code",
    descending: bool = False,
    after: SampleRow | None = None,
    limit: int = 200,
) -> list[SampleRow]:
    """Up to ``limit`` samples in (``sort``, id) order, starting after the row ``after``.

    Keyset paging: each page costs the same however deep it is, and rows inserted or deleted
    elsewhere never make a page repeat or skip rows. Samples without a value for ``sort`` come last
    in both directions.
    """
    if sort not in _SORTS:
        raise ValueError(f"Unknown sort key {sort!r}; expected one of {SORT_KEYS}")
    if limit <= 0:
        return []
    key = _SORTS[sort]
    where, params = filter_sql(resolve_filter(conn, flt))
    condition, after_params = "1", list[object]()
    if after is not None:
        condition, after_params = _after(key, descending, getattr(after, sort), after.id)
    order = _order_by(key, descending)
    if sort == "measurement_count":
        sql = _COUNTED.format(where=where, after=condition, order=order)
    else:
        sql = f"SELECT {_SAMPLE_COLUMNS} FROM sample s WHERE ({where}) AND {condition} "
        sql += f"ORDER BY {order} LIMIT ?"
    rows = conn.execute(sql, [*params, *after_params, limit]).fetchall()
    return _complete(conn, [row[:6] for row in rows])


def get_sample(conn: sqlite3.Connection, sample_id: int) -> SampleRow | None:
    """One sample as lists show it, or ``None`` when there is no such sample."""
    rows = conn.execute(
        f"SELECT {_SAMPLE_COLUMNS} FROM sample s WHERE s.id = ?", (sample_id,)
    ).fetchall()
    completed = _complete(conn, rows)
    return completed[0] if completed else None


def _complete(conn: sqlite3.Connection, rows: list[Any]) -> list[SampleRow]:
    """``SampleRow``s for sample rows, with counts and tags fetched for just these samples.

    Two queries for the whole page: computing them inside the page query would run them for every
    row SQLite sorts, not just for the rows it returns.
    """
    if not rows:
        return []
    wanted = ids_param(row[0] for row in rows)
    counts = dict(
        conn.execute(
            f"SELECT sample_id, count(*) FROM measurement WHERE sample_id IN ({IDS_IN_JSON}) "
            "GROUP BY sample_id",
            (wanted,),
        ).fetchall()
    )
    tags: defaultdict[int, list[str]] = defaultdict(list)
    for sample_id, name in conn.execute(
        "SELECT st.sample_id, t.name FROM sample_tag st JOIN tag t ON t.id = st.tag_id "
        f"WHERE st.sample_id IN ({IDS_IN_JSON})",
        (wanted,),
    ):
        tags[sample_id].append(str(name))
    return [
        SampleRow(
            id=int(sample_id),
            code=str(code),
            name=str(name),
            collected_on=_text(collected_on),
            location=_text(location),
            notes=_text(notes),
            tags=_sorted_tuple(tags.get(sample_id)),
            measurement_count=int(counts.get(sample_id, 0)),
        )
        for sample_id, code, name, collected_on, location, notes in rows
    ]


def _sorted_tuple(names: list[str] | None) -> tuple[str, ...]:
    # Most samples have one tag or none: skip the (Unicode-folding) sort for them.
    if not names:
        return ()
    return tuple(names) if len(names) == 1 else tuple(sorted_names(names))


def _text(value: object) -> str | None:
    return None if value is None else str(value)
