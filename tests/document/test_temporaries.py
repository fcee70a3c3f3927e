"""Temporary files are ours by name, owned by a live process, and swept once it is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.document import backup, create, file_source, open_document, ownerlock, upgrade
from app.document.create import template_path
from app.document.temporaries import (
    SUFFIX,
    Temporary,
    parse_name,
    sweep,
    temporary_name,
    this_host,
)
from app.domain import SampleFilter
from app.domain.export import export_subset
from app.paths import cache_dir
from tests.document.conftest import (
    dead_pid,
    leftovers,
    lock_held_elsewhere,
    plant_temporary,
    temporary_held_elsewhere,
)

needs_owner_locks = pytest.mark.skipif(not ownerlock.supported(), reason="needs OFD locks")


# -- the name ------------------------------------------------------------------------------------


def test_the_name_carries_purpose_process_and_host() -> None:
    name = temporary_name("Notes.db", "save")
    assert name.startswith(".Notes.db.save.") and name.endswith(SUFFIX)
    parsed = parse_name(name)
    assert parsed is not None
    assert (parsed.purpose, parsed.pid, parsed.host, parsed.companion) == (
        "save",
        os.getpid(),
        this_host(),
        "",
    )
    journal = parse_name(name + "-journal")
    assert journal is not None and journal.companion == "-journal"
    assert temporary_name("Notes.db", "save") != name


def test_a_long_or_odd_name_still_makes_a_valid_temporary(tmp_path: Path) -> None:
    long_name = "Ä" * 120 + ".db"  # 243 bytes: the temporary name must stay under 255
    with Temporary.beside(tmp_path / long_name, "save") as temporary:
        assert len(os.fsencode(temporary.path.name)) < 255
        assert parse_name(temporary.path.name) is not None
    odd = "a.b.save.1@x.deadbeef" + SUFFIX + ".db"  # a document named like a temporary
    with Temporary.beside(tmp_path / odd, "save") as temporary:
        parsed = parse_name(temporary.path.name)
        assert parsed is not None and parsed.pid == os.getpid()


@pytest.mark.parametrize(
    "name",
    [
        ".Notes.db.save-1a2b3c4d.tmp",  # Samplebook 2.1's pattern: no process, cannot be judged
        "Notes.db.save.123@host.0123abcd" + SUFFIX,  # not hidden
        ".Notes.db.save.123@host.0123abcd.tmp",
        ".Notes.db.save.0@host.0123abcd" + SUFFIX,
        ".Notes.db.SAVE.123@host.0123abcd" + SUFFIX,
        ".Notes.db.save.123@host.0123abcx" + SUFFIX,
        ".Notes.db.save.123@host.0123abcd" + SUFFIX + "-backup",
        ".Notes.db.save.123@ho st.0123abcd" + SUFFIX,
    ],
)
def test_lookalike_names_are_not_ours(name: str) -> None:
    assert parse_name(name) is None


# -- the owner lock ------------------------------------------------------------------------------

_PROBE = (
    "import os, sys; from app.document import ownerlock;"
    "fd = os.open(sys.argv[1], os.O_RDONLY); print(ownerlock.is_held(fd))"
)


def held_by_someone(path: Path) -> str:
    return subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()


@needs_owner_locks
def test_a_temporary_is_owned_from_birth_and_removed_after(tmp_path: Path) -> None:
    with Temporary.beside(tmp_path / "Notes.db", "save") as temporary:
        assert temporary.path.exists()
        assert held_by_someone(temporary.path) == "True"
        Path(f"{temporary.path}-journal").write_bytes(b"")
        # Another Samplebook sweeping the folder now leaves it alone.
        assert sweep(tmp_path) == []
    assert list(tmp_path.iterdir()) == []


@needs_owner_locks
def test_a_published_temporary_keeps_its_lock_until_handed_over(tmp_path: Path) -> None:
    target = tmp_path / "Notes.db"
    temporary = Temporary.beside(target, "save")
    target.write_bytes(b"old")
    temporary.replace(target)
    assert held_by_someone(target) == "True"
    fd = temporary.hand_over()
    temporary.close()
    assert target.exists()
    assert fd is not None
    os.close(fd)
    assert held_by_someone(target) == "False"


# -- the sweep -----------------------------------------------------------------------------------

_ORPHAN = (
    "import os, sys; from pathlib import Path; from app.document.temporaries import Temporary;"
    "t = Temporary.beside(Path(sys.argv[1]), 'save');"
    "os.write(t._fd, b'SQLite format 3\\x00' + bytes(84));"
    "open(str(t.path) + '-journal', 'wb').close();"
    "print(t.path, flush=True); os.kill(os.getpid(), 9)"
)


def killed_with_a_temporary(target: Path) -> Path:
    """Run a process that makes a temporary (and its journal) beside ``target`` and is killed."""
    child = subprocess.run(
        [sys.executable, "-c", _ORPHAN, str(target)], capture_output=True, text=True, check=False
    )
    assert child.returncode == -signal.SIGKILL
    return Path(child.stdout.strip())


def test_what_a_killed_process_left_is_swept(tmp_path: Path) -> None:
    orphan = killed_with_a_temporary(tmp_path / "Notes.db")
    assert orphan.exists() and Path(f"{orphan}-journal").exists()
    removed = sweep(tmp_path)
    assert orphan in removed
    assert list(tmp_path.iterdir()) == []


def test_a_live_processs_temporary_is_kept(tmp_path: Path) -> None:
    with temporary_held_elsewhere(tmp_path / "Notes.db") as live:
        Path(f"{live}-journal").write_bytes(b"")
        assert sweep(tmp_path) == []
        assert live.exists() and Path(f"{live}-journal").exists()


@needs_owner_locks
def test_a_reused_process_id_does_not_keep_an_orphan(tmp_path: Path) -> None:
    # The name names a running process (this test's parent), but nobody holds the file's lock:
    # its creator has gone and the id belongs to someone else now.
    orphan = plant_temporary(tmp_path, pid=os.getppid())
    assert sweep(tmp_path) == [orphan]


@needs_owner_locks
def test_a_live_owner_is_believed_whatever_its_name_says(tmp_path: Path) -> None:
    with temporary_held_elsewhere(tmp_path / "Notes.db") as live:
        misnamed = live.with_name(live.name.replace(f".{_pid_in(live)}@", f".{dead_pid()}@"))
        os.rename(live, misnamed)
        assert sweep(tmp_path) == []
        assert misnamed.exists()


def _pid_in(path: Path) -> int:
    parsed = parse_name(path.name)
    assert parsed is not None
    return parsed.pid


def test_nothing_that_is_not_ours_is_touched(tmp_path: Path) -> None:
    user_file = tmp_path / "Notes.db"
    user_file.write_bytes(b"precious")
    keep = {
        "old release's leftover": tmp_path / ".Notes.db.save-1a2b3c4d.tmp",
        "lookalike": tmp_path / ".Notes.db.save-4242@host.tmp",
        "user file": user_file,
    }
    keep["old release's leftover"].write_bytes(b"SQLite format 3\x00")
    keep["lookalike"].write_bytes(b"SQLite format 3\x00")
    keep["text named like ours"] = plant_temporary(tmp_path, content=b"my notes, not a database")
    keep["other host's"] = plant_temporary(tmp_path, host="another-host.example.org")
    keep["this process's"] = plant_temporary(tmp_path, pid=os.getpid())
    link = plant_temporary(tmp_path, name="Link.db")
    link.unlink()
    link.symlink_to(user_file)
    keep["symlink named like ours"] = link
    folder = plant_temporary(tmp_path, name="Folder.db")
    folder.unlink()
    folder.mkdir()
    keep["folder named like ours"] = folder
    libreoffice = tmp_path / ".~lock.Report.odt#"
    libreoffice.write_text(",ana,lab-pc,01.12.2026 14:05,file:///home/ana/.config/libreoffice/4;")
    keep["LibreOffice's lock file"] = libreoffice
    keep["other host's lock file"] = tmp_path / ".~lock.Shared.db#"
    keep["other host's lock file"].write_text(
        '{"pid": 1, "host": "another-host", "app": "Samplebook 2.1.0", "user": "bo", "since": ""}'
    )

    assert sweep(tmp_path) == []
    for what, path in keep.items():
        assert path.exists() or path.is_symlink(), what
    assert user_file.read_bytes() == b"precious"


def test_companions_go_with_their_temporary_or_alone(tmp_path: Path) -> None:
    orphan = plant_temporary(tmp_path)
    for suffix in ("-journal", "-wal", "-shm"):
        Path(f"{orphan}{suffix}").write_bytes(b"x")
    lone = plant_temporary(tmp_path, name="Gone.db")
    lone.unlink()
    Path(f"{lone}-journal").write_bytes(b"x")
    assert len(sweep(tmp_path)) == 2
    assert list(tmp_path.iterdir()) == []


def test_a_stale_lock_file_is_swept_a_held_one_kept(
    new_document: Callable[..., Path], tmp_path: Path
) -> None:
    stale, held = new_document("stale.db"), new_document("held.db")
    with lock_held_elsewhere(stale):
        pass  # killed: its lock file stays behind, held by nobody
    with lock_held_elsewhere(held):
        assert sweep(tmp_path) == [tmp_path / ".~lock.stale.db#"]
        assert (tmp_path / ".~lock.held.db#").exists()


def test_an_empty_lock_file_is_swept_only_beside_a_samplebook_document(
    new_document: Callable[..., Path], tmp_path: Path
) -> None:
    """Killed between creating its holder file and writing it: an empty ``.~lock.NAME#``."""
    ours = new_document("ours.db")
    (tmp_path / "letter.odt").write_bytes(b"PK\x03\x04 a word processor's file")
    for name in ("ours.db", "letter.odt", "gone.db"):
        (tmp_path / f".~lock.{name}#").touch()
    assert sweep(tmp_path) == [tmp_path / f".~lock.{ours.name}#"]
    assert (tmp_path / ".~lock.letter.odt#").exists()  # not provably ours: left alone
    assert (tmp_path / ".~lock.gone.db#").exists()


def test_a_folder_that_cannot_be_read_is_left_alone(tmp_path: Path) -> None:
    assert sweep(tmp_path / "missing") == []
    assert sweep(tmp_path / "file-not-folder") == []


# -- every operation that writes into a folder sweeps it ---------------------------------------


def _plant_both(folder: Path) -> tuple[Path, Path]:
    return plant_temporary(folder, name="Other.db"), plant_temporary(
        folder, name="Notes.db", content=b"not a database"
    )


OPERATIONS: dict[str, Callable[[Path, Path], object]] = {
    "new": lambda folder, _document: create(folder / "new.db"),
    "open": lambda _folder, document: open_document(document).close(),
    "save": lambda _folder, document: _save(document),
    "save as": lambda folder, document: _save_as(document, folder / "copy.db"),
    "backup": lambda _folder, document: backup(document),
    "export": lambda folder, document: _export(document, folder / "subset.db"),
}


def _save(document: Path) -> None:
    opened = open_document(document)
    try:
        with opened.transaction() as connection:
            connection.execute("UPDATE document_info SET title = 'saved'")
        # Planted after opening: only the save itself can remove it.
        orphan = plant_temporary(document.parent, name="Late.db")
        opened.save()
        assert not orphan.exists()
    finally:
        opened.close()


def _save_as(document: Path, target: Path) -> None:
    with open_document(document) as opened:
        target_folder = target.parent
        target_folder.mkdir(exist_ok=True)
        orphan = plant_temporary(target_folder, name="Late.db")
        opened.save_as(target)
        assert not orphan.exists()


def _export(document: Path, target: Path) -> None:
    with file_source(document) as source:
        export_subset(source, SampleFilter(), target)


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_every_writing_operation_sweeps_its_folder(
    new_document: Callable[..., Path], tmp_path: Path, operation: str
) -> None:
    document = new_document("Notes.db")
    orphan, lookalike = _plant_both(tmp_path)
    with temporary_held_elsewhere(document) as live:
        OPERATIONS[operation](tmp_path, document)
        assert not orphan.exists()
        assert lookalike.exists() and live.exists()
    # Only the operation's own results are left (the live process's file went with it: killed).
    assert [name for name in leftovers(tmp_path) if name != live.name] == [lookalike.name]


def test_upgrade_sweeps_the_documents_folder(fixture_copy: Callable[[str], Path]) -> None:
    document = fixture_copy("1.0")
    orphan = plant_temporary(document.parent, name=document.name, purpose="upgrade")
    upgrade(document, backup=False)
    assert not orphan.exists()


def test_samplebooks_own_folders_are_swept_too(fixture_copy: Callable[[str], Path]) -> None:
    cache_orphan = plant_temporary(cache_dir(), name="export-source.db", purpose="source")
    templates = template_path().parent
    template_orphan = plant_temporary(templates, name=template_path().name, purpose="build")
    with file_source(fixture_copy("1.0")):
        assert not cache_orphan.exists()
        # The upgraded export source is a temporary of this process, in the cache folder.
        mine = [parse_name(p.name) for p in cache_dir().iterdir()]
        assert any(m is not None and m.pid == os.getpid() and m.purpose == "source" for m in mine)
    assert not [p for p in cache_dir().iterdir() if parse_name(p.name) is not None]
    create(fixture_copy("1.0").parent / "new.db")  # uses the template
    assert not template_orphan.exists()


def test_an_empty_file_is_removed_once_its_process_is_gone(tmp_path: Path) -> None:
    # Empty and unlocked: its creator may be between creating and locking it, so only a process
    # id that no longer exists proves it an orphan.
    being_made = plant_temporary(tmp_path, name="Live.db", pid=os.getppid(), content=b"")
    orphan = plant_temporary(tmp_path, name="Dead.db", content=b"")
    assert sweep(tmp_path) == [orphan]
    assert being_made.exists()


_CREATE_MANY = """
import os, sys
from pathlib import Path
from app.document.temporaries import Temporary
folder, lost = Path(sys.argv[1]), 0
for _ in range(int(sys.argv[2])):
    with Temporary.beside(folder / "Notes.db", "save") as temporary:
        os.write(temporary._fd, b"SQLite format 3\\x00" + bytes(84))
        if not os.path.samestat(os.fstat(temporary._fd), os.lstat(temporary.path)):
            lost += 1
print(lost)
"""


@needs_owner_locks
def test_sweeping_while_another_process_creates_temporaries_never_takes_one(
    tmp_path: Path,
) -> None:
    creator = subprocess.Popen(
        [sys.executable, "-c", _CREATE_MANY, str(tmp_path), "3000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    sweeps, removed = 0, []
    while creator.poll() is None:
        removed += sweep(tmp_path)
        sweeps += 1
    assert creator.stdout is not None
    assert creator.stdout.read().strip() == "0"  # every temporary stayed its creator's
    assert removed == []
    assert sweeps > 10
