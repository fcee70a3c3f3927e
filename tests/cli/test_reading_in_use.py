"""Reading a document that is open in another Samplebook is allowed wherever only reading happens."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from app.document import State, create, inspect
from tests.cli.test_samplebook_doc import info, run
from tests.document.conftest import editing_elsewhere, execute, folder_state, lock_held_elsewhere


def with_samples(path: Path, n: int = 3) -> Path:
    execute(
        path,
        *(f"INSERT INTO sample (code, name) VALUES ('S-{i}', 'sample {i}')" for i in range(n)),
    )
    return path


def test_backup_of_a_document_open_elsewhere(tmp_path: Path) -> None:
    path = with_samples(create(tmp_path / "Notes.db", "Notes"))
    before = path.read_bytes()
    with editing_elsewhere(path) as editor:
        done = run("backup", path)
        assert done.returncode == 0, done.stderr
        made = Path(done.stdout.strip())
        found = inspect(made)
        assert found.state is State.CURRENT and found.counts is not None
        assert found.counts.samples == 3
        assert path.read_bytes() == before
        editor.command("save still editing")  # the editor is undisturbed
    assert inspect(path).title == "still editing"


def test_export_of_a_document_open_elsewhere(tmp_path: Path) -> None:
    path = with_samples(create(tmp_path / "Notes.db", "Notes"))
    with lock_held_elsewhere(path):
        before = folder_state(tmp_path)
        done = run("export", path, tmp_path / "subset.db", "--code", "S-1")
        assert done.returncode == 0, done.stderr
        assert info(tmp_path / "subset.db")["counts"] == {
            "samples": 1,
            "measurements": 0,
            "tags": 0,
        }
        temporary = run("export", path, "--temp")
        assert temporary.returncode == 0, temporary.stderr
        assert Path(temporary.stdout.strip()).is_file()
        after = folder_state(tmp_path)
        del after["subset.db"]
        assert after == before  # the source and its lock file are untouched


def test_export_of_an_older_document_open_elsewhere(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    path = fixture_copy("1.0")
    hard = tmp_path / "alias.db"
    os.link(path, hard)
    with lock_held_elsewhere(hard):  # held under another name of the same file
        done = run("export", path, tmp_path / "subset.db")
        assert done.returncode == 0, done.stderr
        assert info(tmp_path / "subset.db")["state"] == "current"
        assert info(path)["state"] == "locked"


def test_what_is_read_is_checked_like_any_other_file(tmp_path: Path) -> None:
    tampered = create(tmp_path / "Tampered.db", "T")
    execute(tampered, "CREATE TRIGGER evil AFTER INSERT ON sample BEGIN SELECT 1; END")
    with lock_held_elsewhere(tampered):
        assert run("backup", tampered).returncode == 4
        assert run("export", tampered, "--temp").returncode == 4


def test_a_document_being_written_is_still_refused(tmp_path: Path) -> None:
    path = create(tmp_path / "Busy.db", "B")
    Path(f"{path}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(500))
    assert run("backup", path).returncode == 6
    assert run("export", path, "--temp").returncode == 6
