"""pyproject.toml sets the version; every other place that says it must agree (or read it there)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import app
from app.document.releases import HEAD_RELEASE

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "freeze"))

import config  # noqa: E402 - freeze/config.py, found through the path above


def pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def as_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def test_the_installed_app_says_pyprojects_version() -> None:
    assert app.__version__ == pyproject_version()  # a stale install would say otherwise


def test_a_source_tree_never_installed_reads_pyproject() -> None:
    assert app._version_of_source_tree() == pyproject_version()


def test_a_frozen_build_carries_pyprojects_version(tmp_path: Path) -> None:
    assert config.project_version() == pyproject_version()
    metadata = config.metadata_file(config.project_version(), tmp_path)
    assert f"\nVersion: {pyproject_version()}\n" in metadata.read_text(encoding="utf-8")
    assert metadata.parent.name == f"samplebook-{pyproject_version()}.dist-info"


def test_the_command_line_reports_it() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert done.stdout.strip() == f"Samplebook {pyproject_version()}"


def test_no_other_file_writes_the_version_down() -> None:
    """Anything that needs the version reads pyproject.toml or the package metadata."""
    version = pyproject_version()
    copies = []
    for folder in ("app", "freeze", "migrations", "resources", ".ci"):
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # icons, screenshots
            if f'"{version}"' in text or f"'{version}'" in text:
                copies.append(str(path.relative_to(ROOT)))
    assert copies == []


def test_a_release_is_not_older_than_its_document_format() -> None:
    assert as_tuple(pyproject_version()) >= as_tuple(HEAD_RELEASE)
