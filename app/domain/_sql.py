"""Small SQL helpers shared by the domain modules."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from app.domain.errors import NotFound

#: ``s.id IN (SELECT value FROM json_each(?))`` takes any number of ids as one parameter: a list of
#: ``?`` would hit SQLITE_LIMIT_VARIABLE_NUMBER (32766) when a person selects every sample.
IDS_IN_JSON = "SELECT value FROM json_each(?)"


def ids_param(ids: Iterable[int]) -> str:
    """The JSON array that ``IDS_IN_JSON`` expands; ints only, so nothing else can get in."""
    return json.dumps([int(i) for i in ids])


def escape_like(text: str) -> str:
    r"""``text`` with LIKE's wildcards taken literally (use with ``ESCAPE '\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def escape_glob(text: str) -> str:
    """``text`` with GLOB's special characters taken literally (GLOB has no ESCAPE clause)."""
    return "".join(f"[{char}]" if char in "*?[" else char for char in text)


def require_sample(conn: sqlite3.Connection, sample_id: int) -> None:
    """Raise ``NotFound`` unless the sample exists (a friendlier error than a foreign-key one)."""
    if conn.execute("SELECT 1 FROM sample WHERE id = ?", (sample_id,)).fetchone() is None:
        raise NotFound(
            "sample", f"There is no sample with id {sample_id}; it may have been deleted."
        )
