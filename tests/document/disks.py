"""Real small and read-only file systems for tests of failing writes.

They mount tmpfs, so they run where the tests run as root with mount permission (CI and the
development machines); elsewhere the tests that use them are skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

#: The file ``fill_up`` writes; folder comparisons leave it out.
BALLAST = "ballast"


def _mount(target: Path, size_kb: int) -> bool:
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(target)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """Mount tmpfs file systems of a given size (in KiB) for one test."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root and mount to make a small or read-only file system")
    mounted: list[Path] = []

    def make(size_kb: int) -> Path:
        target = tmp_path / f"disk{len(mounted)}"
        target.mkdir()
        if not _mount(target, size_kb):
            pytest.skip("mount is not permitted here")
        mounted.append(target)
        return target

    yield make
    for target in reversed(mounted):
        subprocess.run(["umount", "-l", str(target)], check=False)


def remount_read_only(target: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(target)], check=True)


def fill_up(folder: Path, leave: int = 0) -> None:
    """Use up the free space of ``folder``'s file system, leaving about ``leave`` bytes."""
    stats = os.statvfs(folder)
    fd = os.open(folder / BALLAST, os.O_WRONLY | os.O_CREAT)
    try:
        if leave:
            free = stats.f_bavail * stats.f_frsize
            os.write(fd, bytes(max(0, free - leave)))
            return
        for chunk in (64 * 1024, 1024, 1):
            try:
                while True:
                    os.write(fd, bytes(chunk))
            except OSError:
                pass
    finally:
        os.close(fd)


def empty_out(folder: Path) -> None:
    """Give the space ``fill_up`` took back."""
    (folder / BALLAST).unlink(missing_ok=True)
