"""``samplebook-doc copy-for``: a copy of a document for an older Samplebook, SRC never changed.

What the older release cannot hold is printed (stdout) before anything is written; progress goes
to stderr like ``upgrade``'s. Exit 2 for a release it cannot write (unknown, or not older than
SRC: the message lists the ones it can), 3/4/5/6 for SRC as for every verb, 7 when DEST exists
(without ``--force``) or cannot be written.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import EXIT_OK, complain, say

if TYPE_CHECKING:
    from app.document.losses import Loss


def cmd_copy_for(args: argparse.Namespace) -> int:
    from app.document.older_copy import copy_for  # noqa: PLC0415 - Alembic only for this verb

    source, destination = Path(args.source), Path(args.dest)
    release = args.release.strip()

    def progress(what: str, step: int, steps: int) -> None:
        complain(f"  [{step}/{steps}] {what}")

    def before_writing(losses: list[Loss]) -> None:
        if not losses:
            say(f"Samplebook {release} holds everything in {source.name}: nothing is lost.")
            return
        say(f"A copy for Samplebook {release} cannot hold everything in {source.name}:")
        for loss in losses:
            say(f"  - {loss.text}.")

    result = copy_for(
        source,
        destination,
        release,
        overwrite=args.force,
        progress=progress,
        before_writing=before_writing,
    )
    say(
        f"Saved {result.destination}: a copy for Samplebook {result.release} "
        f"(from the Samplebook {result.source_release} format; {source.name} is unchanged)."
    )
    return EXIT_OK


def add_copy_for_verb(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cf = verbs.add_parser(
        "copy-for",
        help="save a copy for an older Samplebook release (says first what it cannot hold)",
    )
    cf.add_argument("source", metavar="SRC", help="the document to copy (never changed)")
    cf.add_argument("dest", metavar="DEST", help="the copy to write")
    cf.add_argument(
        "--release", metavar="X.Y", required=True, help="the older release, e.g. 2.1 or 1.2"
    )
    cf.add_argument("--force", action="store_true", help="replace DEST if it exists")
    cf.set_defaults(run=cmd_copy_for)
