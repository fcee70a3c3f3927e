"""``samplebook-doc import``, ``export-table`` and ``merge-results``: data in and out.

``import`` and ``merge-results`` change DOC like the app does: the document is opened (its lock
taken, exit 6 when another Samplebook has it), changed in its working copy in one transaction, and
saved atomically (exit 7 with the original intact when that fails). Rows that cannot be brought in
are each printed to stderr — ``FILE:ROW: reason`` for a table, ``EXPORT: measurement ID: reason``
for results — and nothing is written (exit 9), unless ``import --skip-bad``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import (
    EXIT_BAD_ROWS,
    EXIT_OK,
    add_filter_options,
    complain,
    filter_from_args,
    plural,
    say,
)
from app.document import (
    CannotWrite,
    Inspection,
    OpenDocument,
    State,
    UpgradeNeeded,
    inspect,
    open_document,
)

if TYPE_CHECKING:
    from app.domain.importing import ImportPlan
    from app.domain.merging import MergePlan

_TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx")


def current_document(path: Path) -> Inspection:
    """DOC must be a current document: an older one is upgraded first, by the person (exit 8)."""
    found = inspect(path)
    if found.state is State.OUTDATED:
        raise UpgradeNeeded(
            f"“{path.name}” is in the Samplebook {found.release} format; upgrade it first "
            f"(samplebook-doc upgrade {path}).",
            path=path,
        )
    if found.state not in (State.CURRENT, State.LOCKED):
        raise found.error()
    return found


def _open(path: Path, found: Inspection, dry_run: bool) -> OpenDocument:
    """The document to change (its lock taken), or to read for a dry run (no lock needed)."""
    if found.state is State.LOCKED and not dry_run:
        raise found.error()
    doc = open_document(path, read_only=dry_run, inspection=found)
    if doc.read_only and not dry_run:
        reason = doc.read_only_reason or "it is open read-only"
        doc.close()
        raise CannotWrite(f"“{path.name}” cannot be changed: {reason}.", path=path)
    return doc


# --------------------------------------------------------------------------------------------------
# import


def cmd_import(args: argparse.Namespace) -> int:
    from app.domain.importing import (  # noqa: PLC0415 - only these verbs need the domain layer
        ImportOptions,
        Kind,
        apply_import,
        parse_map,
        plan_import,
    )
    from app.domain.tables import read_table  # noqa: PLC0415

    path, table_path = Path(args.doc), Path(args.file)
    found = current_document(path)
    options = ImportOptions(
        kind=Kind(args.kind) if args.kind else None,
        mapping=parse_map(args.map or []),
        update=args.update,
        decimal_comma=args.decimal_comma,
        date_format=args.date_format,
    )
    table = read_table(
        table_path, sheet=args.sheet, delimiter=args.delimiter, encoding=args.encoding
    )
    with _open(path, found, args.dry_run) as doc:
        plan = plan_import(doc.connection, table, options)
        for note in plan.columns.notes:
            complain(f"{args.file}: {note}")
        for line, reason in plan.problems():
            complain(f"{args.file}:{line}: {reason}")
        if plan.rejected and not args.skip_bad:
            complain(
                f"{plural(len(plan.rejected), 'row')} of {args.file} cannot be imported; "
                f"nothing was written to {path.name}. Correct them, or give --skip-bad to "
                "import the others."
            )
            return EXIT_BAD_ROWS
        if args.dry_run:
            say(_import_summary(plan, path, would=True))
            return EXIT_OK
        if plan.writes:
            apply_import(doc, plan)
            doc.save()
    say(_import_summary(plan, path, would=False))
    return EXIT_OK


def _import_summary(plan: ImportPlan, path: Path, *, would: bool) -> str:
    from app.domain.importing import Kind  # noqa: PLC0415

    source = plan.table.source
    how = [f"read {source.name} as {source.format}"]
    if source.encoding:
        how.append(f"encoding {source.encoding}")
    if source.delimiter:
        how.append(
            "delimiter tab" if source.delimiter == "\t" else f"delimiter “{source.delimiter}”"
        )
    if source.sheet:
        how.append(f"sheet “{source.sheet}”")
    how.append("decimal comma" if plan.options.decimal_comma else "decimal point")
    what = "measurement" if plan.kind is Kind.MEASUREMENTS else "sample"
    done = [plural(plan.added, what)]
    if plan.updated:
        done.append(f"{plural(plan.updated, what)} updated")
    verb = "Would import" if would else "Imported"
    text = f"{verb} {', '.join(done)} into {path.name} ({', '.join(how)})."
    if plan.rejected:
        count = len(plan.rejected)
        verb = "would be" if would else ("was" if count == 1 else "were")
        text += f" {plural(count, 'row')} {verb} skipped."
    if would:
        text += " Nothing was written (--dry-run)."
    return text


# --------------------------------------------------------------------------------------------------
# export-table


def cmd_export_table(args: argparse.Namespace) -> int:
    from app.document import file_source  # noqa: PLC0415
    from app.domain.export import describe_filter  # noqa: PLC0415
    from app.domain.export_table import export_table  # noqa: PLC0415
    from app.domain.importing import Kind  # noqa: PLC0415
    from app.domain.tables import TableError  # noqa: PLC0415

    out = Path(args.out)
    if out.suffix.lower() not in _TABLE_SUFFIXES:
        raise TableError(
            f"“{out.name}”: Samplebook writes tables as .csv, .tsv or .xlsx (the extension "
            "says which).",
            path=out,
        )
    sample_filter = filter_from_args(args)
    kind = Kind(args.kind)
    with file_source(Path(args.source)) as source:
        result = export_table(source, out, sample_filter, kind=kind, overwrite=args.force)
    say(f"Exported to {result.path}")
    complain(f"{plural(result.rows, kind.value[:-1])} ({describe_filter(sample_filter)}).")
    return EXIT_OK


# --------------------------------------------------------------------------------------------------
# merge-results


def cmd_merge_results(args: argparse.Namespace) -> int:
    from app.document import file_source  # noqa: PLC0415
    from app.domain.merging import apply_merge, plan_merge  # noqa: PLC0415

    path, export = Path(args.doc), Path(args.export)
    found = current_document(path)
    with file_source(export) as readable, _open(path, found, args.dry_run) as doc:
        plan = plan_merge(doc.work_path, path, readable.database)
        _report_merge(plan, args.export)
        if plan.unmergeable:
            complain(
                f"{plural(len(plan.unmergeable), 'new measurement')} of {args.export} cannot "
                f"be brought back; nothing was added to {path.name}."
            )
            return EXIT_BAD_ROWS
        if not args.dry_run and plan.new:
            apply_merge(doc, plan)
            doc.save()
    say(_merge_summary(plan, path, would=args.dry_run))
    return EXIT_OK


def _report_merge(plan: MergePlan, export: str) -> None:
    for item in plan.unmergeable:
        complain(f"{export}: measurement {item.export_id}: {item.reason}")
    for change in plan.changed:
        what = (
            "was deleted in the export"
            if change.what == "deleted"
            else f"was changed in the export ({change.what})"
        )
        complain(
            f"{export}: measurement {change.export_id} ({change.code}) {what}; "
            "not applied (exported measurements are never changed by a merge)."
        )
    if plan.added_samples:
        complain(
            f"{export}: {plural(plan.added_samples, 'sample')} the program added "
            "are not brought back (only measurements of exported samples are)."
        )


def _merge_summary(plan: MergePlan, path: Path, *, would: bool) -> str:
    verb = "Would bring back" if would else "Brought back"
    text = f"{verb} {plural(len(plan.new), 'new measurement')} into {path.name}"
    if plan.already_merged:
        text += f" ({plural(plan.already_merged, 'more was', 'more were')} merged before)"
    text += "."
    if would:
        text += " Nothing was written (--dry-run)."
    return text


# --------------------------------------------------------------------------------------------------


def add_data_verbs(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    im = verbs.add_parser(
        "import", help="import samples or measurements from a .csv, .tsv, .txt or .xlsx table"
    )
    im.add_argument("doc", metavar="DOC", help="the current Samplebook document to import into")
    im.add_argument("file", metavar="FILE", help="the table (.csv, .tsv, .txt or .xlsx)")
    im.add_argument("--kind", choices=("samples", "measurements"), help="what the rows are")
    im.add_argument("--sheet", metavar="NAME", help="the sheet of an .xlsx (default: the first)")
    im.add_argument("--delimiter", metavar="C", help="the column separator (default: detected)")
    im.add_argument("--decimal-comma", action="store_true", help="numbers are written like 0,05")
    im.add_argument("--encoding", metavar="ENC", help="the text encoding (default: detected)")
    im.add_argument(
        "--date-format", metavar="FMT", help="strptime format of dates that are not ISO 8601"
    )
    im.add_argument(
        "--map",
        metavar="COLUMN=FIELD",
        action="append",
        help="read COLUMN as FIELD (repeatable; COLUMN= leaves the column out)",
    )
    im.add_argument("--update", action="store_true", help="update samples whose code exists")
    im.add_argument(
        "--skip-bad", action="store_true", help="import the good rows, report the others"
    )
    im.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    im.set_defaults(run=cmd_import)

    et = verbs.add_parser(
        "export-table", help="write samples or measurements as a .csv, .tsv or .xlsx table"
    )
    et.add_argument("source", metavar="SRC")
    et.add_argument("out", metavar="OUT", help="the table to write (.csv, .tsv or .xlsx)")
    et.add_argument(
        "--kind", choices=("samples", "measurements"), default="samples", help="default: samples"
    )
    add_filter_options(et)
    et.add_argument("--force", action="store_true", help="replace OUT if it exists")
    et.set_defaults(run=cmd_export_table)

    mr = verbs.add_parser(
        "merge-results",
        help="bring back the measurements a program added to an export of DOC",
    )
    mr.add_argument("doc", metavar="DOC", help="the document the export was made from")
    mr.add_argument("export", metavar="EXPORT", help="the export the program wrote into")
    mr.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    mr.set_defaults(run=cmd_merge_results)
