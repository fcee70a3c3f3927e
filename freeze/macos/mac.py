"""macOS app bundle and DMG options for cx_Freeze — NOT BUILT OR TESTED (no Mac here).

    mkdir -p build/mac && cd build/mac && uv run --group freeze python ../../freeze/setup.py bdist_dmg

The bundle's Info.plist (freeze/macos/Info.plist) declares the Samplebook document type
(``CFBundleDocumentTypes``, role Editor, for ``.db`` with rank Alternate): macOS associates by
extension/UTI only and cannot test the application id at byte 68, so Samplebook is offered in
"Open With" for .db files without becoming the default for other SQLite files.
Both executables live in Contents/MacOS; ``samplebook-doc`` can be symlinked into PATH.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
ICONS = HERE.parent.parent / "resources" / "icons"


def bdist_mac_options(version: str) -> dict[str, object]:
    return {
        "bundle_name": "Samplebook",
        "iconfile": str(ICONS / "samplebook.icns"),
        "custom_info_plist": str(HERE / "Info.plist"),
        "plist_items": [
            ("CFBundleShortVersionString", version),
            ("CFBundleVersion", version),
        ],
    }


def bdist_dmg_options(version: str) -> dict[str, object]:
    return {
        "volume_label": f"Samplebook {version}",
        "applications_shortcut": True,
    }
