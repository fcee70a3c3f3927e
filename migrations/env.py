"""Alembic environment for Samplebook documents.

The app passes an open connection in ``config.attributes["connection"]``, already inside the single
``BEGIN IMMEDIATE`` transaction that app.document.migration starts, so every revision of an upgrade
commits or rolls back together. Run from the command line by schema authors, it migrates a scratch
database (``SAMPLEBOOK_AUTHOR_DB``, default ``scratch.db``) the same way.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, MetaData

from app.document import migration as runner
from app.naming import NAMING_CONVENTION

config = context.config


def target_metadata() -> MetaData:
    """The models, for autogenerate and its comparison; to run revisions, their naming convention.

    The app's own runner says so (``samplebook_runner``): importing the ORM costs it about
    0.3 s on every upgrade, and running a revision needs only the convention that names the
    constraints batch mode rebuilds.
    """
    if config.attributes.get("samplebook_runner"):
        return MetaData(naming_convention=NAMING_CONVENTION)
    from app.models import metadata  # noqa: PLC0415

    return metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata(),
        # With the engine from app.document.migration this really is one transaction.
        transactional_ddl=True,
        # SQLite cannot ALTER most things: rebuild tables, relying on the named constraints.
        render_as_batch=True,
        on_version_apply=config.attributes.get("on_version_apply"),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(
        url="sqlite://", target_metadata=target_metadata(), literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()
elif (given := config.attributes.get("connection")) is not None:
    run_migrations(given)
else:
    with runner.author_connection() as scratch:
        run_migrations(scratch)
