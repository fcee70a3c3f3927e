"""The orders the samples list sorts by, and keyset pages over them that every index can serve.

Each order is a list of terms, the last one unique, each backed by an index of release 2.2 in the
same order (``ix_sample_code_natural``, ``ix_sample_name`` …), so a page is an index seek plus
``LIMIT`` rows, however deep it is, and never a sort of the whole table.

Rows after a given row in the order (t1, …, tk) are the union, in this order, of

    t1 = v1 AND … AND t(k-1) = v(k-1) AND tk > vk
    …
    t1 > v1

and each of those is one seek on the index (equality on the leading terms, a range on the next).
One row-value comparison ``(t1, t2) > (v1, v2)`` would mean the same, but SQLite seeks only on its
first term and then scans every row with an equal first term: with 100,000 samples whose codes
all start with "S-", the deepest page would scan them all. So ``pages`` runs those parts one after
the other until the page is full. Empty values come last in both directions: a nullable order
ends with its NULL rows, in id order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Written as in the index (app/models.py, the 2.2 revision): SQLite uses an expression index only
# for the same expression, and the alias ``s`` is allowed.
_DIGITS = "'0123456789'"
CODE_TERMS = (
    f"rtrim(s.code, {_DIGITS}) COLLATE NOCASE",
    f"CAST(substr(s.code, length(rtrim(s.code, {_DIGITS})) + 1) AS INTEGER)",
    "s.code",
)


@dataclass(frozen=True)
class SortOrder:
    """An order of the samples list: its terms (the last unique) and whether the first may be NULL.

    ``terms`` are SQL over ``sample s``; ``nullable`` orders end with the rows whose first term is
    NULL, by id.
    """

    terms: tuple[str, ...]
    nullable: bool = False
    #: The condition for a value being there, as the index can seek it (default: IS NOT NULL).
    present: str | None = None


ORDERS: dict[str, SortOrder] = {
    # Natural order: the code without its trailing digits (case-insensitively), then those digits
    # as a number, then the code: BIG-2, big-3, BIG-10. Codes are unique, so no id is needed.
    "code": SortOrder(CODE_TERMS),
    # Names and places sort case-insensitively (people do not expect "a" after "Z").
    "name": SortOrder(("s.name COLLATE NOCASE", "s.id")),
    "collected_on": SortOrder(("s.collected_on", "s.id"), nullable=True),
    # SQLite does not seek an index on a collated column for IS NOT NULL (it scans past all the
    # empty places). Every text, and every blob, is >= '' (NULL is not), and a VARCHAR column holds
    # nothing else (numbers are stored as text), so this is IS NOT NULL as a seekable range.
    "location": SortOrder(
        ("s.location COLLATE NOCASE", "s.id"),
        nullable=True,
        present="s.location COLLATE NOCASE >= ''",
    ),
    # Kept by the document's triggers (release 2.2): no counting to sort.
    "measurement_count": SortOrder(("s.measurement_count", "s.id")),
}

#: The columns a page reads, in ``SampleRow`` order (tags are fetched for the page afterwards).
SAMPLE_COLUMNS = "s.id, s.code, s.name, s.collected_on, s.location, s.notes, s.measurement_count"

#: The values a row has in the order's terms, computed by SQLite from the row's own values, so
#: they are exactly what the index holds (a Python re-implementation of rtrim and CAST could
#: differ at the edges: digits beyond 64 bits, non-ASCII case).
_ROW_AS_SAMPLE = (
    "(SELECT ? AS id, ? AS code, ? AS name, ? AS collected_on, ? AS location, "
    "? AS measurement_count) AS s"
)


def key_values(
    connection: sqlite3.Connection, order: SortOrder, row: Sequence[object]
) -> tuple[Any, ...]:
    """``row``'s values (id, code, name, collected_on, location, measurement_count) in ``order``."""
    found = connection.execute(
        f"SELECT {', '.join(order.terms)} FROM {_ROW_AS_SAMPLE}", tuple(row)
    ).fetchone()
    return tuple(found)


def _order_by(terms: Sequence[str], descending: bool) -> str:
    direction = " DESC" if descending else ""
    return ", ".join(term + direction for term in terms)


def page_queries(
    order: SortOrder,
    descending: bool,
    after: tuple[Any, ...] | None,
    after_id: int | None,
) -> list[tuple[str, str, list[object]]]:
    """(condition, ORDER BY, parameters) of each part of the page, in the order they come."""
    beyond = "<" if descending else ">"
    terms = order.terms
    present = (order.present or f"{terms[0]} IS NOT NULL") if order.nullable else "1"
    nulls: tuple[str, str, list[object]] = (
        f"{terms[0]} IS NULL",
        _order_by(["s.id"], descending),
        [],
    )
    if after is None:
        parts = [(present, _order_by(terms, descending), list[object]())]
        return [*parts, nulls] if order.nullable else parts
    if order.nullable and after[0] is None:
        # After an empty value only empty values follow, in id order.
        return [(f"{terms[0]} IS NULL AND s.id {beyond} ?", nulls[1], [after_id])]
    parts = []
    for depth in range(len(terms), 0, -1):
        equal = [f"{term} = ?" for term in terms[: depth - 1]]
        condition = " AND ".join([*equal, f"{terms[depth - 1]} {beyond} ?"])
        # The leading terms are fixed by the equalities: ordering by them too makes SQLite sort
        # in a temporary B-tree for the expression terms, although the index already has the order.
        parts.append((condition, _order_by(terms[depth - 1 :], descending), list(after[:depth])))
    return [*parts, nulls] if order.nullable else parts
