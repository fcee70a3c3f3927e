"""pytest-alembic's fixtures, pointed at the shipped migrations and the app's migration engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_alembic.config import Config
from sqlalchemy import Connection

from app.document.migration import make_config, migration_engine, migrations_dir


@pytest.fixture
def alembic_config() -> Config:
    """The Alembic config the app itself builds, with the absolute script location.

    Passing the app's own ``alembic.config.Config`` keeps pytest-alembic from reading an ini file or
    ``pyproject.toml`` from the current directory.
    """
    return Config(
        config_options={"script_location": str(migrations_dir())},
        alembic_config=make_config(),
    )


@pytest.fixture
def alembic_engine(tmp_path: Path) -> Iterator[Connection]:
    """A connection of the app's migration engine on a real file (``BEGIN IMMEDIATE``, FKs off).

    pytest-alembic hands this object to ``env.py`` as ``config.attributes["connection"]``, and
    ``env.py`` passes it to ``context.configure(connection=...)``, which accepts a Connection but
    rejects an Engine, so a connection is what is provided here.
    """
    engine = migration_engine(tmp_path / "pa.db", create=True)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()
