"""Frozen entry point of the ``samplebook`` desktop app (cx_Freeze main script, GUI base).

Not used from a source checkout (there ``samplebook`` is ``app.__main__:main``).

Importing Alembic costs ~230 ms, so the first window must not wait for ``check_installation()``.
Here the installation is checked cheaply, without Alembic: the migrations folder must hold
``env.py`` and one version script per revision this build knows (``app.document.releases``). The
full Alembic check (``verified_head``) still runs before any upgrade or new document, inside
app.document.migration.
"""

from __future__ import annotations

import sys

# Never write __pycache__ into the (read-only) install folder.
sys.dont_write_bytecode = True


def missing_schema_history() -> str | None:
    """Why the shipped migrations are unusable, or ``None`` when they look complete."""
    from pathlib import Path  # noqa: PLC0415

    from app.document import releases  # noqa: PLC0415 - constants only, no Alembic

    base = Path(sys.executable).resolve().parent
    for folder in (base / "lib" / "migrations", base / "migrations"):
        if (folder / "env.py").is_file():
            break
    else:
        return "its schema history (migrations) is missing"
    versions = folder / "versions"
    for revision in releases.RELEASE_OF_REVISION:
        if not any(versions.glob(f"{revision}_*.py")):
            return f"the schema history lacks revision {revision} ({folder})"
    return None


def refuse(problem: str) -> int:
    text = (
        f"This Samplebook installation is incomplete: {problem}.\n\n"
        "No document was opened or changed. Please reinstall Samplebook."
    )
    print(f"samplebook: {text}", file=sys.stderr, flush=True)
    import os  # noqa: PLC0415

    if "--smoke" in sys.argv or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return 1  # nobody could dismiss a dialog
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: PLC0415

        if QApplication.instance() is None:
            QApplication(sys.argv[:1])
        QMessageBox.critical(None, "Samplebook", text)
    except Exception:
        pass
    return 1


def main() -> int:
    problem = missing_schema_history()
    if problem is not None:
        return refuse(problem)

    from app.__main__ import main as app_main  # noqa: PLC0415

    return app_main()


sys.exit(main())
