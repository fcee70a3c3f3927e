"""``samplebook`` / ``python -m app``: start the desktop app."""

from __future__ import annotations

import sys


def main() -> int:
    from app.ui.application import run  # noqa: PLC0415 - Qt loads only for the GUI

    return run(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
