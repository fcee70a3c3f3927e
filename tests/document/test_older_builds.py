"""The releases a copy is for accept it: Samplebook 2.0 and 2.1 themselves, from this repository.

Those releases were built from the commits below; their code is taken out of the repository's
history (``git archive``, nothing checked out) and asked, in a subprocess, what they make of the
copies this build writes. A copy for its own release must be a ``current`` document they open,
a copy for an older release an ``outdated`` one they can upgrade. Without the repository's
history (an export of the sources, a shallow clone) the test is skipped.

It also pins why a copy's rows are moved into a document the migrations built: the downgraded
file itself is "changed outside Samplebook" for these releases (they compare the stored SQL
text, and allow no ``sqlite_sequence``).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.document.downgrade import downgrade_in_place
from app.document.older_copy import copy_for
from app.document.releases import HEAD_RELEASE, RELEASE_OF_REVISION

ROOT = Path(__file__).resolve().parents[2]
#: The last commit of each release.
RELEASED = {
    "2.0": "c5a3654b103be40e084aae9b5660f0af3fa8940c",
    "2.1": "4aad4015d309a906a89930df2fefb67597dc3529",
}
REVISION_OF = {release: revision for revision, release in RELEASE_OF_REVISION.items()}

_ASK = """
import json, sys
from pathlib import Path
from app.document import inspect, open_document
answers = {}
for name in sys.argv[1:]:
    found = inspect(Path(name))
    opened = False
    if found.state.value == "current":
        open_document(Path(name)).close()
        opened = True
    answers[Path(name).name] = [found.state.value, found.release, opened, found.problems]
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """release → a folder with the sources that release was built from."""
    folders: dict[str, Path] = {}

    def sources(release: str) -> Path:
        if release not in folders:
            commit = RELEASED[release]
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "app", "migrations"],
                capture_output=True,
                check=False,
            )
            if archive.returncode != 0:
                pytest.skip(f"the commit Samplebook {release} was built from is not here")
            folder = tmp_path_factory.mktemp(f"samplebook-{release}")
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(folder, filter="data")
            folders[release] = folder
        return folders[release]

    return sources


def ask(build: Path, home: Path, *paths: Path) -> dict[str, list[object]]:
    done = subprocess.run(
        [sys.executable, "-c", _ASK, *map(str, paths)],
        cwd=build,
        env=os.environ | {"PYTHONPATH": str(build), "SAMPLEBOOK_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout.splitlines()[-1])
    assert isinstance(answers, dict)
    return answers


@pytest.mark.parametrize("release", list(RELEASED))
def test_the_release_opens_its_copy_and_can_upgrade_older_ones(
    released: Callable[[str], Path],
    fixture_copy: Callable[[str], Path],
    tmp_path: Path,
    release: str,
) -> None:
    source = fixture_copy(HEAD_RELEASE)
    releases = list(RELEASE_OF_REVISION.values())
    older = releases[: releases.index(release)]
    for name in [*older, release]:
        copy_for(source, tmp_path / f"for-{name}.db", name)
    answers = ask(
        released(release),
        tmp_path / "home",
        *(tmp_path / f"for-{name}.db" for name in [*older, release]),
    )
    assert answers[f"for-{release}.db"] == ["current", release, True, []]
    for name in older:
        assert answers[f"for-{name}.db"] == ["outdated", name, False, []]


@pytest.mark.parametrize("release", list(RELEASED))
def test_the_downgraded_file_itself_would_be_refused(
    released: Callable[[str], Path],
    fixture_copy: Callable[[str], Path],
    tmp_path: Path,
    release: str,
) -> None:
    downgraded = fixture_copy(HEAD_RELEASE)
    downgrade_in_place(downgraded, REVISION_OF[release])
    answers = ask(released(release), tmp_path / "home", downgraded)
    state, _release, _opened, problems = answers[downgraded.name]
    assert state == "tampered"
    assert "extra table 'sqlite_sequence'" in problems
    assert "changed table 'document_info'" in problems
