"""What goes into a frozen Samplebook, shared by every platform's cx_Freeze build.

Imported by freeze/build.py (Linux folder, tarball, .deb) and by freeze/windows/setup_msi.py and
freeze/macos/setup_mac.py (not built or tested here). Pure helpers, no cx_Freeze import at module
level, so tests/freeze/ can test them without freezing anything.

Layout of a frozen folder (also what /opt/samplebook holds in the .deb)::

    samplebook, samplebook-doc      the two executables (GUI base / console base)
    lib/library.zip                 the app and its pure-Python dependencies, compiled
    lib/PySide6/...                 Qt libraries and plugins (pruned, see QT_PLUGIN_DROP)
    lib/migrations/                 env.py, script.py.mako, versions/*.py as real source files:
                                    Alembic loads them from disk by path
    resources/icons/                the application icon (SVG + PNG sizes), for the window
    resources/guide/                the user guide (Help ▸ User Guide), read offline
    share/                          .desktop entry and MIME type, for installers and tarball users
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FREEZE = ROOT / "freeze"
MIGRATIONS = ROOT / "migrations"
RESOURCES = ROOT / "resources"
ICONS = RESOURCES / "icons"
#: The user guide (Help ▸ User Guide), read by the frozen app from resources/guide/.
GUIDE = RESOURCES / "guide"

APP_ID = "samplebook"
GUI_NAME = "samplebook"
CLI_NAME = "samplebook-doc"
MIME_TYPE = "application/x-samplebook"
#: ``PRAGMA application_id`` of Samplebook documents ("SmpB"), big-endian at byte 68 of the file.
APPLICATION_ID = 0x536D7042
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

#: Never frozen: development tools, test frameworks and stdlib parts the app does not use.
EXCLUDES = [
    "_pytest",
    "pytest",
    "pytestqt",
    "pytest_alembic",
    "hypothesis",
    "mypy",
    "mypyc",
    "ruff",
    "importlinter",
    "grimp",
    "cx_Freeze",
    "freeze_core",
    "setuptools",
    "pkg_resources",
    "pip",
    "_distutils_hack",
    "distutils",
    "tkinter",
    "_tkinter",
    "turtle",
    "turtledemo",
    "idlelib",
    "lib2to3",
    "pydoc_data",
    "ensurepip",
    "venv",
    "test",
    "unittest",
    "doctest",
    "xmlrpc",
    "curses",
    "sqlite3.test",
    "readline",  # and with it bundled libreadline/libtinfo
    "pygments",  # optional syntax highlighting of Mako tracebacks
    "zoneinfo",  # and with it a copy of the tz database in share/zoneinfo
    "ssl",  # no networking: no bundled OpenSSL or certs.pem
    "_ssl",
    # Test suites. (Not SQLAlchemy's other dialects: alembic.ddl imports all of them at start.)
    "alembic.testing",
    "sqlalchemy.testing",
    # Shipped as real files in lib/migrations, never in library.zip (see migrations_imports).
    "migrations",
    # Qt modules Samplebook does not use (pyside6-essentials ships them).
    *(
        f"PySide6.{name}"
        for name in (
            "QtQml",
            "QtQuick",
            "QtQuickControls2",
            "QtQuickTest",
            "QtQuickWidgets",
            "QtDesigner",
            "QtHelp",
            "QtUiTools",
            "QtSql",
            "QtNetwork",
            "QtConcurrent",
            "QtDBus",
            # Not QtOpenGL, QtOpenGLWidgets or QtTest: pyqtgraph (the plot panel) imports them.
            "QtXml",
            "QtLabsStyleKit",
            "QtQmlFeatures",
            "scripts",
        )
    ),
]

#: Libraries the plot panel loads (when it first opens): pyqtgraph reads its colour maps and icons
#: from files beside its modules, so it stays a real folder (not in library.zip), like numpy,
#: whose extension modules cx_Freeze's hook keeps on disk anyway.
PLOT_PACKAGES = ["pyqtgraph", "numpy"]

#: Modules imported by name at run time, which cx_Freeze cannot see: SQLAlchemy's dialect, and the
#: Qt modules pyqtgraph loads with importlib (pyqtgraph.Qt, pyqtgraph.Qt.OpenGLHelpers).
DYNAMIC_IMPORTS = [
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "pydoc",  # pyqtgraph.parametertree imports it (cx_Freeze leaves it out by default)
    *(
        f"PySide6.{name}"
        for name in (
            "QtOpenGL",
            "QtOpenGLWidgets",
            "QtSvg",
            "QtTest",
            "QtCore",
            "QtGui",
            "QtWidgets",
        )
    ),
]

#: Qt plugin folders / files (relative to lib/PySide6/Qt/plugins) removed after freezing: embedded
#: (eglfs, linuxfb, vnc) and compositor back ends, networking, and plugins whose libraries the
#: wheel does not even ship (Qt Pdf, Virtual Keyboard). Qt libraries that only these needed are then
#: removed by freeze/build.py (closure of DT_NEEDED from what is left).
QT_PLUGIN_DROP = [
    "egldeviceintegrations",
    "wayland-graphics-integration-server",
    "wayland-graphics-integration-client/libdmabuf-server.so",
    "wayland-graphics-integration-client/libdrm-egl-server.so",
    "wayland-graphics-integration-client/libshm-emulation-server.so",
    "wayland-graphics-integration-client/libvulkan-server.so",
    "wayland-shell-integration/libfullscreen-shell-v1.so",
    "wayland-shell-integration/libivi-shell.so",
    "wayland-shell-integration/libwl-shell-plugin.so",
    "wayland-shell-integration/libqt-shell.so",
    "platforms/libqeglfs.so",
    "platforms/libqlinuxfb.so",
    "platforms/libqminimalegl.so",
    "platforms/libqvnc.so",
    "platforms/libqvkkhrdisplay.so",
    "platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "imageformats/libqpdf.so",
    "networkinformation",
    "tls",
    "sqldrivers",
    "qmltooling",
    "designer",
    "printsupport",
    "generic",  # evdev / tslib / TUIO input for eglfs
    "vectorimageformats",
]

#: Plugins that may stay although their system libraries are only recommended: Qt skips a plugin
#: it cannot load (here the GTK 3 theme, used for native dialogs on GNOME-like desktops).
OPTIONAL_PLUGINS = {"platformthemes/libqgtk3.so": "libgtk-3-0"}


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    with pyproject.open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def python_files(folder: Path) -> Iterator[Path]:
    """The ``.py`` files of a source tree, skipping bytecode caches."""
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" not in path.parts:
            yield path


def imported_modules(sources: Iterable[str]) -> set[str]:
    """Absolute module names imported by the given Python sources (``from x import y`` → ``x``,
    and ``x.y`` too in case ``y`` is a submodule)."""
    found: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def excluded_but_imported(folder: Path = ROOT / "app") -> list[str]:
    """Modules the app's own code imports although EXCLUDES keeps them out of the build (a Qt
    module added to the GUI later, say): the frozen app would fail with ImportError."""
    excluded = [name for name in EXCLUDES if name != "migrations"]
    names = imported_modules(path.read_text(encoding="utf-8") for path in python_files(folder))
    return sorted(
        name
        for name in names
        if any(name == gone or name.startswith(f"{gone}.") for gone in excluded)
    )


def excluded_at_run_time(loaded: Iterable[str]) -> list[str]:
    """Which of ``loaded`` (``sys.modules`` after using a library) the build leaves out: a
    dependency that imports an excluded module at run time would fail only in the frozen app.

    Excluded are EXCLUDES and cx_Freeze's own default excludes (pydoc, unittest …), less what
    DYNAMIC_IMPORTS includes on purpose."""
    excluded = {name for name in EXCLUDES if name != "migrations"}
    try:
        from cx_Freeze.hooks.unused_modules import DEFAULT_EXCLUDES  # noqa: PLC0415
    except ImportError:  # the freeze group is not installed: check ours only
        DEFAULT_EXCLUDES = set()
    excluded = (excluded | set(DEFAULT_EXCLUDES)) - set(DYNAMIC_IMPORTS)
    return sorted(
        name
        for name in loaded
        if any(name == gone or name.startswith(f"{gone}.") for gone in excluded)
    )


def migrations_imports(folder: Path = MIGRATIONS) -> list[str]:
    """Modules that env.py and the version scripts import.

    Alembic loads those files from disk at run time, so cx_Freeze never sees their imports: they
    are added as ``includes`` (submodule guesses such as ``alembic.op`` are kept only if they are
    importable modules; ``from x import name`` of a plain attribute is dropped).
    """
    import importlib.util  # noqa: PLC0415

    names = imported_modules(path.read_text(encoding="utf-8") for path in python_files(folder))
    keep: set[str] = set()
    for name in names:
        top = name.split(".")[0]
        if top in ("__future__", "migrations"):
            continue
        try:
            if importlib.util.find_spec(name) is not None:
                keep.add(name)
        except (ImportError, ValueError, AttributeError):
            continue
    return sorted(keep)


def migration_files(folder: Path = MIGRATIONS) -> list[tuple[Path, str]]:
    """``include_files`` entries shipping the schema history as real files under lib/migrations."""
    entries: list[tuple[Path, str]] = []
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
            continue
        entries.append((path, f"lib/migrations/{path.relative_to(folder).as_posix()}"))
    return entries


def resource_files() -> list[tuple[Path, str]]:
    entries = [
        (path, f"resources/icons/{path.name}")
        for path in sorted(ICONS.iterdir())
        if path.suffix in (".svg", ".png")
    ]
    entries += [
        (path, f"resources/guide/{path.relative_to(GUIDE).as_posix()}")
        for path in sorted(GUIDE.rglob("*"))
        if path.is_file()
    ]
    entries += [
        (RESOURCES / "samplebook.desktop", "share/applications/samplebook.desktop"),
        (RESOURCES / "samplebook-mime.xml", "share/mime/packages/samplebook.xml"),
    ]
    return entries


def metadata_file(version: str, work: Path) -> Path:
    """A minimal dist-info METADATA so the frozen ``app.__version__`` comes from pyproject.toml
    (importlib.metadata finds it inside library.zip) rather than app/__init__.py's fallback."""
    path = work / f"samplebook-{version}.dist-info" / "METADATA"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Metadata-Version: 2.1\nName: samplebook\nVersion: {version}\n", "utf-8")
    return path


def build_exe_options(build_dir: Path | None = None) -> dict[str, object]:
    """cx_Freeze ``build_exe`` options, the same on every platform."""
    version = project_version()
    metadata = metadata_file(version, ROOT / "build" / "freeze-metadata")
    options: dict[str, object] = {
        "packages": ["app", *PLOT_PACKAGES],
        # SQLAlchemy loads its dialects by name (create_engine("sqlite://")): invisible to cx_Freeze.
        "includes": sorted({*migrations_imports(), *DYNAMIC_IMPORTS}),
        "excludes": EXCLUDES,
        "include_files": migration_files() + resource_files(),
        "zip_includes": [(metadata, f"samplebook-{version}.dist-info/METADATA")],
        "zip_include_packages": ["*"],
        # Qt's wheel layout must stay on disk (cx_Freeze's PySide6 hook enforces it anyway).
        "zip_exclude_packages": ["PySide6", "shiboken6", *PLOT_PACKAGES],
        # Tracebacks in the log name modules, not the build machine's paths.
        "replace_paths": [("*", "")],
        "include_msvcr": sys.platform == "win32",
        "silent_level": 1,
    }
    if build_dir is not None:
        options["build_exe"] = str(build_dir)
    return options


def executables(*, icon: str | None = None) -> list[object]:
    """The two executables. ``icon``: .ico on Windows, .icns on macOS, unused on Linux."""
    from cx_Freeze import Executable  # noqa: PLC0415

    return [
        Executable(
            script=FREEZE / "entries" / "samplebook.py",
            base="gui",
            target_name=GUI_NAME,
            icon=icon,
            shortcut_name="Samplebook",
            shortcut_dir="ProgramMenuFolder",
        ),
        Executable(
            script=FREEZE / "entries" / "samplebook_doc.py",
            base="console",
            target_name=CLI_NAME,
            icon=icon,
        ),
    ]
