"""Samplebook: a desktop notebook of samples, measurements and tags kept in one SQLite document."""

from __future__ import annotations

from pathlib import Path

APP_NAME = "Samplebook"
#: Folder name used by platformdirs and the environment-variable prefix.
APP_SLUG = "samplebook"
#: What ``__version__`` says when no version can be found (never a real release).
UNKNOWN_VERSION = "0+unknown"


def _version_of_source_tree() -> str | None:
    """The version in the ``pyproject.toml`` beside the package, in a source checkout.

    Read rather than copied, so pyproject.toml stays the only place a release sets its version.
    """
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if not pyproject.is_file():
        return None
    import tomllib  # noqa: PLC0415 - only in a checkout

    try:
        with pyproject.open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


def _version() -> str:
    # A checkout first: it is what `uv run` runs, and importlib.metadata costs tens of ms of
    # start-up scanning every installed distribution.
    found = _version_of_source_tree()
    if found is not None:
        return found
    from importlib import metadata  # noqa: PLC0415

    try:
        return metadata.version(APP_SLUG)
    except metadata.PackageNotFoundError:  # frozen builds carry their own dist-info (freeze/)
        return UNKNOWN_VERSION


__version__ = _version()
