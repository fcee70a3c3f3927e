"""What every ``samplebook-doc`` verb shares: exit codes, output, the sample filter options."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.domain.filters import SampleFilter

EXIT_OK = 0
EXIT_BUG = 1
EXIT_OUTDATED = 8
#: Rows of a table (or results of an export) that cannot be brought in; nothing was written.
EXIT_BAD_ROWS = 9
#: 128 + SIGPIPE, what a command killed by a closed pipe reports in a shell.
EXIT_BROKEN_PIPE = 141


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 sample``, ``2 samples`` (``plural_form`` where adding an "s" is wrong)."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"


def say(text: str) -> None:
    print(text, flush=True)


def complain(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def ids(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a list of sample ids like 1,2,3"
        ) from None


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The filters of ``export`` (and ``export-table``)."""
    parser.add_argument(
        "--code", metavar="GLOB", action="append", help="codes like GLOB (repeatable)"
    )
    parser.add_argument(
        "--tag",
        metavar="NAME",
        action="append",
        help="samples with this tag (repeatable: all of them)",
    )
    parser.add_argument("--collected-from", metavar="DATE", help="collected on or after DATE")
    parser.add_argument("--collected-to", metavar="DATE", help="collected on or before DATE")
    parser.add_argument("--ids", metavar="1,2,3", type=ids, help="only these sample ids")


def filter_from_args(args: argparse.Namespace) -> SampleFilter:
    from app.domain.filters import SampleFilter  # noqa: PLC0415 - only the verbs that need it

    return SampleFilter(
        tags=tuple(args.tag or ()),
        collected_from=args.collected_from,
        collected_to=args.collected_to,
        code_globs=tuple(args.code or ()),
        ids=args.ids,
    )
