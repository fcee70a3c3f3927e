"""``app.ui.messages`` (a package, one module per subject) holds every sentence the GUI says to a
person; this keeps that claim true.

A sentence is a string literal that ends like one (``. ? ! …``) and has three or more words or
names a file (“…”). Labels of controls ("Save &As…", "Add tag…") are shorter; docstrings, log
lines, assertion texts, command-line help and ``--smoke`` output (for developers, not for a
person using the app) are not what the GUI says.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.document import Counts, Recovery
from app.ui import messages
from app.ui.times import local_time

UI = Path(__file__).resolve().parents[2] / "app" / "ui"
NOT_SAID_TO_A_PERSON = {"exception", "error", "warning", "info", "debug", "add_argument"}


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _skipped(tree: ast.AST) -> set[int]:
    """Nodes whose strings are not said to a person (and every string inside them)."""
    roots: list[ast.AST] = []
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                roots.append(first.value)  # docstring
        if isinstance(node, ast.Assert) and node.msg is not None:
            roots.append(node.msg)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in NOT_SAID_TO_A_PERSON | {"ArgumentParser", "print"}:
                roots += [*node.args, *(keyword.value for keyword in node.keywords)]
        if isinstance(node, ast.JoinedStr):  # its pieces are read as the whole f-string
            skipped.update(id(value) for value in node.values)
    return skipped | {id(inner) for root in roots for inner in ast.walk(root)}


def sentences_in(source: str) -> list[tuple[int, str]]:
    """(line, text) of every sentence in ``source`` that the GUI would say to a person."""
    tree = ast.parse(source)
    skipped = _skipped(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        text = _text(node)
        if text is None or id(node) in skipped:
            continue
        stripped = text.strip()
        names_a_file = "“" in stripped  # "Saving “Notes.db”…" is short, but a sentence
        if (len(stripped.split()) >= 3 or names_a_file) and stripped[-1] in ".?!…":
            found.append((getattr(node, "lineno", 0), text))
    return found


def test_every_sentence_of_the_gui_is_in_messages() -> None:
    outside = [
        f"{path.relative_to(UI.parents[1])}:{line}: {text!r}"
        for path in sorted(UI.rglob("*.py"))
        if "messages" not in path.relative_to(UI).parts
        for line, text in sentences_in(path.read_text(encoding="utf-8"))
    ]
    assert outside == []


def test_the_check_finds_sentences_and_leaves_labels() -> None:
    source = """
def shown(name):
    \"\"\"A docstring is not said to anyone.\"\"\"
    log.exception("could not remove the temporary export %s", name)
    QLabel("Your changes were saved.")
    QLabel(f"Opening “{name}” for you…")
    QAction("Save &As…")
    QLabel("Add tag…")

def busy():
    set_busy(True, "Creating a new document…")
    set_busy(True, f"Saving “{name}”…")
"""
    assert [text for _line, text in sentences_in(source)] == [
        "Your changes were saved.",
        "Opening “{}” for you…",
        "Creating a new document…",
        "Saving “{}”…",
    ]


@pytest.fixture
def zurich_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The person's time zone is Central European (UTC+1 in December)."""
    monkeypatch.setenv("TZ", "Europe/Zurich")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_recovery_names_its_time_in_local_time(zurich_time: None) -> None:
    recovery = Recovery(
        folder=Path("/state/open/x"),
        document=Path("/docs/Old.db"),
        title="Old",
        modified_at="2026-12-01 18:47:24+00:00",  # as the working copy records it (UTC)
    )
    assert messages.recovery_entry(recovery) == "Old — /docs/Old.db, changed 2026-12-01 19:47"
    assert "UTC" not in messages.recovery_entry(recovery)
    assert "+00:00" not in messages.recovery_entry(recovery)


def test_local_time_and_plurals(zurich_time: None) -> None:
    assert local_time("2026-07-01 10:00:00+00:00") == "2026-07-01 12:00"  # summer
    assert local_time("not a time") == "not a time"
    counts = Counts(samples=1, measurements=2, tags=1)
    assert messages.document_counts(counts, 1) == "1 sample · 2 measurements · 1 tag"
    assert messages.upgrade_holds(counts) == "It holds 1 sample, 2 measurements and 1 tag."
    assert messages.contents(counts) == "1 sample, 2 measurements, 1 tag"
