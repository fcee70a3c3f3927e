"""What Samplebook says about data in and out: import and paste, export tables, plots, merging
results back. Sentences about a table's cells and the document's rows come from the domain
(``ImportPlan.problems``, ``MergePlan``), so the dialog and ``samplebook-doc`` say the same."""

from __future__ import annotations

from pathlib import Path

from app.ui.messages import plural

# -- import and paste ---------------------------------------------------------------------------

PASTED_ROWS = "pasted rows"


def reading_table(name: str) -> str:
    return f"Reading “{name}”…"


def checking_rows(done: int, total: int) -> str:
    return f"Checking row {done:,} of {total:,}…"


def importing(count: int, what: str) -> str:
    return f"Importing {plural(count, what)}…"


def import_counts(kind: str, added: int, updated: int, rejected: int) -> str:
    """The preview's summary: what the import would do."""
    what = "measurement" if kind == "measurements" else "sample"
    parts = [f"{plural(added, what)} will be added"]
    if kind == "samples":
        parts.append(f"{updated} updated")
    text = ", ".join(parts)
    if rejected:
        text += f"; {plural(rejected, 'row')} cannot be imported"
    return text + "."


def import_blocked(rejected: int) -> str:
    return (
        f"Nothing is imported while {plural(rejected, 'row')} cannot be: correct the table or "
        "the choices above, or tick “Skip bad rows” to import the others."
    )


NOTHING_TO_IMPORT = "There is nothing to import: no row would be added or updated."


def problem_line(line: int, reason: str, pasted: bool) -> str:
    return f"{'Row' if pasted else 'Line'} {line}: {reason}"


def more_problems(count: int) -> str:
    return f"… and {count:,} more."


def column_notes(notes: list[str]) -> str:
    return " ".join(notes)


def mapping_missing(fields: list[str]) -> str:
    return f"Choose the column that holds {' and '.join(fields)} (in the row “Import as”)."


def mapping_twice(field: str, columns: list[str]) -> str:
    named = " and ".join(f"“{column}”" for column in columns)
    return f"The columns {named} both give {field}: set one of them to “skip”."


def import_outdated(note: str) -> str:
    return f"{note} The table was checked again: look at the counts, then import."


def imported(kind: str, added: int, updated: int, name: str) -> str:
    what = "measurement" if kind == "measurements" else "sample"
    text = f"Imported {plural(added, what)}"
    if updated:
        text += f" and updated {plural(updated, what)}"
    return f"{text} from {name}."


def pasted_for_sample(code: str) -> str:
    return f"The rows become measurements of {code}; code and sample id columns are not read."


NOTHING_PASTED = "The clipboard holds no rows to paste."
CANNOT_PASTE_HERE = "Rows can be pasted into a document you can edit."

# -- export table -------------------------------------------------------------------------------

TABLE_FORMATS = "The extension picks the format: .csv (for Excel), .tsv (for scripts) or .xlsx."


def table_suffix_problem(name: str) -> str:
    return f"“{name}”: Samplebook writes tables as .csv, .tsv or .xlsx; the extension says which."


def exporting_table(what: str) -> str:
    return f"Exporting {what}…"


def table_exported(rows: int, kind: str, name: str) -> str:
    what = "measurement" if kind == "measurements" else "sample"
    return f"{plural(rows, what).capitalize()} exported to “{name}”."


# -- plots --------------------------------------------------------------------------------------

PLOT_EMPTY = "Nothing to plot: no measurement of this quantity among the samples shown."
PLOT_NO_SAMPLE = "Select one sample to plot its measurements over time."
PLOT_NO_QUANTITY = "This document has no measurements to plot yet."
PLOT_MARKERS = (
    "Filled: measured · open ▽ below the limit (<) · open △ above it (>) · open ○ about (~)."
)


def plot_not_plotted(not_detected: list[str], undated: int, total_nd: int) -> str:
    """The points that are not drawn, said as such (n.d. has no number; some have no date)."""
    parts = []
    if total_nd:
        shown = ", ".join(not_detected)
        more = f" and {total_nd - len(not_detected)} more" if total_nd > len(not_detected) else ""
        parts.append(f"Not detected, so not plotted: {shown}{more}.")
    if undated:
        parts.append(f"{plural(undated, 'measurement')} without a date not plotted.")
    return " ".join(parts)


def plot_other_units(shown: str, others: list[tuple[str, int]]) -> str:
    listed = ", ".join(
        f"{plural(count, 'measurement')} in {unit or 'no unit'}" for unit, count in others
    )
    return f"Showing {shown or 'no unit'} only; not shown: {listed} (choose the unit above)."


def plot_each_unit(units: list[str]) -> str:
    listed = ", ".join(unit or "no unit" for unit in units)
    return f"Each unit is its own series ({listed}); values are never converted between units."


def plot_saved(path: Path) -> str:
    return f"The plot was saved to {path}."


def plot_save_failed(path: Path) -> str:
    return f"The plot could not be saved to {path}."


# -- bringing results back ----------------------------------------------------------------------


def bring_back(count: int) -> str:
    return f"Bring back {plural(count, 'new measurement')}"


def merge_heading(count: int, export: str, document: str) -> str:
    return (
        f"{plural(count, 'new measurement').capitalize()} in “{export}” can be brought back "
        f"into “{document}”."
    )


def merge_nothing(export: str, already: int) -> str:
    text = f"“{export}” holds no new measurements to bring back."
    if already:
        text += f" {plural(already, 'measurement')} from it were brought back before."
    return text


def merge_already(count: int) -> str:
    return f"{plural(count, 'more measurement')} from this export came back before and are not added again."


def merge_unmergeable(count: int) -> str:
    return (
        f"{plural(count, 'new measurement')} cannot be brought back (listed below), so none is: "
        "fix or delete them in the export first."
    )


MERGE_CHANGED = (
    "Changed or deleted in the export — NOT applied (a merge only adds new measurements):"
)


def merge_added_samples(count: int) -> str:
    return (
        f"The program added {plural(count, 'sample')}; samples are not brought back, only "
        "measurements of exported samples."
    )


def merging(count: int) -> str:
    return f"Bringing back {plural(count, 'measurement')}…"


def merged(count: int) -> str:
    return f"Brought back {plural(count, 'measurement')}."


def merge_outdated(note: str) -> str:
    return f"{note} The results were checked again."


def export_kept_for_merge(path: Path) -> str:
    return f"The export is kept so its results can be brought back later (Tools ▸ Merge Results…): {path}"
