"""Build the Linux artifacts of Samplebook: a relocatable frozen folder, a tarball and a .deb.

    uv run --group freeze python freeze/build.py [--reuse]

Produces, for the version in pyproject.toml (V):

    dist/samplebook-V-linux-x86_64/          the frozen folder (run ./samplebook or ./samplebook-doc)
    dist/samplebook-V-linux-x86_64.tar.gz    that folder, owned by root
    dist/samplebook_V_amd64.deb              /opt/samplebook + /usr/bin launchers, .desktop entry,
                                             hicolor icons, MIME type, Depends from the ELF files

``--reuse`` skips cx_Freeze and repackages an existing folder (for working on the packaging).
Needs only what a Debian 12 machine has plus uv: dpkg-deb is part of dpkg. Fails (exit 1) when
the frozen folder is not what the package must contain (see ``verify_folder``).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import os
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import config  # noqa: E402
from config import APP_ID, CLI_NAME, GUI_NAME, ICON_SIZES, ICONS, RESOURCES, ROOT  # noqa: E402
from linux import debian, elf  # noqa: E402

DIST = ROOT / "dist"
BUILD = ROOT / "build" / "linux"
QT = Path("lib/PySide6/Qt")


class BuildError(Exception):
    pass


def say(text: str) -> None:
    print(text, flush=True)


def human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.1f} {unit}" if unit != "B" else f"{size} B"
        value /= 1024
    raise AssertionError


def tree_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


# --- freezing ------------------------------------------------------------------------------------


def freeze(folder: Path) -> None:
    """Run cx_Freeze's build_exe (outside the project root, so setuptools ignores pyproject.toml)."""
    if folder.exists():
        shutil.rmtree(folder)
    command = [sys.executable, str(HERE / "setup.py"), "build_exe", "--build-exe", str(folder)]
    # cwd build/linux: no pyproject.toml there, and setuptools' egg-info lands in build/.
    result = subprocess.run(command, cwd=BUILD, capture_output=True, text=True, check=False)
    log = BUILD / "cx_freeze.log"
    log.write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise BuildError(f"cx_Freeze failed (exit {result.returncode}); full log in {log}")
    say(f"  cx_Freeze log: {log.relative_to(ROOT)}")


def prune(folder: Path) -> None:
    """Drop unwanted Qt plugins, then every bundled Qt library nothing left needs."""
    plugins = folder / QT / "plugins"
    for relative in config.QT_PLUGIN_DROP:
        target = plugins / relative
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for directory in sorted(plugins.iterdir()):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()

    qt_lib = folder / QT / "lib"
    by_name = {path.name: path for path in qt_lib.iterdir()}
    roots = [p for p in files(folder) if p.parent != qt_lib and elf.is_elf(p)]
    keep: set[str] = set()
    pending = [name for root in roots for name in elf.needed_of(root)]
    while pending:
        name = pending.pop()
        if name in keep or name not in by_name:
            continue
        keep.add(name)
        pending.extend(elf.needed_of(by_name[name]))
    dropped = sorted(set(by_name) - keep)
    for name in dropped:
        by_name[name].unlink()
    say(f"  dropped {len(dropped)} unused Qt libraries: {', '.join(dropped)}")


def normalize_modes(folder: Path) -> None:
    """Directories 0755, the two executables 0755, every other file 0644 (libraries and plugins
    are loaded, never executed)."""
    executables = {folder / GUI_NAME, folder / CLI_NAME}
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        mode = 0o755 if path.is_dir() or path in executables else 0o644
        path.chmod(mode)


def verify_folder(folder: Path) -> None:
    """What the frozen app needs at run time, checked before anything is packaged."""
    problems: list[str] = []
    wrongly_excluded = config.excluded_but_imported()
    if wrongly_excluded:
        problems.append(
            f"app imports {wrongly_excluded}, excluded in freeze/config.py EXCLUDES: "
            "remove them there (and from QT_PLUGIN_DROP if they need plugins)"
        )
    for name in (GUI_NAME, CLI_NAME):
        if not (folder / name).is_file():
            problems.append(f"executable {name} missing")
    migrations = folder / "lib" / "migrations"
    for relative in ("env.py", "script.py.mako", "__init__.py"):
        if not (migrations / relative).is_file():
            problems.append(f"lib/migrations/{relative} is not a real file")
    source_versions = sorted(p.name for p in (config.MIGRATIONS / "versions").glob("*.py"))
    shipped_versions = sorted(p.name for p in (migrations / "versions").glob("*.py"))
    if not source_versions or shipped_versions != source_versions:
        problems.append(f"versions shipped {shipped_versions} != source {source_versions}")
    sys.path.insert(0, str(ROOT))
    from app.document import releases  # noqa: PLC0415 - constants only

    if not any((migrations / "versions").glob(f"{releases.HEAD_REVISION}_*.py")):
        problems.append(f"head revision {releases.HEAD_REVISION} is not shipped")
    import zipfile  # noqa: PLC0415

    with zipfile.ZipFile(folder / "lib" / "library.zip") as archive:
        names = archive.namelist()
    if any(name.startswith("migrations/") for name in names):
        problems.append("library.zip contains a migrations package (import would shadow files)")
    if not any(name.startswith("app/document/migration.") for name in names):
        problems.append("library.zip lacks app.document.migration")
    caches = [p for p in folder.rglob("__pycache__")]
    if caches:
        problems.append(f"__pycache__ folders in the frozen tree: {caches[:3]}")
    if not (folder / "resources" / "icons" / "samplebook.svg").is_file():
        problems.append("resources/icons/samplebook.svg missing")
    if problems:
        raise BuildError("frozen folder is incomplete:\n  " + "\n  ".join(problems))
    say(f"  migrations: {len(shipped_versions)} revisions as files, head {releases.HEAD_REVISION}")


def system_dependencies(folder: Path) -> tuple[list[str], list[str]]:
    """(Depends, Recommends) from the DT_NEEDED entries no bundled file satisfies."""
    elves = [p for p in files(folder) if elf.is_elf(p)]
    bundled = {p.name for p in elves}
    required: dict[str, set[str]] = {}
    optional: dict[str, set[str]] = {}
    unknown: dict[str, list[str]] = {}
    glibc = (2, 17)
    plugins = folder / QT / "plugins"
    for path in elves:
        data = path.read_bytes()
        version = elf.max_glibc(data)
        if version is not None:
            glibc = max(glibc, version)
        relative = path.relative_to(plugins).as_posix() if path.is_relative_to(plugins) else ""
        bucket = optional if relative in config.OPTIONAL_PLUGINS else required
        for soname in elf.needed(data):
            if soname in bundled:
                continue
            package = debian.SONAME_PACKAGES.get(soname)
            if package is None:
                unknown.setdefault(soname, []).append(str(path.relative_to(folder)))
                continue
            bucket.setdefault(package, set()).add(soname)
    if unknown:
        lines = [
            f"{soname} (needed by {', '.join(users[:2])})" for soname, users in unknown.items()
        ]
        raise BuildError(
            "system libraries without a Debian package in freeze/linux/debian.py "
            "SONAME_PACKAGES (add them, or drop the plugin in freeze/config.py):\n  "
            + "\n  ".join(sorted(lines))
        )
    depends = sorted(required)
    depends = [f"{p} (>= {glibc[0]}.{glibc[1]})" if p == "libc6" else p for p in depends]
    recommends = sorted(
        {config.OPTIONAL_PLUGINS[p] for p in config.OPTIONAL_PLUGINS if (plugins / p).exists()}
        | set(debian.RECOMMENDS)
    )
    return depends, recommends


def self_check(folder: Path, version: str) -> None:
    result = subprocess.run(
        [str(folder / CLI_NAME), "--version"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SAMPLEBOOK_HOME": str(BUILD / "home")},
        timeout=120,
    )
    expected = f"Samplebook {version}"
    if result.returncode != 0 or result.stdout.strip() != expected:
        raise BuildError(
            f"frozen {CLI_NAME} --version: exit {result.returncode}, "
            f"out {result.stdout.strip()!r} (expected {expected!r}), err {result.stderr[-2000:]}"
        )
    caches = list(folder.rglob("__pycache__"))
    if caches:
        raise BuildError(f"running the frozen app wrote {caches[0]}")


# --- packaging -----------------------------------------------------------------------------------


def _root_owned(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def tarball(folder: Path, target: Path) -> None:
    """``folder`` as a .tar.gz whose single top-level entry is the folder."""
    target.unlink(missing_ok=True)
    with (
        gzip.open(target, "wb", compresslevel=6) as raw,
        tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        archive.add(folder, arcname=folder.name, filter=_root_owned)


def stage_deb(
    folder: Path, root: Path, version: str, depends: list[str], recommends: list[str]
) -> None:
    if root.exists():
        shutil.rmtree(root)
    opt = root / "opt" / APP_ID
    opt.parent.mkdir(parents=True)
    # Hard links: no second copy of ~150 MB (dist/ and build/ are on the same file system).
    try:
        shutil.copytree(folder, opt, symlinks=True, copy_function=os.link)
    except OSError:
        shutil.rmtree(opt, ignore_errors=True)
        shutil.copytree(folder, opt, symlinks=True)

    usr = root / "usr"
    (usr / "bin").mkdir(parents=True)
    for name in (GUI_NAME, CLI_NAME):
        # Relative, so the package also works unpacked with dpkg -x into any root.
        (usr / "bin" / name).symlink_to(f"../../opt/{APP_ID}/{name}")

    def install(source: Path, relative: str, mode: int = 0o644) -> None:
        target = usr / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        target.chmod(mode)

    install(RESOURCES / "samplebook.desktop", f"share/applications/{APP_ID}.desktop")
    install(RESOURCES / "samplebook-mime.xml", f"share/mime/packages/{APP_ID}.xml")
    for size in ICON_SIZES:
        install(
            ICONS / f"samplebook-{size}.png", f"share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png"
        )
    install(ICONS / "samplebook.svg", f"share/icons/hicolor/scalable/apps/{APP_ID}.svg")
    install(HERE / "linux" / "copyright", f"share/doc/{APP_ID}/copyright")
    changelog = usr / "share" / "doc" / APP_ID / "changelog.gz"
    changelog.write_bytes(gzip.compress(debian.changelog(version).encode(), mtime=0))
    changelog.chmod(0o644)

    for path in [root, *root.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)

    control = root / "DEBIAN"
    control.mkdir()
    installed_kib = (tree_size(root) + 1023) // 1024
    (control / "control").write_text(
        debian.control(version, installed_kib, depends, recommends), encoding="utf-8"
    )
    for script in ("postinst", "postrm"):
        shutil.copyfile(HERE / "linux" / script, control / script)
        (control / script).chmod(0o755)
    sums = []
    for path in files(root):
        if control in path.parents:
            continue
        digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
        sums.append(f"{digest}  {path.relative_to(root).as_posix()}\n")
    (control / "md5sums").write_text("".join(sums), encoding="utf-8")
    for name in ("control", "md5sums"):
        (control / name).chmod(0o644)


def build_deb(root: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    subprocess.run(
        [
            "dpkg-deb",
            "--root-owner-group",
            "-Zxz",
            "-z6",
            "--threads-max=4",
            "--build",
            str(root),
            str(target),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="package an existing frozen folder")
    args = parser.parse_args(argv)

    version = config.project_version()
    folder = DIST / f"{APP_ID}-{version}-linux-x86_64"
    tar_path = DIST / f"{folder.name}.tar.gz"
    deb_path = DIST / f"{APP_ID}_{version}_amd64.deb"
    BUILD.mkdir(parents=True, exist_ok=True)
    DIST.mkdir(exist_ok=True)
    timings: list[tuple[str, float]] = []
    started = time.monotonic()

    def step(name: str) -> None:
        timings.append((name, time.monotonic()))
        say(f"[build] {name}")

    try:
        step("icons")
        check = subprocess.run(
            [sys.executable, str(HERE / "make_icons.py"), "--check"], check=False
        )
        if check.returncode != 0:
            raise BuildError("icons out of date: run uv run python freeze/make_icons.py")
        if args.reuse and folder.is_dir():
            step("reuse frozen folder")
        else:
            step("freeze (cx_Freeze build_exe)")
            freeze(folder)
            step("prune Qt")
            prune(folder)
        normalize_modes(folder)
        step("verify folder")
        verify_folder(folder)
        depends, recommends = system_dependencies(folder)
        say(f"  Depends: {', '.join(depends)}")
        say(f"  Recommends: {', '.join(recommends)}")
        step("self-check (frozen samplebook-doc --version)")
        self_check(folder, version)
        step("tarball")
        tarball(folder, tar_path)
        step("deb")
        stage = BUILD / "deb-root"
        stage_deb(folder, stage, version, depends, recommends)
        build_deb(stage, deb_path)
        shutil.rmtree(stage)
    except (BuildError, subprocess.CalledProcessError) as error:
        print(f"[build] FAILED: {error}", file=sys.stderr, flush=True)
        return 1
    timings.append(("end", time.monotonic()))

    say(
        "[build] timings: "
        + ", ".join(
            f"{name} {after - before:.1f}s"
            for (name, before), (_, after) in itertools.pairwise(timings)
        )
        + f"; total {time.monotonic() - started:.1f}s"
    )
    say(f"[build] folder  {human(tree_size(folder)):>10}  {folder.relative_to(ROOT)}/")
    say(f"[build] tarball {human(tar_path.stat().st_size):>10}  {tar_path.relative_to(ROOT)}")
    say(f"[build] deb     {human(deb_path.stat().st_size):>10}  {deb_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
