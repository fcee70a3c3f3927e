"""How schema constraints are named: one convention, from the first revision on.

Batch-mode table rebuilds on SQLite can only drop or alter constraints that have names. The models
(``app.models``) and the migration environment (``migrations/env.py``, which must not import the
ORM just to run a revision) both use this convention.
"""

from __future__ import annotations

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
