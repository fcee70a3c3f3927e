"""Smoke test of the frozen Linux build, run by .ci/run after the tests.

    uv run --group freeze python freeze/smoke.py [--no-build] [--keep]

1. Builds the folder, tarball and .deb (freeze/build.py), unless --no-build.
2. Unpacks the .deb with ``dpkg -x`` into a temporary root and, only with the frozen executables
   from there (through the /usr/bin launchers), checks: ``--version``; ``info --json`` on every
   release fixture and on bad files; ``check`` exit codes; ``upgrade`` of a copy of the 1.0
   fixture with its read-only backup; ``new``; ``backup``; ``export --temp``; ``import`` (CSV
   and .xlsx), ``export-table`` and their round trip (freeze/smoke_data.py);
   that a copy of the install whose migrations lost ``versions/`` (or just the head revision)
   refuses to upgrade; and the GUI offscreen with ``--smoke OUT.png`` on a document, the PNG
   being a real rendering (size, colours, not blank), and ``--smoke-plot`` drawing a plot with
   the frozen pyqtgraph, saved as a PNG that must be a real rendering too.
3. Checks the package: Depends, the .desktop entry, icons, the MIME type (recognised by content
   with shared-mime-info and gio when installed), the relocatable tarball, and that nothing was
   written into the unpacked tree (no __pycache__).
4. Prints the sizes of the folder, tarball and .deb.

Exit status 0 only if every check passed. Runtime data goes to a temporary SAMPLEBOOK_HOME.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pngcheck  # noqa: E402
import smoke_data  # noqa: E402
from config import APP_ID, APPLICATION_ID, MIME_TYPE, ROOT, project_version  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "documents"
#: Release fixtures that must exist; any later release-X.Y.db in FIXTURES is checked too.
REQUIRED_RELEASES = ("1.0", "1.1", "1.2", "2.0")
TIMEOUT = 300


class Smoke:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.failures: list[str] = []
        self.passed = 0
        self.require_tools = False
        home = work / "home"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "VIRTUAL_ENV", "UV_", "QT_"))
            and key != "LD_LIBRARY_PATH"
        }
        self.env.update(
            SAMPLEBOOK_HOME=str(home),
            HOME=str(work / "user"),
            XDG_CONFIG_HOME=str(work / "user" / ".config"),
            XDG_CACHE_HOME=str(work / "user" / ".cache"),
            XDG_DATA_HOME=str(work / "user" / ".local" / "share"),
            XDG_RUNTIME_DIR=str(work / "runtime"),
            QT_QPA_PLATFORM="offscreen",
            LC_ALL="C.UTF-8",
        )
        (work / "runtime").mkdir(mode=0o700)

    def skip(self, text: str) -> None:
        """An optional desktop tool is missing: a failure with --require-tools (as in CI)."""
        if self.require_tools:
            self.fail(f"{text} (--require-tools)")
        else:
            print(f"  skip  {text}", flush=True)

    def ok(self, text: str) -> None:
        self.passed += 1
        print(f"  ok    {text}", flush=True)

    def fail(self, text: str) -> None:
        self.failures.append(text)
        print(f"  FAIL  {text}", flush=True)

    def expect(self, condition: bool, text: str, detail: str = "") -> bool:
        if condition:
            self.ok(text)
        else:
            self.fail(f"{text}{': ' + detail if detail else ''}")
        return condition

    def run(
        self, command: Sequence[str | Path], timeout: int = TIMEOUT
    ) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                [str(part) for part in command],
                capture_output=True,
                text=True,
                env=self.env,
                cwd=self.work,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            return subprocess.CompletedProcess(error.cmd, 124, "", f"timed out after {timeout}s")


def section(title: str) -> None:
    print(f"\n== {title}", flush=True)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def short(text: str, limit: int = 600) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + " …"


def human(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def tree_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def info(smoke: Smoke, cli: Path, path: Path) -> dict[str, object] | None:
    result = smoke.run([cli, "info", path, "--json"])
    if result.returncode != 0:
        smoke.fail(f"info --json {path.name}: exit {result.returncode}: {short(result.stderr)}")
        return None
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        smoke.fail(f"info --json {path.name}: not JSON ({error}): {short(result.stdout)}")
        return None
    return data if isinstance(data, dict) else None


# --- the checks ----------------------------------------------------------------------------------


def check_package(smoke: Smoke, deb: Path, root: Path) -> None:
    section("package")
    fields = subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Package", "Version", "Architecture", "Depends"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    smoke.expect(
        f"Version: {project_version()}" in fields, "control Version matches pyproject.toml"
    )
    for package in (
        "libegl1",
        "libgl1",
        "libxkbcommon0",
        "libfontconfig1",
        "libdbus-1-3",
        "libglib2.0-0",
        "libxcb-cursor0",
        "libxkbcommon-x11-0",
        "libc6 (>=",
    ):
        smoke.expect(package in fields, f"Depends names {package}", short(fields))
    expected = [
        "opt/samplebook/samplebook",
        "opt/samplebook/samplebook-doc",
        "opt/samplebook/lib/migrations/env.py",
        "opt/samplebook/lib/migrations/script.py.mako",
        "opt/samplebook/resources/guide/index.html",
        "usr/share/applications/samplebook.desktop",
        "usr/share/mime/packages/samplebook.xml",
        "usr/share/icons/hicolor/scalable/apps/samplebook.svg",
        "usr/share/icons/hicolor/48x48/apps/samplebook.png",
        "usr/share/icons/hicolor/256x256/apps/samplebook.png",
        "usr/share/doc/samplebook/copyright",
    ]
    missing = [name for name in expected if not (root / name).is_file()]
    smoke.expect(
        not missing,
        "package files present (executables, migrations, user guide, desktop, MIME, icons)",
        ", ".join(missing),
    )
    versions = sorted(
        p.name for p in (root / "opt/samplebook/lib/migrations/versions").glob("*.py")
    )
    source = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    smoke.expect(
        versions == source and bool(source), f"{len(versions)} migration scripts shipped as files"
    )
    for name in ("samplebook", "samplebook-doc"):
        link = root / "usr" / "bin" / name
        smoke.expect(
            link.is_symlink() and link.resolve() == (root / "opt/samplebook" / name).resolve(),
            f"/usr/bin/{name} launches /opt/samplebook/{name}",
        )

    desktop = root / "usr/share/applications/samplebook.desktop"
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(
            ["desktop-file-validate", str(desktop)], capture_output=True, text=True, check=False
        )
        smoke.expect(
            result.returncode == 0 and "error" not in result.stdout,
            "desktop-file-validate",
            short(result.stdout + result.stderr),
        )
    else:
        smoke.skip("desktop-file-validate not installed (apt-get install desktop-file-utils)")
    text = desktop.read_text(encoding="utf-8")
    smoke.expect(
        f"MimeType={MIME_TYPE};" in text and "Icon=samplebook" in text,
        ".desktop names MIME type and icon",
    )
    mime = root / "usr/share/mime/packages/samplebook.xml"
    if shutil.which("xmllint"):
        result = subprocess.run(
            ["xmllint", "--noout", str(mime)], capture_output=True, text=True, check=False
        )
        smoke.expect(result.returncode == 0, "MIME XML well-formed (xmllint)", short(result.stderr))
    else:
        smoke.skip("xmllint not installed (apt-get install libxml2-utils)")


def check_mime(smoke: Smoke, root: Path, samples: dict[str, tuple[Path, str]]) -> None:
    section("MIME type by content (shared-mime-info)")
    if not (shutil.which("update-mime-database") and shutil.which("gio")):
        smoke.skip(
            "MIME check needs update-mime-database and gio "
            "(apt-get install shared-mime-info libglib2.0-bin)"
        )
        return
    data = smoke.work / "mime-data"
    (data / "mime" / "packages").mkdir(parents=True)
    shutil.copy(
        root / "usr/share/mime/packages/samplebook.xml", data / "mime/packages/samplebook.xml"
    )
    result = subprocess.run(
        ["update-mime-database", str(data / "mime")], capture_output=True, text=True, check=False
    )
    if not smoke.expect(
        result.returncode == 0, "update-mime-database accepts samplebook.xml", short(result.stderr)
    ):
        return
    env = {**smoke.env, "XDG_DATA_HOME": str(data), "XDG_DATA_DIRS": "/usr/local/share:/usr/share"}
    for label, (path, expected) in samples.items():
        result = subprocess.run(
            ["gio", "info", "-a", "standard::content-type", str(path)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        found = next(
            (
                line.rpartition("content-type:")[2].strip()
                for line in result.stdout.splitlines()
                if "content-type" in line
            ),
            result.stderr.strip(),
        )
        smoke.expect(found == expected, f"{label} ({path.name}) is {expected}", f"got {found}")


def _releases() -> ModuleType:
    """The release constants the build was made with (app/document/releases.py)."""
    sys.path.insert(0, str(ROOT))
    from app.document import releases  # noqa: PLC0415

    return releases


def check_cli(smoke: Smoke, cli: Path) -> dict[str, Path]:
    """Every verb of the frozen samplebook-doc; returns the documents it made, for later checks."""
    section("samplebook-doc (frozen, from the unpacked .deb)")
    docs = smoke.work / "docs"
    docs.mkdir()
    backups = smoke.work / "backups"
    backups.mkdir()
    check_version(smoke, cli)
    originals = check_info_and_check(smoke, cli, docs)
    text, foreign = check_refusals(smoke, cli, docs)
    upgraded = check_upgrade(smoke, cli, docs, backups, originals)
    new = check_new(smoke, cli, docs)
    check_backup(smoke, cli, new, backups)
    check_export(smoke, cli, upgraded)
    return {"upgraded": upgraded, "new": new, "foreign": foreign, "text": text}


def check_version(smoke: Smoke, cli: Path) -> None:
    version = project_version()
    result = smoke.run([cli, "--version"])
    smoke.expect(
        result.returncode == 0 and result.stdout.strip() == f"Samplebook {version}",
        f"--version says Samplebook {version}",
        short(result.stdout + result.stderr),
    )


def check_info_and_check(smoke: Smoke, cli: Path, docs: Path) -> dict[str, dict[str, object]]:
    """``info --json`` and ``check`` on a copy of every release fixture; returns what info said."""
    releases = _releases()
    revision_of = {release: rev for rev, release in releases.RELEASE_OF_REVISION.items()}
    originals: dict[str, dict[str, object]] = {}
    releases_to_check = [
        release
        for release in dict.fromkeys(releases.RELEASE_OF_REVISION.values())
        if release in REQUIRED_RELEASES or (FIXTURES / f"release-{release}.db").is_file()
    ]
    for release in releases_to_check:
        fixture = FIXTURES / f"release-{release}.db"
        if not smoke.expect(fixture.is_file(), f"fixture release-{release}.db exists"):
            continue
        copy = docs / fixture.name
        shutil.copyfile(fixture, copy)
        before = digest(copy)
        data = info(smoke, cli, copy)
        if data is None:
            continue
        originals[release] = data
        state = "current" if release == releases.HEAD_RELEASE else "outdated"
        smoke.expect(
            data.get("state") == state
            and data.get("revision") == revision_of.get(release)
            and data.get("head") == releases.HEAD_REVISION
            and data.get("release") == release,
            f"info --json release-{release}: {state}, revision {revision_of.get(release)}",
            short(json.dumps({k: data.get(k) for k in ("state", "revision", "head", "release")})),
        )
        smoke.expect(digest(copy) == before, f"info left release-{release}.db unchanged")
        code = smoke.run([cli, "check", copy]).returncode
        smoke.expect(
            code == (0 if state == "current" else 8), f"check release-{release}: exit {code}"
        )
    return originals


def check_refusals(smoke: Smoke, cli: Path, docs: Path) -> tuple[Path, Path]:
    """A text file and another program's database: named, refused with exit 3; returns both."""
    bad = docs / "notes.db"
    bad.write_text("not a database\n", encoding="utf-8")
    foreign = docs / "other.db"
    import sqlite3  # noqa: PLC0415

    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE t (x)")
    connection.close()
    for path, state in ((bad, "not_sqlite"), (foreign, "foreign")):
        data = info(smoke, cli, path)
        smoke.expect(
            data is not None and data.get("state") == state,
            f"info --json {path.name}: {state}",
            short(json.dumps(data)),
        )
        result = smoke.run([cli, "check", path])
        smoke.expect(
            result.returncode == 3,
            f"check {path.name}: exit 3 (not a document)",
            f"exit {result.returncode} {short(result.stderr)}",
        )
    result = smoke.run([cli, "upgrade", bad])
    smoke.expect(
        result.returncode == 3,
        "upgrade of a text file refuses with exit 3",
        f"exit {result.returncode} {short(result.stderr)}",
    )
    return bad, foreign


def check_upgrade(
    smoke: Smoke,
    cli: Path,
    docs: Path,
    backups: Path,
    originals: dict[str, dict[str, object]],
) -> Path:
    """Upgrade a copy of 1.0 with its backup in --backup-dir, then again; returns the copy."""
    releases = _releases()
    revision_of = {release: rev for rev, release in releases.RELEASE_OF_REVISION.items()}
    target = docs / "upgraded-from-1.0.db"
    shutil.copyfile(FIXTURES / "release-1.0.db", target)
    started = time.monotonic()
    result = smoke.run([cli, "upgrade", target, "--backup-dir", backups])
    smoke.expect(
        result.returncode == 0,
        f"upgrade 1.0 copy: exit 0 ({time.monotonic() - started:.1f}s)",
        f"exit {result.returncode}: {short(result.stdout + result.stderr)}",
    )
    backup_line = next(
        (line for line in result.stdout.splitlines() if line.startswith("Backup: ")), None
    )
    backup = Path(backup_line.removeprefix("Backup: ").strip()) if backup_line else None
    if smoke.expect(
        backup is not None and backup.is_file(),
        "upgrade printed 'Backup: PATH' and it exists",
        short(result.stdout),
    ):
        assert backup is not None
        smoke.expect(backup.parent.resolve() == backups.resolve(), "backup is in --backup-dir")
        smoke.expect(
            not os.stat(backup).st_mode & 0o222, "backup is read-only", oct(os.stat(backup).st_mode)
        )
        smoke.expect(
            digest(backup) == digest(FIXTURES / "release-1.0.db")
            or (info(smoke, cli, backup) or {}).get("revision") == revision_of["1.0"],
            "backup holds the 1.0 document",
        )
    data = info(smoke, cli, target)
    if data is not None:
        smoke.expect(
            data.get("state") == "current" and data.get("revision") == releases.HEAD_REVISION,
            f"upgraded copy is current at {releases.HEAD_REVISION}",
            short(json.dumps({k: data.get(k) for k in ("state", "revision", "problems")})),
        )
        before = (originals.get("1.0") or {}).get("counts") or {}
        after = data.get("counts") or {}
        smoke.expect(
            data.get("state") == "current"
            and isinstance(before, dict)
            and isinstance(after, dict)
            and before.get("samples") == after.get("samples")
            and bool(after.get("samples")),
            f"upgrade kept the samples ({before.get('samples') if isinstance(before, dict) else '?'})",
            f"before {before}, after {after}",
        )
    smoke.expect(smoke.run([cli, "check", target]).returncode == 0, "check upgraded copy: exit 0")
    result = smoke.run([cli, "upgrade", target, "--no-backup"])
    smoke.expect(
        result.returncode == 0 and "already current" in result.stdout,
        "second upgrade: already current",
        short(result.stdout + result.stderr),
    )
    return target


def check_new(smoke: Smoke, cli: Path, docs: Path) -> Path:
    """``new --title``: a current document with its title and our application id."""
    releases = _releases()
    new = docs / "new.db"
    result = smoke.run([cli, "new", new, "--title", "Smoke test"])
    smoke.expect(
        result.returncode == 0 and new.is_file(),
        "new: exit 0, file created",
        f"exit {result.returncode}: {short(result.stdout + result.stderr)}",
    )
    if new.is_file():
        data = info(smoke, cli, new) or {}
        smoke.expect(
            data.get("state") == "current"
            and data.get("title") == "Smoke test"
            and data.get("revision") == releases.HEAD_REVISION,
            "new document is current with its title",
            short(json.dumps(data)),
        )
        header = new.read_bytes()[:72]
        smoke.expect(
            header.startswith(b"SQLite format 3\0")
            and int.from_bytes(header[68:72], "big") == APPLICATION_ID,
            "new document has application id 0x536D7042 at byte 68",
        )
    return new


def check_backup(smoke: Smoke, cli: Path, document: Path, backups: Path) -> None:
    result = smoke.run([cli, "backup", document, "--to", backups])
    made = Path(result.stdout.strip()) if result.returncode == 0 else None
    smoke.expect(
        made is not None and made.is_file() and not os.stat(made).st_mode & 0o222,
        "backup: read-only copy made",
        short(result.stdout + result.stderr),
    )


def check_export(smoke: Smoke, cli: Path, source: Path) -> None:
    """``export --temp`` prints the path of a new, current document."""
    help_text = smoke.run([cli, "--help"]).stdout
    if not smoke.expect(
        "export" in help_text.split("COMMAND", 1)[-1], "samplebook-doc --help lists export"
    ):
        return
    result = smoke.run([cli, "export", source, "--temp"])
    smoke.expect(
        result.returncode == 0 and result.stdout.strip() != "",
        "export --temp: exit 0 with output",
        f"exit {result.returncode}: {short(result.stdout + result.stderr)}",
    )
    lines = result.stdout.strip().splitlines()
    produced = Path(lines[-1].split(": ", 1)[-1].strip()) if lines else None
    if smoke.expect(
        produced is not None and produced.is_file(),
        "export --temp printed the path of a new document",
        short(result.stdout),
    ):
        assert produced is not None
        data = info(smoke, cli, produced) or {}
        smoke.expect(
            data.get("state") == "current",
            f"exported {produced.name} is current",
            short(json.dumps(data)),
        )


def check_broken_install(smoke: Smoke, opt: Path) -> None:
    section("an installation that lost its schema history must refuse to touch documents")
    sys.path.insert(0, str(ROOT))
    from app.document.releases import HEAD_REVISION as head  # noqa: PLC0415

    for label, damage in (
        ("versions/ deleted", lambda m: shutil.rmtree(m / "versions")),
        (
            "head revision deleted",
            lambda m: [p.unlink() for p in (m / "versions").glob(f"{head}_*.py")],
        ),
    ):
        broken = smoke.work / f"broken-{label.split()[0].rstrip('/')}"
        # Hard links: a cheap copy; only links are removed from it.
        shutil.copytree(opt, broken, symlinks=True, copy_function=os.link)
        damage(broken / "lib" / "migrations")
        document = smoke.work / f"victim-{broken.name}.db"
        shutil.copyfile(FIXTURES / "release-1.0.db", document)
        before = digest(document)
        backups = smoke.work / f"backups-{broken.name}"
        backups.mkdir()
        result = smoke.run(
            [broken / "samplebook-doc", "upgrade", document, "--backup-dir", backups]
        )
        message = result.stderr.strip()
        smoke.expect(
            result.returncode != 0 and "incomplete" in message.lower(),
            f"{label}: samplebook-doc upgrade refuses (exit {result.returncode})",
            short(result.stdout + message),
        )
        if message:
            print(f"        says: {message.splitlines()[0]}")
        smoke.expect(
            digest(document) == before and not any(backups.iterdir()),
            f"{label}: document unchanged, no backup made",
        )
        result = smoke.run(
            [broken / "samplebook", "--smoke", smoke.work / "broken.png", document], timeout=120
        )
        smoke.expect(
            result.returncode != 0 and digest(document) == before,
            f"{label}: samplebook GUI refuses too (exit {result.returncode})",
            short(result.stderr),
        )
        shutil.rmtree(broken)


def check_gui(smoke: Smoke, gui: Path, cli: Path, document: Path) -> None:
    section("samplebook GUI offscreen (--smoke)")
    render(smoke, gui, document, "window.png")  # also opens the user guide the build ships
    check_no_display(smoke, gui)
    # The plot panel loads pyqtgraph and numpy in the frozen app and saves a PNG.
    smoke_data.check_plot(smoke, gui, smoke.work / "docs" / "rich.db")
    # The GUI upgrades an outdated document itself (Alembic in a worker thread, frozen).
    outdated = smoke.work / "docs" / "gui-upgrade-from-1.2.db"
    shutil.copyfile(FIXTURES / "release-1.2.db", outdated)
    if render(smoke, gui, outdated, "window-upgraded.png"):
        data = info(smoke, cli, outdated) or {}
        smoke.expect(
            data.get("state") == "current", "the GUI upgraded the 1.2 copy to current", str(data)
        )


def check_no_display(smoke: Smoke, gui: Path) -> None:
    """Without a display the GUI says so in one sentence and exits 2 (not Qt's abort, 134)."""
    env = {
        key: value
        for key, value in smoke.env.items()
        if key not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    }
    try:
        result = subprocess.run(
            [str(gui)],
            capture_output=True,
            text=True,
            env=env,
            cwd=smoke.work,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        smoke.fail("samplebook without a display did not exit")
        return
    expected = "samplebook: no display found; set QT_QPA_PLATFORM=offscreen or run under a desktop"
    smoke.expect(
        result.returncode == 2 and result.stderr.strip() == expected,
        "samplebook without a display: exit 2 and one sentence",
        f"exit {result.returncode}: {short(result.stderr)}",
    )


def render(smoke: Smoke, gui: Path, document: Path, name: str) -> bool:
    out = smoke.work / name
    started = time.monotonic()
    result = smoke.run([gui, "--smoke", out, document], timeout=240)
    elapsed = time.monotonic() - started
    noise = "\n".join(
        line for line in result.stderr.splitlines() if "propagateSizeHints" not in line
    )
    if not smoke.expect(
        result.returncode == 0 and out.is_file(),
        f"samplebook --smoke {document.name}: exit 0 in {elapsed:.1f}s",
        f"exit {result.returncode}: {short(result.stdout + noise, 3000)}",
    ):
        return False
    try:
        picture = pngcheck.analyse_file(out)
    except (pngcheck.NotAPng, ValueError, OSError) as error:
        smoke.fail(f"window PNG unreadable: {error}")
        return False
    problems = picture.problems()
    good = smoke.expect(
        not problems,
        f"window PNG is a real rendering: {picture.width}x{picture.height} px, "
        f"{picture.colours} colours, top colour {picture.dominant_share:.0%}",
        "; ".join(problems),
    )
    keep = ROOT / "build" / "linux" / f"smoke-{name}"
    keep.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(out, keep)
    print(f"        saved {keep.relative_to(ROOT)}")
    return good


def check_tarball(smoke: Smoke, tarball: Path) -> None:
    section("tarball (relocatable folder)")
    target = smoke.work / "elsewhere" / "deep"
    target.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
        tops = {name.split("/", 1)[0] for name in names}
        smoke.expect(len(tops) == 1, f"one top-level folder {sorted(tops)}")
        archive.extractall(target, filter="tar")
    folder = target / next(iter(tops))
    result = smoke.run([folder / "samplebook-doc", "info", "--json", FIXTURES / "release-1.0.db"])
    try:
        data = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        data = {}
    sys.path.insert(0, str(ROOT))
    from app.document.releases import HEAD_REVISION  # noqa: PLC0415

    smoke.expect(
        result.returncode == 0
        and data.get("state") == "outdated"
        and data.get("head") == HEAD_REVISION,
        "extracted elsewhere, samplebook-doc info works (1.0 fixture: outdated)",
        short(result.stdout + result.stderr),
    )
    result = smoke.run([folder / "samplebook-doc", "check", folder / "lib" / "library.zip"])
    smoke.expect(
        result.returncode == 3, "and check of a non-document exits 3", short(result.stderr)
    )
    shutil.rmtree(smoke.work / "elsewhere")


def check_untouched(smoke: Smoke, root: Path, marker: Path) -> None:
    section("nothing written into the installed tree")
    caches = [p for p in root.rglob("__pycache__")]
    smoke.expect(
        not caches, "no __pycache__ in the unpacked package", ", ".join(map(str, caches[:3]))
    )
    newer = [p for p in root.rglob("*") if p.lstat().st_mtime > marker.stat().st_mtime]
    smoke.expect(
        not newer,
        "no file in the unpacked package changed after unpacking",
        ", ".join(str(p.relative_to(root)) for p in newer[:5]),
    )


# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Smoke test of the frozen Linux build.")
    parser.add_argument(
        "--no-build", action="store_true", help="test the artifacts already in dist/"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--require-tools",
        action="store_true",
        help="fail instead of skipping when desktop-file-validate, xmllint, "
        "update-mime-database or gio is missing",
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    version = project_version()
    dist = ROOT / "dist"
    folder = dist / f"{APP_ID}-{version}-linux-x86_64"
    tarball = dist / f"{folder.name}.tar.gz"
    deb = dist / f"{APP_ID}_{version}_amd64.deb"

    if not args.no_build:
        section("build (freeze/build.py)")
        code = subprocess.run([sys.executable, str(HERE / "build.py")], check=False).returncode
        if code != 0:
            print(f"\nSMOKE FAILED: the build failed (exit {code})", flush=True)
            return 1
    for artifact in (folder, tarball, deb):
        if not artifact.exists():
            print(f"\nSMOKE FAILED: {artifact} missing", flush=True)
            return 1

    work = Path(tempfile.mkdtemp(prefix="samplebook-smoke-"))
    smoke = Smoke(work)
    smoke.require_tools = args.require_tools
    try:
        root = work / "root"
        subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
        marker = work / "unpacked.marker"
        time.sleep(0.05)
        marker.touch()
        time.sleep(0.05)
        print(f"unpacked {deb.name} into {root}", flush=True)
        cli = root / "usr" / "bin" / "samplebook-doc"
        gui = root / "usr" / "bin" / "samplebook"

        check_package(smoke, deb, root)
        made = check_cli(smoke, cli)
        section("data in and out: import, export-table, plot (frozen)")
        rich = work / "docs" / "rich.db"  # the newest fixture: lab values, tags, unique codes
        shutil.copyfile(FIXTURES / f"release-{_releases().HEAD_RELEASE}.db", rich)
        smoke_data.check_data(smoke, cli, work / "docs", rich)
        check_gui(smoke, gui, cli, made["upgraded"])
        check_broken_install(smoke, root / "opt" / APP_ID)
        check_mime(
            smoke,
            root,
            {
                "Samplebook document": (made["upgraded"], "application/x-samplebook"),
                "new document": (made["new"], "application/x-samplebook"),
                "other SQLite .db": (made["foreign"], "application/vnd.sqlite3"),
                "text .db": (made["text"], "text/plain"),
            },
        )
        check_tarball(smoke, tarball)
        check_untouched(smoke, root, marker)
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    section("sizes")
    print(f"  folder   {human(tree_size(folder)):>10}  dist/{folder.name}/")
    print(f"  tarball  {human(tarball.stat().st_size):>10}  dist/{tarball.name}")
    print(f"  deb      {human(deb.stat().st_size):>10}  dist/{deb.name}")
    total = time.monotonic() - started
    if smoke.failures:
        print(
            f"\nSMOKE FAILED: {len(smoke.failures)} of {smoke.passed + len(smoke.failures)} checks "
            f"failed ({total:.0f}s):"
        )
        for failure in smoke.failures:
            print(f"  - {failure}")
        return 1
    print(f"\nSMOKE PASSED: {smoke.passed} checks ({total:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
