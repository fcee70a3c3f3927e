"""The layering rules and the start-up import budget, checked in every test run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_layers_are_kept() -> None:
    """ui → domain → document → models; nothing below the ui imports Qt (import-linter)."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def modules_loaded_by(statement: str) -> set[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_inspecting_a_current_document_does_not_load_alembic(tmp_path: Path) -> None:
    """Opening a current document stays cheap: Alembic and SQLAlchemy load only to migrate."""
    from app.document import create, inspect  # noqa: PLC0415 - after the subprocess check

    path = create(tmp_path / "current.db", "x")
    assert inspect(path).state.value == "current"
    loaded = modules_loaded_by(
        "from pathlib import Path\n"
        "from app.document import inspect, open_document\n"
        f"assert inspect(Path({str(path)!r})).state.value == 'current'\n"
        f"open_document(Path({str(path)!r})).close()"
    )
    assert not {name for name in loaded if name.split(".")[0] in {"alembic", "sqlalchemy"}}
    assert "PySide6" not in loaded
