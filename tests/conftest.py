"""Fixtures for the whole test suite.

No test touches the real user profile (``SAMPLEBOOK_HOME`` points into a temporary folder for the
whole session) and Qt runs without a display.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.paths import HOME_OVERRIDE_VARIABLE

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: Fixtures shared across folders: small and read-only disks (``small_disk``).
pytest_plugins = ["tests.document.disks"]

#: Real documents written by every release (see tests/fixtures/make_documents.py); never rewritten.
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "documents"


def fixture_path(release: str) -> Path:
    """The committed fixture document written by ``release`` (read it, never write it)."""
    return FIXTURES / f"release-{release}.db"


# --------------------------------------------------------------------------------------------------
# Session-wide environment


@pytest.fixture(autouse=True, scope="session")
def samplebook_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every per-user folder the app uses lives under one temporary directory for the session."""
    home = tmp_path_factory.mktemp("samplebook-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(HOME_OVERRIDE_VARIABLE, str(home))
        yield home


# --------------------------------------------------------------------------------------------------
# Release fixtures


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Callable[[str], Path]:
    """A function that copies the fixture of a release into ``tmp_path`` and returns the copy.

    A plain file copy is fine here: the fixtures are at rest (no journal, no open connection).
    """

    def copy(release: str) -> Path:
        source = fixture_path(release)
        target = tmp_path / source.name
        copies = 1
        while target.exists():
            copies += 1
            target = tmp_path / f"{source.stem}-{copies}{source.suffix}"
        shutil.copyfile(source, target)
        return target

    return copy
