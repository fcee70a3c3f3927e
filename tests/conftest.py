"""Fixtures for the whole test suite.

No test touches the real user profile (``SAMPLEBOOK_HOME`` points into a temporary folder for the
whole session) and Qt runs without a display.
"""

from __future__ import annotations

import functools
import os
import shutil
import stat
import tempfile
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
# Tests that need file permissions to apply

#: Set by CI where it runs the ``permissions`` tests as an unprivileged user: skipping is a failure.
REQUIRE_PERMISSIONS_VARIABLE = "SAMPLEBOOK_REQUIRE_PERMISSION_TESTS"


@functools.cache
def permissions_ignored() -> bool:
    """True when this process can write a read-only file (root, or CAP_DAC_OVERRIDE)."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "read-only"
        probe.write_bytes(b"")
        probe.chmod(stat.S_IRUSR)
        try:
            probe.open("ab").close()
        except PermissionError:
            return False
        return True


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("permissions") is None or not permissions_ignored():
        return
    if os.environ.get(REQUIRE_PERMISSIONS_VARIABLE):
        pytest.fail("this process ignores file permissions, so the permission tests cannot run")
    pytest.skip("file permissions do not apply to this process (root); CI runs these unprivileged")


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
