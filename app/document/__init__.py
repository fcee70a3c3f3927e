"""The document lifecycle, free of Qt: inspect, back up, upgrade, create, open, save.

The verbs are named after what they do to a file, like Alembic's ``command`` module. The CLI, the
GUI and the tests all drive these same functions.
"""

from __future__ import annotations

from app.document.backup import backup
from app.document.backup_names import backups_of
from app.document.classify import Inspection, State, inspect
from app.document.connections import open_for_copying, open_read_only, read_only_uri
from app.document.create import create, new_document_file
from app.document.errors import (
    BrokenInstallation,
    CannotWrite,
    DestinationExists,
    DocumentDamaged,
    DocumentError,
    DocumentInUse,
    DocumentTooNew,
    InspectionCancelled,
    NotADocument,
    SelfCheckFailed,
    UpgradeCancelled,
    UpgradeNeeded,
)
from app.document.files import reporting_failures
from app.document.identity import FileIdentity, identity_of
from app.document.info import Counts
from app.document.recovery import Recovery, discard, recover, recoverable
from app.document.releases import release_of
from app.document.repair import RepairReport, repair
from app.document.restore import restore_backup
from app.document.sources import ExportSource, file_source
from app.document.stamps import now
from app.document.temporaries import TABLE_PURPOSE, new_file
from app.document.temporary_exports import (
    TEMPORARY_EXPORT_DAYS,
    changed_since,
    is_kept,
    mark_kept,
    remove_stale_temporary_exports,
    remove_temporary_export,
    temporary_export_path,
    temporary_exports_dir,
)
from app.document.upgrade import UpgradeResult, upgrade
from app.document.workcopy import OpenDocument, Reload, new_document, open_document

__all__ = [
    "TABLE_PURPOSE",
    "TEMPORARY_EXPORT_DAYS",
    "BrokenInstallation",
    "CannotWrite",
    "Counts",
    "DestinationExists",
    "DocumentDamaged",
    "DocumentError",
    "DocumentInUse",
    "DocumentTooNew",
    "ExportSource",
    "FileIdentity",
    "Inspection",
    "InspectionCancelled",
    "NotADocument",
    "OpenDocument",
    "Recovery",
    "Reload",
    "RepairReport",
    "SelfCheckFailed",
    "State",
    "UpgradeCancelled",
    "UpgradeNeeded",
    "UpgradeResult",
    "backup",
    "backups_of",
    "changed_since",
    "create",
    "discard",
    "file_source",
    "identity_of",
    "inspect",
    "is_kept",
    "mark_kept",
    "new_document",
    "new_document_file",
    "new_file",
    "now",
    "open_document",
    "open_for_copying",
    "open_read_only",
    "read_only_uri",
    "recover",
    "recoverable",
    "release_of",
    "remove_stale_temporary_exports",
    "remove_temporary_export",
    "repair",
    "reporting_failures",
    "restore_backup",
    "temporary_export_path",
    "temporary_exports_dir",
    "upgrade",
]
