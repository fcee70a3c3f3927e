"""Windows MSI options for cx_Freeze's bdist_msi — NOT BUILT OR TESTED (no Windows here).

    mkdir build\\win && cd build\\win && uv run --group freeze python ..\\..\\freeze\\setup.py bdist_msi

Samplebook documents are ``.db`` files, and Windows associates by extension only (it cannot look at
the application id inside the file the way shared-mime-info does on Linux). Taking over ``.db``
as its default handler would steal every SQLite/other ``.db`` file on the machine, so the MSI only
adds Samplebook to ``.db``'s "Open with" list (``OpenWithProgids``) and registers a ProgId with an
``open`` verb and the icon; users who want it can make it the default themselves.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"

UPGRADE_CODE = "{3E5CDB53-4602-4C4A-81A4-AE91DC20847D}"  # never change: MSI upgrades rely on it
PROG_ID = "Samplebook.Document"
GUI_EXE = "samplebook.exe"


def gui_component(executables: list[Any]) -> str:
    """The MSI component cx_Freeze 8.7 creates for the GUI executable (same formula as its
    bdist_msi.finalize_options), so the registry rows are installed and removed with it."""
    from cx_Freeze.command.bdist_msi import make_id  # noqa: PLC0415 - msilib: Windows only

    for index, executable in enumerate(executables):
        if os.path.basename(executable.target_name) == GUI_EXE:
            return str(make_id(f"_cx_executable{index}_{executable}"))
    raise ValueError(f"no {GUI_EXE} among the executables")


def registry_rows(component: str) -> list[tuple[object, ...]]:
    """Registry table rows: (Registry, Root, Key, Name, Value, Component). Root -1 = per-machine
    or per-user depending on ALLUSERS."""
    exe = f"[TARGETDIR]{GUI_EXE}"
    return [
        ("sb_progid", -1, rf"Software\Classes\{PROG_ID}", None, "Samplebook document", component),
        ("sb_icon", -1, rf"Software\Classes\{PROG_ID}\DefaultIcon", None, f"{exe},0", component),
        (
            "sb_open",
            -1,
            rf"Software\Classes\{PROG_ID}\shell\open\command",
            None,
            f'"{exe}" "%1"',
            component,
        ),
        ("sb_openwith", -1, r"Software\Classes\.db\OpenWithProgids", PROG_ID, "", component),
        (
            "sb_app",
            -1,
            rf"Software\Classes\Applications\{GUI_EXE}\SupportedTypes",
            ".db",
            "",
            component,
        ),
    ]


def bdist_msi_options(version: str, executables: list[Any]) -> dict[str, object]:
    return {
        "upgrade_code": UPGRADE_CODE,
        "product_name": "Samplebook",
        "product_version": version,
        "output_name": f"samplebook-{version}-win64.msi",
        "initial_target_dir": r"[ProgramFiles64Folder]Samplebook",
        "install_icon": str(ICONS / "samplebook.ico"),
        "all_users": True,
        "add_to_path": True,  # samplebook-doc.exe in terminals
        "summary_data": {"author": "Samplebook", "comments": "Samplebook document notebook"},
        "data": {"Registry": registry_rows(gui_component(executables))},
    }
