"""The document lifecycle, free of Qt: inspect, back up, upgrade, create, open, save.

The verbs are named after what they do to a file, like Alembic's ``command`` module. The CLI, the
GUI and the tests all drive these same functions.
"""

from __future__ import annotations

from app.document.backup import backup
from app.document.backup_names import backups_of
from app.document.classify import Inspection, State, inspect
from app.document.create import create
from app.document.errors import (
    BrokenInstallation,
    CannotWrite,
    DestinationExists,
    DocumentDamaged,
    DocumentError,
    DocumentInUse,
    DocumentTooNew,
    NotADocument,
    SelfCheckFailed,
    UpgradeNeeded,
)
from app.document.info import Counts
from app.document.upgrade import UpgradeResult, upgrade
from app.document.workcopy import (
    OpenDocument,
    Recovery,
    discard,
    new_document,
    open_document,
    recover,
    recoverable,
)

__all__ = [
    "BrokenInstallation",
    "CannotWrite",
    "Counts",
    "DestinationExists",
    "DocumentDamaged",
    "DocumentError",
    "DocumentInUse",
    "DocumentTooNew",
    "Inspection",
    "NotADocument",
    "OpenDocument",
    "Recovery",
    "SelfCheckFailed",
    "State",
    "UpgradeNeeded",
    "UpgradeResult",
    "backup",
    "backups_of",
    "create",
    "discard",
    "inspect",
    "new_document",
    "open_document",
    "recover",
    "recoverable",
    "upgrade",
]
