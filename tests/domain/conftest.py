"""Fixtures for the domain tests: real documents made by the migrations, opened for editing."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.document import OpenDocument, create, open_document
from app.paths import HOME_OVERRIDE_VARIABLE


@pytest.fixture(autouse=True, scope="session")
def _domain_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep working copies out of the real profile even if tests/conftest.py stops doing so."""
    if os.environ.get(HOME_OVERRIDE_VARIABLE):
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(HOME_OVERRIDE_VARIABLE, str(tmp_path_factory.mktemp("domain-home")))
        yield


@pytest.fixture
def doc_path(tmp_path: Path) -> Path:
    return create(tmp_path / "notebook.db", "Field notes")


@pytest.fixture
def doc(doc_path: Path) -> Iterator[OpenDocument]:
    document = open_document(doc_path)
    try:
        yield document
    finally:
        document.close()


@pytest.fixture
def conn(doc: OpenDocument) -> sqlite3.Connection:
    return doc.connection
