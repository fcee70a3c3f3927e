"""The log file bug reports point to (in the platform's log folder)."""

from __future__ import annotations

import logging
import logging.handlers
import traceback

from app.paths import log_file

_configured = False


def setup() -> None:
    """Log to a rotating file; safe to call more than once. Never writes to stdout."""
    global _configured  # noqa: PLW0603 - one logging setup per process
    if _configured:
        return
    _configured = True
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:  # an unwritable log folder must not stop the app
        handler = logging.NullHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def log_bug(error: BaseException) -> str:
    """Write ``error``'s traceback to the log file; returns the log file's path for messages."""
    setup()
    text = "".join(traceback.format_exception(error))
    logging.getLogger("samplebook").error("Unexpected error:\n%s", text)
    return str(log_file())
