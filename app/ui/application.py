"""``samplebook [FILE]``: the QApplication, its windows, and ``--smoke OUT.png [FILE]``.

Nothing on the way to the first window imports SQLAlchemy or Alembic; only an upgrade does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from app import APP_NAME, __version__, logs
from app.ui import crash
from app.ui.display_check import display_problem
from app.ui.main_window import MainWindow, app_icon


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="samplebook", description="Samplebook desktop app.")
    parser.add_argument("file", nargs="?", type=Path, help="a Samplebook document to open")
    parser.add_argument(
        "--smoke",
        metavar="OUT.png",
        type=Path,
        help="open FILE, render the main window to OUT.png and exit (0 on success)",
    )
    parser.add_argument(
        "--smoke-plot",
        metavar="PLOT.png",
        type=Path,
        help="with --smoke: also open the plot panel on FILE and save its plot to PLOT.png",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    return parser.parse_args(argv)


def make_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    application = QApplication(argv)
    application.setApplicationDisplayName(APP_NAME)
    application.setDesktopFileName("samplebook")
    application.setWindowIcon(app_icon())
    return application


def new_window() -> MainWindow:
    return MainWindow()


def start(file: Path | None) -> MainWindow:
    """The first window: recovery offer first (if anything is left over), then FILE."""
    from app.ui.recovery import offer_recovery  # noqa: PLC0415

    window = new_window()
    window.show()

    def after_show() -> None:
        dialog = offer_recovery(window, new_window)
        if file is None:
            return
        if dialog is None:
            window.controller.open_path(file)
        else:
            dialog.finished.connect(
                lambda _result: (
                    window.controller.open_path(file)
                    if window.controller.document is None
                    else _open_in_new_window(file)
                )
            )

    QTimer.singleShot(0, after_show)
    return window


def _open_in_new_window(file: Path) -> None:
    window = new_window()
    window.show()
    window.controller.open_path(file)


def run(argv: list[str]) -> int:
    args = parse(argv[1:])
    problem = display_problem()
    if problem is not None:
        # Qt would print a paragraph about plugins and abort (exit 134); one sentence, exit 2.
        print(f"samplebook: {problem}", file=sys.stderr)
        return 2
    logs.setup()
    application = make_application(argv)
    if args.smoke is not None:
        from app.ui.smoke import smoke  # noqa: PLC0415

        return smoke(application, args.smoke, args.file, plot=args.smoke_plot)
    crash.install()
    start(args.file)
    return application.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(sys.argv))
