"""What an import needs to know about the document, asked for all records at once."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from app.domain._sql import IDS_IN_JSON, ids_param

#: (what was looked up, the key, the sample id found or None): kept in the plan and compared
#: again when it is applied.
LookedUp = frozenset[tuple[str, str | int, int | None]]


def ids_by_code(connection: sqlite3.Connection, codes: Iterable[str]) -> dict[str, int]:
    """Code → sample id, for the codes the document has (one query, any number of codes)."""
    wanted = json.dumps(sorted(set(codes)), ensure_ascii=False)
    return {
        str(code): int(sample_id)
        for code, sample_id in connection.execute(
            "SELECT s.code, s.id FROM json_each(?) j CROSS JOIN sample s ON s.code = j.value",
            (wanted,),
        )
    }


def codes_by_id(connection: sqlite3.Connection, ids: Iterable[int]) -> dict[int, str]:
    """Sample id → code, for the ids the document has."""
    return {
        int(sample_id): str(code)
        for sample_id, code in connection.execute(
            f"SELECT id, code FROM sample WHERE id IN ({IDS_IN_JSON})", (ids_param(set(ids)),)
        )
    }


def looked_up(connection: sqlite3.Connection, codes: Iterable[str], ids: Iterable[int]) -> LookedUp:
    """What the document says about ``codes`` and ``ids`` now."""
    codes, ids = set(codes), set(ids)
    by_code = ids_by_code(connection, codes)
    by_id = codes_by_id(connection, ids)
    return frozenset(
        [("code", code, by_code.get(code)) for code in codes]
        + [("id", sample_id, sample_id if sample_id in by_id else None) for sample_id in ids]
    )
