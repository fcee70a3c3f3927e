"""Samplebook: a desktop notebook of samples, measurements and tags kept in one SQLite document."""

from __future__ import annotations

from importlib import metadata as _metadata
from pathlib import Path

APP_NAME = "Samplebook"
#: Folder name used by platformdirs and the environment-variable prefix.
APP_SLUG = "samplebook"
#: What ``__version__`` says when no version can be found (never a real release).
UNKNOWN_VERSION = "0+unknown"


def _version_of_source_tree() -> str:
    """The version in the ``pyproject.toml`` beside the package (a checkout never installed).

    Read rather than copied, so pyproject.toml stays the only place a release sets its version.
    """
    import tomllib  # noqa: PLC0415 - only when the package metadata is missing

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        with pyproject.open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return UNKNOWN_VERSION


def _version() -> str:
    try:
        return _metadata.version(APP_SLUG)
    except _metadata.PackageNotFoundError:  # frozen builds carry their own dist-info (freeze/)
        return _version_of_source_tree()


__version__ = _version()
