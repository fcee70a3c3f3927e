"""Samplebook at scale against raw SQLite: the rows P1–P7 of the performance goals.

    uv run python tests/benchmarks/scale/run.py [--samples 100000] [--pairs 5] [--only P2,P4]

Builds (once, cached in --cache) a 1.0 document of 100k samples with ~450 characters of notes and
1M measurements, and its upgraded ~100 MB form; then for each row runs Samplebook's work and the
raw-SQLite anchor that does the same I/O, interleaved (A B A B …) after a warm-up pair, and prints
medians and the median of the pairwise ratios, with peak memory where it matters. Not part of the
test run: ratios, not wall-clock limits, so a busy machine changes the figures less than it
changes times.
"""

# The tables show ratios with the multiplication sign and ranges with an en dash.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

HOME = Path(tempfile.mkdtemp(prefix="samplebook-scale-home-"))
os.environ["SAMPLEBOOK_HOME"] = str(HOME)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.benchmarks.scale import documents  # noqa: E402
from tests.benchmarks.scale.timing import (  # noqa: E402
    Row,
    Run,
    in_child,
    interleave,
    table,
    timed,
    whole_child,
)

CHILD = str(Path(__file__).with_name("child.py"))
CLI = str(Path(sys.executable).with_name("samplebook-doc"))


def counter() -> Callable[[], int]:
    number = 0

    def next_number() -> int:
        nonlocal number
        number += 1
        return number

    return next_number


def p1(pairs: int) -> Row:
    row = Row("P1", "start to window shown", "bare PySide6 QMainWindow", "≤ 1.5×")
    ours = [sys.executable, CHILD, "startup-app"]
    bare = [sys.executable, CHILD, "startup-bare"]
    return interleave(
        row,
        lambda: whole_child(ours, until=b"shown"),
        lambda: whole_child(bare, until=b"shown"),
        pairs,
    )


def p2(head: Path, work: Path, pairs: int) -> Row:
    from app.document import inspect, open_document  # noqa: PLC0415

    row = Row(
        "P2",
        "open until editable (inspect + open), a file this Samplebook saved",
        "backup-API copy + quick_check",
        "≤ 1.5×",
    )
    inspect(head)  # its one full check: from now on it is a file this Samplebook checked

    def ours() -> Run:
        began = time.perf_counter()
        found = inspect(head)
        document = open_document(head, inspection=found)
        seconds = time.perf_counter() - began
        document.close()
        return Run(seconds)

    def raw() -> Run:
        target = work / "raw-open.db"
        target.unlink(missing_ok=True)

        def copy_and_check() -> None:
            source = sqlite3.connect(f"file:{head}?mode=ro", uri=True)
            copy = sqlite3.connect(target)
            source.backup(copy)
            source.close()
            copy.execute("PRAGMA quick_check").fetchall()
            copy.close()

        return timed(copy_and_check)

    return interleave(row, ours, raw, pairs, reads=head)


def p3(work: Path, pairs: int) -> Row:
    from sqlalchemy import create_engine, text  # noqa: PLC0415

    from app.document import create  # noqa: PLC0415
    from app.document.create import ensure_template  # noqa: PLC0415
    from app.document.releases import HEAD_REVISION  # noqa: PLC0415
    from app.models import metadata  # noqa: PLC0415

    row = Row("P3", "new document (warm template)", "create_all + stamp", "≤ 0.5×")
    ensure_template()
    number = counter()

    def ours() -> Run:
        return timed(lambda: create(work / f"new-{number()}.db", "new"))

    def raw() -> Run:
        def create_all() -> None:
            engine = create_engine(f"sqlite:///{work / f'raw-new-{number()}.db'}")
            metadata.create_all(engine)
            with engine.begin() as connection:
                connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
                connection.execute(
                    text("INSERT INTO alembic_version VALUES (:v)"), {"v": HEAD_REVISION}
                )
            engine.dispose()

        return timed(create_all)

    return interleave(row, ours, raw, pairs)


def p4(old: Path, work: Path, pairs: int) -> Row:
    row = Row("P4", "upgrade 1.0 → head", "one VACUUM INTO", "≤ 8×, ≤ 5 % free, ≤ 100 MiB")
    number = counter()

    def ours() -> Run:
        copy = work / f"upgrade-{number()}.db"
        shutil.copyfile(old, copy)
        run = in_child("upgrade", str(copy))
        copy.unlink()
        return run

    def raw() -> Run:
        target = work / f"vacuum-{number()}.db"
        run = in_child("vacuum-into", str(old), str(target))
        target.unlink()
        return run

    return interleave(row, ours, raw, pairs, reads=old)


def p5(head: Path, work: Path, share: float, pairs: int) -> Row:
    from app.document.create import ensure_template  # noqa: PLC0415

    start, end = documents.date_range(share)
    row = Row(
        "P5",
        f"CLI export of {share:.0%} (with its source checks)",
        "ATTACH + INSERT … SELECT into the real schema",
        "≤ 2×" if share >= 0.1 else "≤ 3×",
    )
    template = str(ensure_template())
    number = counter()

    def ours() -> Run:
        target = work / f"export-{number()}.db"
        command = [CLI, "export", str(head), str(target)]
        command += ["--collected-from", start, "--collected-to", end]
        run = whole_child(command)
        target.unlink()
        return run

    def raw() -> Run:
        target = work / f"raw-export-{number()}.db"
        command = [
            sys.executable,
            CHILD,
            "raw-export",
            str(head),
            template,
            str(target),
            start,
            end,
        ]
        run = whole_child(command)
        target.unlink()
        return run

    return interleave(row, ours, raw, pairs, reads=head)


def p6(head: Path, work: Path, pairs: int) -> Row:
    row = Row("P6", "GUI: open → first rows", "copy + quick_check + first page", "≤ 300 ms")
    return interleave(
        row,
        lambda: in_child("gui-first-rows", str(head)),
        lambda: in_child("raw-first-rows", str(head), str(work / "raw-rows.db")),
        pairs,
        reads=head,
    )


def p6_sorting(head: Path, pairs: int) -> Row:
    from app.domain import SampleFilter  # noqa: PLC0415
    from app.domain.samples import SORT_KEYS, page_samples  # noqa: PLC0415

    row = Row(
        "P6s",
        "a page of 200 by any sort, either way, at the top or 50k rows deep (the slowest)",
        "a primary-key page of the same size",
        "≤ 100 ms a page",
    )
    connection = sqlite3.connect(f"file:{head}?mode=ro", uri=True)
    deep = {
        (key, descending): page_samples(
            connection, SampleFilter(), sort=key, descending=descending, limit=50_000
        )[-1]
        for key in SORT_KEYS
        for descending in (False, True)
    }

    def ours() -> Run:
        slowest = 0.0
        for (key, descending), after in deep.items():
            for start in (None, after):
                run = timed(
                    lambda key=key, descending=descending, start=start: page_samples(
                        connection, SampleFilter(), sort=key, descending=descending, after=start
                    )
                )
                slowest = max(slowest, run.seconds)
        return Run(slowest)

    def raw() -> Run:
        return timed(
            lambda: connection.execute(
                "SELECT * FROM sample WHERE id > 50000 ORDER BY id LIMIT 200"
            ).fetchall()
        )

    return interleave(row, ours, raw, pairs)


def p7(head: Path, work: Path, pairs: int) -> Row:
    from app.document import open_document  # noqa: PLC0415

    row = Row("P7", "save after one edit", "backup-API copy", "≤ 1.5×")
    saved = work / "saved.db"
    shutil.copyfile(head, saved)
    document = open_document(saved)

    def ours() -> Run:
        with document.transaction() as connection:
            connection.execute("UPDATE sample SET name = name || '.' WHERE id = 1")
        return timed(document.save)

    def raw() -> Run:
        target = work / "raw-save.db"
        target.unlink(missing_ok=True)

        def copy() -> None:
            out = sqlite3.connect(target)
            document.connection.backup(out)
            out.close()

        return timed(copy)

    try:
        return interleave(row, ours, raw, pairs)
    finally:
        document.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "samplebook-scale"
    )
    parser.add_argument("--only", default="P1,P2,P3,P4,P5,P6,P7")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    old, head = documents.build(args.cache, args.samples)
    work = Path(tempfile.mkdtemp(prefix="samplebook-scale-work-"))
    rows: list[Row] = []
    if "P1" in wanted:
        rows.append(p1(args.pairs))
    if "P2" in wanted:
        rows.append(p2(head, work, args.pairs))
    if "P3" in wanted:
        rows.append(p3(work, args.pairs))
    if "P4" in wanted:
        rows.append(p4(old, work, args.pairs))
    if "P5" in wanted:
        rows.append(p5(head, work, 0.1, args.pairs))
        rows.append(p5(head, work, 0.01, args.pairs))
    if "P6" in wanted:
        rows.append(p6(head, work, args.pairs))
        rows.append(p6_sorting(head, args.pairs))
    if "P7" in wanted:
        rows.append(p7(head, work, args.pairs))
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(HOME, ignore_errors=True)
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
    size = head.stat().st_size / 1e6
    print(
        table(
            rows,
            f"{args.samples:,} samples, {args.samples * 10:,} measurements ({size:.0f} MB at head); "
            f"{args.pairs} interleaved pairs after a warm-up; {machine}",
        )
    )


if __name__ == "__main__":
    main()
