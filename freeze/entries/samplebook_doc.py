"""Frozen entry point of ``samplebook-doc`` (cx_Freeze main script, console base).

Not used from a source checkout (there ``samplebook-doc`` is ``app.cli:main``). Before any command
runs it proves that the schema history this build was made with is really installed: a package that
lost ``migrations/versions/*.py`` would otherwise "upgrade" documents by doing nothing.
"""

from __future__ import annotations

import sys

# The install folder is read-only for users and must stay pristine: Alembic loads env.py and the
# version scripts from disk by path, and Python must not write __pycache__ beside them.
sys.dont_write_bytecode = True

EXIT_BROKEN_INSTALLATION = 1  # the CLI's "internal error": nothing was touched


def main() -> int:
    from app.document.migration import BrokenInstallation, check_installation  # noqa: PLC0415

    try:
        check_installation()
    except BrokenInstallation as error:
        print(
            f"samplebook-doc: this Samplebook installation is incomplete or damaged: {error}\n"
            "No document was opened or changed. Reinstall Samplebook to repair the installation.",
            file=sys.stderr,
            flush=True,
        )
        return EXIT_BROKEN_INSTALLATION

    from app.cli import main as cli_main  # noqa: PLC0415

    return cli_main()


sys.exit(main())
