"""A file's identity is its inode: every name of a document meets the one editor's lock."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from app.document import (
    CannotWrite,
    DocumentInUse,
    State,
    inspect,
    open_document,
    ownerlock,
)
from app.document.locking import DocumentLock, holder_of, lock_path
from tests.document.conftest import (
    editing_elsewhere,
    folder_state,
    lock_held_elsewhere,
    start_editor,
)

pytestmark = pytest.mark.skipif(not ownerlock.supported(), reason="needs OFD locks (Linux)")


def title_of(path: Path) -> str | None:
    return inspect(path, ignore_holder=True).title


@pytest.fixture
def aliases(new_document: Callable[..., Path], tmp_path: Path) -> dict[str, Path]:
    """``doc.db`` and every other kind of name for the same file."""
    document = new_document("doc.db", "Doc")
    (tmp_path / "sub").mkdir()
    (tmp_path / "elsewhere").mkdir()
    names = {
        "symlink": tmp_path / "sym.db",
        "hard link": tmp_path / "hard.db",
        "dot-dot": tmp_path / "sub" / ".." / "doc.db",
        "symlink in another folder": tmp_path / "elsewhere" / "sym.db",
        "hard link in another folder": tmp_path / "elsewhere" / "hard.db",
    }
    names["symlink"].symlink_to(document)
    os.link(document, names["hard link"])
    names["symlink in another folder"].symlink_to(Path("..") / "doc.db")
    os.link(document, names["hard link in another folder"])
    return {"document": document, **names}


ALIASES = [
    "symlink",
    "hard link",
    "dot-dot",
    "symlink in another folder",
    "hard link in another folder",
]


@pytest.mark.parametrize("alias", ALIASES)
def test_every_name_of_an_edited_file_meets_the_lock(aliases: dict[str, Path], alias: str) -> None:
    name = aliases[alias]
    with lock_held_elsewhere(aliases["document"]) as pid:
        found = inspect(name)
        assert found.state is State.LOCKED, (alias, found.message)
        if alias == "hard link in another folder":
            # Its holder file is beside the other name, in another folder: the file is still
            # locked, by "another Samplebook".
            assert "another Samplebook" in found.message
        else:
            assert f"process {pid}" in found.message
        with pytest.raises(DocumentInUse):
            DocumentLock.acquire(name)
        with pytest.raises(DocumentInUse):
            open_document(name)
        with open_document(name, read_only=True) as viewer:
            assert viewer.read_only
            with pytest.raises(CannotWrite):
                viewer.save()
    # Once the editor has gone, every name is free again.
    with DocumentLock.acquire(name):
        pass


@pytest.mark.parametrize("alias", ALIASES)
def test_a_lock_taken_through_an_alias_is_seen_through_the_file(
    aliases: dict[str, Path], alias: str
) -> None:
    with lock_held_elsewhere(aliases[alias]) as pid:
        found = inspect(aliases["document"])
        assert found.state is State.LOCKED, (alias, found.message)
        if alias != "hard link in another folder":
            assert f"process {pid}" in found.message
        with pytest.raises(DocumentInUse):
            open_document(aliases["document"])


def test_looking_for_the_holder_writes_nothing(aliases: dict[str, Path], tmp_path: Path) -> None:
    with lock_held_elsewhere(aliases["hard link"]):
        before = folder_state(tmp_path)
        stamps = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
        for name in aliases.values():
            assert holder_of(name) is not None
        assert folder_state(tmp_path) == before
        assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()} == stamps


def test_this_process_is_not_blocked_by_its_own_lock_under_another_name(
    aliases: dict[str, Path],
) -> None:
    with DocumentLock.acquire(aliases["document"]):
        found = inspect(aliases["hard link in another folder"])
        assert found.state is State.CURRENT
        holder = holder_of(aliases["hard link in another folder"])
        assert holder is not None and holder.is_this_process()


def test_the_holder_file_keeps_its_name_and_names_the_file(aliases: dict[str, Path]) -> None:
    document = aliases["document"]
    with lock_held_elsewhere(aliases["symlink"]) as pid:
        # Beside the resolved file, under the name Samplebook 2.1 and LibreOffice use.
        assert lock_path(document).is_file()
        assert not lock_path(aliases["symlink"]).exists()
        holder = holder_of(document)
        assert holder is not None and holder.pid == pid
        info = document.stat()
        assert (holder.device, holder.inode) == (info.st_dev, info.st_ino)


def test_the_lock_moves_with_the_file_on_save_and_save_as(
    new_document: Callable[..., Path], tmp_path: Path
) -> None:
    document = new_document("doc.db")
    other = tmp_path / "other.db"
    with editing_elsewhere(document) as editor:
        before = document.stat().st_ino
        editor.command("save first")
        assert document.stat().st_ino != before  # a save replaces the file…
        late_link = tmp_path / "late.db"
        os.link(document, late_link)  # …and a name made now reaches the new file
        assert inspect(late_link).state is State.LOCKED
        with pytest.raises(DocumentInUse):
            DocumentLock.acquire(late_link)

        editor.command(f"save_as {other}")
        assert title_of(other) == "first"
        other_link = tmp_path / "other-link.db"
        os.link(other, other_link)
        assert inspect(other_link).state is State.LOCKED
        with pytest.raises(DocumentInUse):
            open_document(other_link)
        # The editor moved on: the first document is free.
        with DocumentLock.acquire(document):
            pass


def test_the_owner_lock_never_leaves_the_document_during_saves(
    new_document: Callable[..., Path],
) -> None:
    """Whatever file is at the document's name is owner-locked at every moment of many saves."""
    document = new_document("doc.db")
    with editing_elsewhere(document) as editor:
        stop = threading.Event()
        looks: list[bool | None] = []

        def watch() -> None:
            while not stop.is_set():
                try:
                    fd = os.open(document, os.O_RDONLY)
                except FileNotFoundError:  # pragma: no cover - os.replace never leaves a gap
                    looks.append(None)
                    continue
                try:
                    held = ownerlock.is_held(fd)
                    # Only a look at the file that is still the document afterwards counts: the
                    # file opened may have been replaced (and its lock let go) meanwhile.
                    if os.path.samestat(os.fstat(fd), os.stat(document)):
                        looks.append(held)
                finally:
                    os.close(fd)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            for n in range(25):
                editor.command(f"save {n}")
        finally:
            stop.set()
            watcher.join()
    assert len(looks) > 100
    assert all(looks), f"{looks.count(False)} of {len(looks)} looks found the file unlocked"


def test_the_last_save_wins_race_cannot_happen(aliases: dict[str, Path]) -> None:
    document, hard = aliases["document"], aliases["hard link"]
    with editing_elsewhere(document) as editor:
        with pytest.raises(DocumentInUse):
            open_document(hard)
        with open_document(hard, read_only=True) as viewer:
            with pytest.raises(CannotWrite):
                viewer.save()
            for target in (hard, document, aliases["dot-dot"]):
                with pytest.raises(DocumentInUse):
                    viewer.save_as(target)
        editor.command("save from the editor")
    assert title_of(document) == "from the editor"


def test_a_second_editor_through_the_file_is_told_who_has_it(aliases: dict[str, Path]) -> None:
    with open_document(aliases["hard link"]) as mine:
        assert not mine.read_only
        process, first = start_editor(aliases["document"])
        process.kill()
        process.wait()
    assert first.startswith("refused"), first
    assert f"process {os.getpid()}" in first


def test_saving_through_a_symlink_changes_the_file_and_keeps_the_link(
    aliases: dict[str, Path],
) -> None:
    link = aliases["symlink"]
    with open_document(link) as document:
        with document.transaction() as connection:
            connection.execute("UPDATE document_info SET title = 'through the link'")
        document.save()
    assert link.is_symlink()
    assert title_of(aliases["document"]) == "through the link"
    assert not [p.name for p in link.parent.iterdir() if p.name.startswith(".")]


# -- bind mounts --------------------------------------------------------------------------------

_PROBE = """
import sys
from pathlib import Path
from app.document import DocumentInUse, inspect
from app.document.locking import DocumentLock
path = Path(sys.argv[1])
found = inspect(path)
try:
    DocumentLock.acquire(path).release()
    taken = "taken"
except DocumentInUse:
    taken = "refused"
print(found.state.value, taken, found.message)
"""


def _can_bind_mount(tmp_path: Path) -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    (tmp_path / "m1").mkdir()
    (tmp_path / "m2").mkdir()
    trial = subprocess.run(
        ["unshare", "-m", "mount", "--bind", str(tmp_path / "m1"), str(tmp_path / "m2")],
        capture_output=True,
        check=False,
    )
    return trial.returncode == 0


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_bind_mount_meets_the_lock(
    new_document: Callable[..., Path], tmp_path: Path, what: str
) -> None:
    if not _can_bind_mount(tmp_path):
        pytest.skip("bind mounts need root (or user namespaces) and unshare")
    document = new_document("doc.db")
    mount_point = tmp_path / "mounted"
    mount_point.mkdir()
    if what == "folder":
        source, seen_as = document.parent, mount_point / "doc.db"
    else:
        mount_point = mount_point / "bound.db"
        mount_point.touch()
        source, seen_as = document, mount_point
    # A private mount namespace: the mount disappears with the probe.
    script = 'mount --bind "$1" "$2" && exec "$3" -c "$4" "$5"'
    with lock_held_elsewhere(document) as pid:
        probe = subprocess.run(
            [
                *("unshare", "-m", "sh", "-c", script, "sh"),
                *(str(source), str(mount_point), sys.executable, _PROBE, str(seen_as)),
            ],
            capture_output=True,
            check=False,
            text=True,
            env=os.environ | {"PYTHONPATH": str(Path(__file__).parents[2])},
        )
    assert probe.returncode == 0, probe.stderr
    state, taken, message = probe.stdout.strip().split(" ", 2)
    assert (state, taken) == ("locked", "refused"), message
    if what == "folder":
        assert f"process {pid}" in message  # the holder file is reached through the mount too
