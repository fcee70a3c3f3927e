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
from app.domain.sorting import ORDERS, SAMPLE_COLUMNS, key_values, page_queries


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


SORT_KEYS = tuple(ORDERS)


def count_samples(conn: sqlite3.Connection, sample_filter: SampleFilter = ALL_SAMPLES) -> int:
    """How many samples ``sample_filter`` lets through."""
    where, params = filter_sql(resolve_filter(conn, sample_filter))
    return int(conn.execute(f"SELECT count(*) FROM sample s WHERE {where}", params).fetchone()[0])


def page_samples(
    conn: sqlite3.Connection,
    sample_filter: SampleFilter = ALL_SAMPLES,
    *,
    sort: str = "code",
    descending: bool = False,
    after: SampleRow | None = None,
    limit: int = 200,
) -> list[SampleRow]:
    """Up to ``limit`` samples in ``sort`` order, starting after the row ``after``.

    Keyset paging over the sort indexes (``app.domain.sorting``): each page costs the same however
    deep it is, and rows inserted or deleted elsewhere never make a page repeat or skip rows.
    Codes sort naturally (BIG-2 before BIG-10), names and places case-insensitively; ties go by
    id, and samples without a value for ``sort`` come last in both directions.
    """
    if sort not in ORDERS:
        raise ValueError(f"Unknown sort key {sort!r}; expected one of {SORT_KEYS}")
    if limit <= 0:
        return []
    order = ORDERS[sort]
    where, params = filter_sql(resolve_filter(conn, sample_filter))
    values = None
    if after is not None:
        values = key_values(
            conn,
            order,
            (
                after.id,
                after.code,
                after.name,
                after.collected_on,
                after.location,
                after.measurement_count,
            ),
        )
    rows: list[Any] = []
    for condition, order_by, part_params in page_queries(
        order, descending, values, None if after is None else after.id
    ):
        rows += conn.execute(
            f"SELECT {SAMPLE_COLUMNS} FROM sample s WHERE ({where}) AND {condition} "
            f"ORDER BY {order_by} LIMIT ?",
            [*params, *part_params, limit - len(rows)],
        ).fetchall()
        if len(rows) == limit:
            break
    return _complete(conn, rows)


def get_sample(conn: sqlite3.Connection, sample_id: int) -> SampleRow | None:
    """One sample as lists show it, or ``None`` when there is no such sample."""
    rows = conn.execute(
        f"SELECT {SAMPLE_COLUMNS} FROM sample s WHERE s.id = ?", (sample_id,)
    ).fetchall()
    completed = _complete(conn, rows)
    return completed[0] if completed else None


def _complete(conn: sqlite3.Connection, rows: list[Any]) -> list[SampleRow]:
    """``SampleRow``s for sample rows, with the tags fetched for just these samples.

    One query for the whole page: computing it inside the page query would run it for every row
    SQLite looks at, not just for the rows it returns.
    """
    if not rows:
        return []
    wanted = ids_param(row[0] for row in rows)
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
            measurement_count=int(count),
        )
        for sample_id, code, name, collected_on, location, notes, count in rows
    ]


def _sorted_tuple(names: list[str] | None) -> tuple[str, ...]:
    # Most samples have one tag or none: skip the (Unicode-folding) sort for them.
    if not names:
        return ()
    return tuple(names) if len(names) == 1 else tuple(sorted_names(names))


def _text(value: object) -> str | None:
    return None if value is None else str(value)
