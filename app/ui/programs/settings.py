"""The configured external programs, kept in Samplebook's settings file (QSettings under config_dir).

Until a person saves a configuration of their own, the shipped example is offered; once they have
saved one (even an empty list) it is used as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from app.domain.programs import ExternalProgram, example_programs
from app.ui.recent import settings

_GROUP = "external_programs"
_CONFIGURED = "preferences/external_programs_configured"


def _text(store: QSettings, key: str) -> str:
    value = store.value(key, "")
    return value if isinstance(value, str) else ""


def load_programs(store: QSettings | None = None) -> list[ExternalProgram]:
    store = store if store is not None else settings()
    if str(store.value(_CONFIGURED, "false")).lower() != "true":
        return example_programs()
    programs: list[ExternalProgram] = []
    count = store.beginReadArray(_GROUP)
    for index in range(count):
        store.setArrayIndex(index)
        name = _text(store, "name").strip()
        if name:
            programs.append(
                ExternalProgram(name, _text(store, "command"), _text(store, "working_folder"))
            )
    store.endArray()
    return programs


def save_programs(programs: list[ExternalProgram], store: QSettings | None = None) -> None:
    store = store if store is not None else settings()
    store.remove(_GROUP)
    store.beginWriteArray(_GROUP, len(programs))
    for index, program in enumerate(programs):
        store.setArrayIndex(index)
        store.setValue("name", program.name)
        store.setValue("command", program.command)
        store.setValue("working_folder", program.working_folder)
    store.endArray()
    store.setValue(_CONFIGURED, "true")
    store.sync()
