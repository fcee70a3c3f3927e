"""The releases a copy is for accept it: Samplebook 2.0 and 2.1 themselves, from this repository.

Those releases were built from the commits below; their code is taken out of the repository's
history (``git archive``, nothing checked out) and asked, in a subprocess, what they make of the
copies this build writes. A copy for its own release must be a ``current`` document they open
and show as this build expects, a copy for an older release an ``outdated`` one they upgrade
and then show. (No build of a 1.x release is in the history: what 2.0 makes of copies for 1.x
stands in for them, besides their schemas being exactly the recorded ones.) Without the repository's
history (an export of the sources, a shallow clone) the test is skipped.

It also pins why a copy's rows are moved into a document the migrations built: the downgraded
file itself is "changed outside Samplebook" for these releases (they compare the stored SQL
text, and allow no ``sqlite_sequence``).
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Callable
from contextlib import closing
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
from app.document import inspect, open_document, upgrade
from app.domain import list_measurements, page_samples
answers, reads = {}, {}
for name in sys.argv[1:]:
    found = inspect(Path(name))
    opened = False
    if found.state.value == "outdated":
        # A copy for a release older still: this release upgrades it (and then reads it).
        upgrade(Path(name), backup=False)
    if inspect(Path(name)).state.value == "current":
        with open_document(Path(name)) as document:
            # What the release shows: every sample as its list pages them (sorted by the
            # measurement count, which 2.2 stores and older releases count), and its measurements.
            samples = page_samples(document.connection, sort="measurement_count", limit=10**6)
            reads[Path(name).name] = [
                [s.code, sorted(s.tags), s.measurement_count,
                 sorted([m.quantity, m.value, m.unit]
                        for m in list_measurements(document.connection, s.id))]
                for s in samples
            ]
        opened = True
    answers[Path(name).name] = [found.state.value, found.release, opened, found.problems]
print(json.dumps({"answers": answers, "reads": reads}))
"""


def shown_by_the_release(source: Path) -> list[list[object]]:
    """What an older release must show of a 2.2 document, computed from the source itself: every
    sample with its tags, and its measurements except those not detected, values without their
    qualifiers and uncertainties."""
    with closing(sqlite3.connect(source)) as db:
        tags: dict[int, list[str]] = {}
        for sample_id, name in db.execute(
            "SELECT sample_id, name FROM sample_tag JOIN tag ON tag.id = tag_id"
        ):
            tags.setdefault(sample_id, []).append(name)
        measurements: dict[int, list[list[object]]] = {}
        for sample_id, quantity, value, unit in db.execute(
            "SELECT sample_id, quantity, value, unit FROM measurement WHERE qualifier IS NOT 'nd'"
        ):
            measurements.setdefault(sample_id, []).append([quantity, value, unit])
        samples = db.execute("SELECT id, code FROM sample").fetchall()
    return sorted(
        [
            code,
            sorted(tags.get(i, [])),
            len(measurements.get(i, [])),
            sorted(measurements.get(i, [])),
        ]
        for i, code in samples
    )


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


def ask(build: Path, home: Path, *paths: Path) -> dict[str, dict[str, list[object]]]:
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
    told = ask(
        released(release),
        tmp_path / "home",
        *(tmp_path / f"for-{name}.db" for name in [*older, release]),
    )
    answers, reads = told["answers"], told["reads"]
    assert answers[f"for-{release}.db"] == ["current", release, True, []]
    expected = shown_by_the_release(source)
    for name in older:
        # Outdated for this release, and upgraded by it into a document it shows: every sample,
        # every measurement the copy kept (1.x copies hold tags as text, which the upgrade splits).
        assert answers[f"for-{name}.db"] == ["outdated", name, True, []]
        upgraded = reads[f"for-{name}.db"]
        assert [row[0] for row in sorted(upgraded)] == [row[0] for row in expected]
        assert [row[3] for row in sorted(upgraded)] == [row[3] for row in expected]
    shown = reads[f"for-{release}.db"]
    # In the release's own order: by measurement count, the count it shows being what it lists.
    counts = [row[2] for row in shown]
    assert counts == sorted(counts) and all(row[2] == len(row[3]) for row in shown)
    assert sorted(shown) == expected


@pytest.mark.parametrize("release", list(RELEASED))
def test_the_downgraded_file_itself_would_be_refused(
    released: Callable[[str], Path],
    fixture_copy: Callable[[str], Path],
    tmp_path: Path,
    release: str,
) -> None:
    downgraded = fixture_copy(HEAD_RELEASE)
    downgrade_in_place(downgraded, REVISION_OF[release])
    answers = ask(released(release), tmp_path / "home", downgraded)["answers"]
    state, _release, _opened, problems = answers[downgraded.name]
    assert state == "tampered"
    assert "extra table 'sqlite_sequence'" in problems
    assert "changed table 'document_info'" in problems
