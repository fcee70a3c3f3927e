"""Debian package metadata for the frozen Samplebook (used by freeze/build.py)."""

from __future__ import annotations

import os
import textwrap

#: Shared libraries the frozen tree needs from the system, by SONAME → Debian 12 package.
#: freeze/build.py fails when a bundled file needs a SONAME missing here, so a Qt upgrade that
#: adds a dependency cannot silently produce a package with incomplete Depends. (On Debian 13 /
#: Ubuntu 24.04 the renamed "t64" packages provide these names on amd64.)
SONAME_PACKAGES: dict[str, str] = {
    # C runtime
    "ld-linux-x86-64.so.2": "libc6",
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libdl.so.2": "libc6",
    "libpthread.so.0": "libc6",
    "librt.so.1": "libc6",
    "libutil.so.1": "libc6",
    "libresolv.so.2": "libc6",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
    # OpenGL / EGL, fonts
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libharfbuzz.so.0": "libharfbuzz0b",
    # GLib, D-Bus
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    # X11 / xcb (the xcb platform plugin; Qt >= 6.5 needs libxcb-cursor0)
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    # Wayland (the wayland platform plugin)
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libdrm.so.2": "libdrm2",
    # GTK 3 platform theme (optional plugin: these only reach Recommends, as libgtk-3-0)
    "libgtk-3.so.0": "libgtk-3-0",
    "libgdk-3.so.0": "libgtk-3-0",
    "libatk-1.0.so.0": "libatk1.0-0",
    "libcairo.so.2": "libcairo2",
    "libcairo-gobject.so.2": "libcairo-gobject2",
    "libpango-1.0.so.0": "libpango-1.0-0",
    "libpangocairo-1.0.so.0": "libpangocairo-1.0-0",
    "libgdk_pixbuf-2.0.so.0": "libgdk-pixbuf-2.0-0",
}

#: Always recommended: the desktop integration the package's files are for.
RECOMMENDS = ("shared-mime-info", "desktop-file-utils", "hicolor-icon-theme", "fonts-dejavu-core")

MAINTAINER = os.environ.get(
    "SAMPLEBOOK_DEB_MAINTAINER", "Samplebook maintainers <samplebook@example.invalid>"
)

DESCRIPTION = """\
desktop notebook of lab and field samples
 Samplebook keeps lab and field samples, their measurements and tags in one
 SQLite document. It opens documents made by every earlier release and
 upgrades them safely, with a backup first.
 .
 This package holds the frozen application in /opt/samplebook (with its own
 Python and Qt), the commands samplebook and samplebook-doc, a desktop entry,
 icons, and a MIME type that recognises Samplebook documents by their content
 (SQLite application id 0x536D7042), so other .db files are left alone.
"""


def control(version: str, installed_kib: int, depends: list[str], recommends: list[str]) -> str:
    fields = [
        ("Package", "samplebook"),
        ("Version", version),
        ("Architecture", "amd64"),
        ("Maintainer", MAINTAINER),
        ("Installed-Size", str(installed_kib)),
        ("Depends", ", ".join(depends)),
        ("Recommends", ", ".join(recommends)),
        ("Section", "science"),
        ("Priority", "optional"),
        ("Description", DESCRIPTION.rstrip("\n")),
    ]
    return "".join(f"{key}: {value}\n" for key, value in fields if value)


def changelog(version: str) -> str:
    return textwrap.dedent(
        f"""\
        samplebook ({version}) stable; urgency=medium

          * Frozen build of Samplebook {version} (see the project's release notes).

         -- {MAINTAINER}  Thu, 01 Jan 2026 00:00:00 +0000
        """
    )
