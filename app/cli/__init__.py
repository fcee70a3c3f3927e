"""``samplebook-doc``: inspect, check, upgrade, create, back up and export documents from a terminal.

Exit codes (a contract scripts rely on): 0 success, 1 internal error, 2 usage, 3 not a Samplebook
document, 4 damaged, 5 made by a newer Samplebook, 6 in use, 7 could not write (original unchanged),
8 outdated (``check``: an upgrade is available; verbs that change a document: upgrade it first),
9 rows that cannot be imported or merged (nothing was written). The verbs that move data in and out
(``import``, ``export-table``, ``merge-results``) live in ``app.cli.data``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app import __version__
from app.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_BUG,
    EXIT_OK,
    EXIT_OUTDATED,
    add_filter_options,
    filter_from_args,
    plural,
)
from app.cli.common import complain as _complain
from app.cli.common import say as _say
from app.cli.data import add_data_verbs
from app.cli.older import add_copy_for_verb
from app.document import (
    BrokenInstallation,
    CannotWrite,
    DocumentDamaged,
    DocumentError,
    DocumentInUse,
    Inspection,
    SelfCheckFailed,
    State,
    backup,
    create,
    inspect,
    sqlite_errors,
    upgrade,
)

_FAILURE_EXIT = {
    sqlite_errors.Failure.CANNOT_WRITE: CannotWrite.exit_code,
    sqlite_errors.Failure.DAMAGED: DocumentDamaged.exit_code,
    sqlite_errors.Failure.IN_USE: DocumentInUse.exit_code,
}

_CHECK_EXIT = {
    State.CURRENT: EXIT_OK,
    State.OUTDATED: EXIT_OUTDATED,
    State.MISSING: 3,
    State.UNREADABLE: 3,
    State.EMPTY: 3,
    State.NOT_SQLITE: 3,
    State.FOREIGN: 3,
    State.CORRUPT: 4,
    State.TAMPERED: 4,
    State.NEWER: 5,
    State.LOCKED: 6,
}


def _describe(found: Inspection) -> list[str]:
    lines = [f"{found.path}: {found.state.value}", f"  {found.message}"]
    if found.next_step:
        lines.append(f"  {found.next_step}")
    if found.title:
        lines.append(f"  title: {found.title}")
    if found.release:
        lines.append(f"  format: Samplebook {found.release} (revision {found.revision})")
    elif found.revision:
        lines.append(f"  revision: {found.revision} (unknown to Samplebook {__version__})")
    if found.created_by or found.saved_by:
        lines.append(f"  created by: {found.created_by or '?'}, saved by: {found.saved_by or '?'}")
    if found.counts:
        c = found.counts
        lines.append(f"  {c.samples} samples, {c.measurements} measurements, {c.tags} tags")
    lines.extend(f"  problem: {problem}" for problem in found.problems[:5])
    return lines


def cmd_info(args: argparse.Namespace) -> int:
    found = inspect(Path(args.path))
    if args.json:
        _say(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
    else:
        _say("\n".join(_describe(found)))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    found = inspect(Path(args.path))
    code = _CHECK_EXIT[found.state]
    text = f"{found.message} {found.next_step}".strip()
    (_say if code in (EXIT_OK, EXIT_OUTDATED) else _complain)(text)
    return code


def cmd_upgrade(args: argparse.Namespace) -> int:
    def report(step: object) -> None:
        from app.document.migration import Step  # noqa: PLC0415

        assert isinstance(step, Step)
        _complain(f"  [{step.number}/{step.total}] applying the Samplebook {step.release} changes")

    result = upgrade(
        Path(args.path),
        backup=not args.no_backup,
        backup_dir=Path(args.backup_dir) if args.backup_dir else None,
        progress=report,
    )
    if not result.changed:
        _say(f"{result.path} is already current (Samplebook {result.to_release} format).")
        return EXIT_OK
    if result.backup is not None:
        _say(f"Backup: {result.backup}")
    _say(
        f"Upgraded {result.path} from the Samplebook {result.from_release} format to "
        f"{result.to_release} ({len(result.applied)} steps)."
    )
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    path = create(Path(args.path), args.title or "")
    _say(f"Created {path}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    made = backup(Path(args.path), Path(args.to) if args.to else None)
    _say(str(made))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from app.document import file_source  # noqa: PLC0415
    from app.domain.export import describe_filter, export_subset  # noqa: PLC0415

    sample_filter = filter_from_args(args)
    with file_source(Path(args.source)) as source:
        result = export_subset(
            source, sample_filter, None if args.temp else Path(args.dest), overwrite=args.force
        )
    if args.temp:
        _say(str(result.path))
    else:
        _say(f"Exported to {result.path}")
    _complain(
        f"{plural(result.samples, 'sample')} ({describe_filter(sample_filter)}), "
        f"{plural(result.measurements, 'measurement')}, {plural(result.tags, 'tag')}."
    )
    return EXIT_OK


def cmd_repair(args: argparse.Namespace) -> int:
    from app.document.repair import repair  # noqa: PLC0415 - Alembic only for this verb

    report = repair(Path(args.source), Path(args.dest), overwrite=args.force)
    _say(f"Clean copy: {report.destination} (read in the Samplebook {report.release} format)")
    _say(f"Kept: {report.kept_in_words()}.")
    if report.left_out:
        _say("Left out:")
        for what in report.left_out:
            _say(f"  - {what}")
    else:
        _say("Nothing was left out.")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="samplebook-doc",
        description="Inspect, check, upgrade, create and back up Samplebook documents.",
    )
    parser.add_argument("--version", action="version", version=f"Samplebook {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")

    info = verbs.add_parser("info", help="say what a file is (exit 0 whenever it could tell)")
    info.add_argument("path", metavar="PATH")
    info.add_argument("--json", action="store_true", help="print one JSON object")
    info.set_defaults(run=cmd_info)

    check = verbs.add_parser("check", help="exit code by state: 0 current, 8 outdated, …")
    check.add_argument("path", metavar="PATH")
    check.set_defaults(run=cmd_check)

    up = verbs.add_parser("upgrade", help="upgrade an older document (a backup is made first)")
    up.add_argument("path", metavar="PATH")
    up.add_argument("--no-backup", action="store_true", help="do not make a backup first")
    up.add_argument("--backup-dir", metavar="DIR", help="put the backup in DIR")
    up.set_defaults(run=cmd_upgrade)

    new = verbs.add_parser("new", help="create a new, empty document")
    new.add_argument("path", metavar="PATH")
    new.add_argument("--title", metavar="TITLE", help="the document's title")
    new.set_defaults(run=cmd_new)

    bk = verbs.add_parser("backup", help="make a verified, read-only backup")
    bk.add_argument("path", metavar="PATH")
    bk.add_argument("--to", metavar="DIR", help="folder for the backup (default: beside it)")
    bk.set_defaults(run=cmd_backup)

    ex = verbs.add_parser(
        "export", help="copy a subset of samples into a new document (made by the migrations)"
    )
    ex.add_argument("source", metavar="SRC")
    where = ex.add_mutually_exclusive_group(required=True)
    where.add_argument("dest", metavar="DEST", nargs="?", help="the new document's path")
    where.add_argument(
        "--temp", action="store_true", help="make a temporary document and print its path"
    )
    add_filter_options(ex)
    ex.add_argument("--force", action="store_true", help="replace DEST if it exists")
    ex.set_defaults(run=cmd_export)

    rp = verbs.add_parser(
        "repair",
        help="save a clean copy: every readable row of Samplebook's own tables, nothing else",
    )
    rp.add_argument("source", metavar="SRC", help="the document to recover (never changed)")
    rp.add_argument("dest", metavar="DEST", help="the clean copy to write")
    rp.add_argument("--force", action="store_true", help="replace DEST if it exists")
    rp.set_defaults(run=cmd_repair)
    add_copy_for_verb(verbs)
    add_data_verbs(verbs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except SelfCheckFailed as error:  # a person's sentence, and ours to fix: logged like a bug
        from app.logs import log_bug  # noqa: PLC0415

        log = log_bug(error)
        _complain(f"{error} Details are in {log}.")
        return error.exit_code
    except DocumentError as error:
        _complain(str(error))
        return error.exit_code
    except BrokenInstallation as error:
        _complain(
            f"This Samplebook installation is incomplete: {error} No document was changed. "
            "Reinstall Samplebook."
        )
        return EXIT_BUG
    except KeyboardInterrupt:
        _complain("Interrupted; nothing was changed.")
        return 130
    except BrokenPipeError:
        # The reader stopped reading (``samplebook-doc info X | head -1``): not an error to report.
        # Point stdout at nothing so the interpreter's final flush does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as error:
        from app.logs import log_bug  # noqa: PLC0415

        log = log_bug(error)
        failure = sqlite_errors.failure_of(error)
        if failure is not None:
            # A known kind of SQLite failure that no verb put into words: still the person's
            # problem (and its exit code), but logged, because it deserves a better sentence.
            _complain(
                f"Samplebook could not finish: {sqlite_errors.reason(error)}. Documents are "
                f"only ever replaced whole, so none was left half-written. Details are in {log}."
            )
            return _FAILURE_EXIT[failure]
        _complain(f"Samplebook ran into an internal error: {error}. Details are in {log}.")
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
