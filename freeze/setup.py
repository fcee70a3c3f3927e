"""cx_Freeze entry for every platform. Run it from a folder without a pyproject.toml (setuptools
would read the project's, which belongs to hatchling), e.g. build/<platform>/:

    Linux:   uv run --group freeze python freeze/build.py     (runs this with build_exe)
    Windows: cd build\\win && uv run --group freeze python ..\\..\\freeze\\setup.py bdist_msi  (UNTESTED)
    macOS:   cd build/mac && uv run --group freeze python ../../freeze/setup.py bdist_dmg  (UNTESTED)
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))  # the app and migrations packages, for cx_Freeze's finder

import config  # noqa: E402
from cx_Freeze import setup  # noqa: E402

options: dict[str, dict[str, object]] = {"build_exe": config.build_exe_options()}
icon: str | None = None
if sys.platform == "win32":
    from windows import msi

    icon = str(config.ICONS / "samplebook.ico")
    options["bdist_msi"] = msi.bdist_msi_options(
        config.project_version(), config.executables(icon=icon)
    )
elif sys.platform == "darwin":
    from macos import mac

    icon = str(config.ICONS / "samplebook.icns")
    options["bdist_mac"] = mac.bdist_mac_options(config.project_version())
    options["bdist_dmg"] = mac.bdist_dmg_options(config.project_version())

setup(
    name="Samplebook",
    version=config.project_version(),
    description="Samplebook: a desktop notebook of lab and field samples",
    author="Samplebook",
    license="MIT",
    # No setuptools package discovery in freeze/: everything comes from the executables' imports.
    packages=[],
    py_modules=[],
    options=options,
    executables=config.executables(icon=icon),
)
