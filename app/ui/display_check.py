"""Before Qt starts: is there a display, and can Qt's X11 plugin load?

Without either, Qt prints a paragraph about platform plugins and aborts (exit 134, a core dump).
``samplebook`` checks first and says in one sentence what is wrong and what to do, exit 2.
Only Linux and the BSDs are checked: elsewhere the platform always has a display.

The X11 check loads the xcb platform plugin itself (with its dependencies) before Qt does: the
dynamic loader then names the first system library that is missing, which Qt would only report
as "xcb-cursor0 or libxcb-cursor0 is needed" for every missing library alike.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

NO_DISPLAY = "no display found; set QT_QPA_PLATFORM=offscreen or run under a desktop"

_MISSING = re.compile(r"(lib[\w.+-]+\.so[\w.]*): cannot open shared object file")


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that usually holds ``soname``: libxcb-icccm.so.4 → libxcb-icccm4."""
    name, _, version = soname.partition(".so")
    version = version.lstrip(".").split(".")[0]
    if not version:
        return name
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def missing_library(error: str) -> str | None:
    """The library a loader error says is missing (``dlopen``'s message), if it says one is."""
    match = _MISSING.search(error)
    return match[1] if match else None


def _xcb_plugin() -> Path | None:
    from PySide6.QtCore import QLibraryInfo  # noqa: PLC0415 - QtCore only, no GUI yet

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    plugin = folder / "libqxcb.so"
    return plugin if plugin.is_file() else None


def xcb_problem(plugin: Path | None = None) -> str | None:
    """Why the xcb plugin cannot load, or None when it can (or cannot be found to try)."""
    plugin = plugin if plugin is not None else _xcb_plugin()
    if plugin is None:
        return None
    import ctypes  # noqa: PLC0415 - only for X11's check (start-up elsewhere)

    try:
        ctypes.CDLL(str(plugin))
    except OSError as error:
        library = missing_library(str(error))
        if library is None:
            return f"Qt's X11 platform plugin cannot be loaded ({error})"
        return (
            f"Qt's X11 platform plugin needs {library}, which is not installed "
            f"(on Debian and Ubuntu: sudo apt-get install {debian_package(library)}; the README "
            "lists every library Samplebook needs)"
        )
    return None


def _uses_wayland(environ: Mapping[str, str]) -> bool:
    return bool(environ.get("WAYLAND_DISPLAY")) and environ.get("XDG_SESSION_TYPE") == "wayland"


def display_problem(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """What stops Qt from showing windows, in a sentence; None when nothing is known to."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not (platform.startswith("linux") or "bsd" in platform):
        return None
    chosen = [name.split(":")[0] for name in environ.get("QT_QPA_PLATFORM", "").split(";")]
    chosen = [name.strip() for name in chosen if name.strip()]
    if chosen and chosen[0] not in ("xcb", "wayland"):
        return None  # offscreen, minimal, vnc, eglfs…: no display needed or the person knows
    x11 = bool(environ.get("DISPLAY"))
    wayland = bool(environ.get("WAYLAND_DISPLAY"))
    if not chosen:
        if not x11 and not wayland:
            return NO_DISPLAY
        if _uses_wayland(environ):
            return None
        return None if not x11 else xcb_problem()
    if chosen[0] == "wayland":
        return None if wayland else NO_DISPLAY
    return xcb_problem() if x11 else NO_DISPLAY
