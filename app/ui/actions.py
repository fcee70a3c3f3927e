"""The window's actions and menus, with the platform's standard shortcuts."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from app.ui.messages.documents import SAVE_CLEAN_COPY

Std = QKeySequence.StandardKey


@dataclass
class Actions:
    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    save_clean_copy: QAction
    revert: QAction
    properties: QAction
    export_subset: QAction
    preferences: QAction
    close: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    cut: QAction
    copy: QAction
    paste: QAction
    select_all: QAction
    new_sample: QAction
    duplicate_samples: QAction
    delete_samples: QAction
    add_tag: QAction
    remove_tag: QAction
    set_location: QAction
    manage_tags: QAction
    add_measurement: QAction
    delete_measurements: QAction
    find: QAction
    filter_tags: QAction
    run_program: QAction
    user_guide: QAction
    about: QAction
    recent_menu: QMenu
    programs_menu: QMenu
    tools_menu: QMenu
    edit_menu: QMenu
    view_menu: QMenu


def _action(
    window: QMainWindow,
    text: str,
    shortcut: QKeySequence.StandardKey | str | None = None,
    name: str = "",
) -> QAction:
    action = QAction(text, window)
    if isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(shortcut)
    elif shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.setObjectName(name or text)
    return action


def _fallback(action: QAction, shortcut: str) -> None:
    """A shortcut for platforms whose standard key for ``action`` is empty."""
    if not action.shortcuts():
        action.setShortcut(QKeySequence(shortcut))


def build(window: QMainWindow, undo: QAction, redo: QAction) -> Actions:
    """Create the actions and the File / Edit / View / Tools / Help menus of ``window``."""
    undo.setShortcuts(Std.Undo)
    redo.setShortcuts(Std.Redo)
    undo.setObjectName("undo")
    redo.setObjectName("redo")
    actions = Actions(
        new=_action(window, "&New", Std.New, "new"),
        open=_action(window, "&Open…", Std.Open, "open"),
        save=_action(window, "&Save", Std.Save, "save"),
        save_as=_action(window, "Save &As…", Std.SaveAs, "saveAs"),
        save_clean_copy=_action(window, SAVE_CLEAN_COPY, None, "saveCleanCopy"),
        revert=_action(window, "&Revert to Saved", None, "revert"),
        properties=_action(window, "Document &Properties…", "Ctrl+I", "properties"),
        export_subset=_action(window, "&Export Subset…", "Ctrl+E", "exportSubset"),
        preferences=_action(window, "&Preferences…", Std.Preferences, "preferences"),
        close=_action(window, "&Close", Std.Close, "close"),
        quit=_action(window, "&Quit", Std.Quit, "quit"),
        undo=undo,
        redo=redo,
        cut=_action(window, "Cu&t", Std.Cut, "cut"),
        copy=_action(window, "&Copy", Std.Copy, "copy"),
        paste=_action(window, "&Paste", Std.Paste, "paste"),
        select_all=_action(window, "Select &All", Std.SelectAll, "selectAll"),
        new_sample=_action(window, "New &Sample", "Ctrl+Shift+N", "newSample"),
        duplicate_samples=_action(window, "D&uplicate", "Ctrl+D", "duplicateSamples"),
        delete_samples=_action(window, "&Delete Samples", "Ctrl+Backspace", "deleteSamples"),
        add_tag=_action(window, "Add &Tag…", "Ctrl+T", "addTag"),
        remove_tag=_action(window, "Remo&ve Tag…", "Ctrl+Shift+T", "removeTag"),
        set_location=_action(window, "Set &Location…", "Ctrl+L", "setLocation"),
        manage_tags=_action(window, "Manage Ta&gs…", None, "manageTags"),
        add_measurement=_action(window, "Add &Measurement", "Ctrl+M", "addMeasurement"),
        delete_measurements=_action(
            window, "Delete Measurements", "Ctrl+Shift+Backspace", "deleteMeasurements"
        ),
        find=_action(window, "&Find…", Std.Find, "find"),
        filter_tags=_action(window, "Tag &Filter…", "Ctrl+Shift+F", "filterTags"),
        run_program=_action(window, "&Run Program", None, "runProgram"),
        user_guide=_action(window, "Samplebook &User Guide", Std.HelpContents, "userGuide"),
        about=_action(window, "&About Samplebook", None, "about"),
        recent_menu=QMenu("Open &Recent", window),
        programs_menu=QMenu("External &Programs", window),
        tools_menu=QMenu("&Tools", window),
        edit_menu=QMenu("&Edit", window),
        view_menu=QMenu("&View", window),
    )
    _fallback(actions.save_as, "Ctrl+Shift+S")
    _fallback(actions.quit, "Ctrl+Q")
    _fallback(actions.preferences, "Ctrl+,")
    _fallback(actions.user_guide, "F1")
    actions.quit.setMenuRole(QAction.MenuRole.QuitRole)
    actions.about.setMenuRole(QAction.MenuRole.AboutRole)
    actions.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
    actions.recent_menu.setObjectName("recentMenu")
    actions.programs_menu.setObjectName("programsMenu")
    actions.edit_menu.setObjectName("editMenu")
    actions.view_menu.setObjectName("viewMenu")
    actions.run_program.setMenu(actions.programs_menu)
    actions.run_program.setToolTip("Run an external program on the selected samples")
    for action, tip in (
        (actions.duplicate_samples, "Copy the selected samples (fields and tags), next free codes"),
        (actions.add_tag, "Put a tag on every selected sample"),
        (actions.remove_tag, "Take a tag off every selected sample"),
        (actions.set_location, "Give every selected sample the same location"),
        (actions.manage_tags, "Rename tags, or merge several tags into one"),
        (actions.filter_tags, "Show only samples with all or any of the checked tags"),
    ):
        action.setToolTip(tip)
        action.setStatusTip(tip)

    menu_bar = window.menuBar()
    file_menu = menu_bar.addMenu("&File")
    file_menu.addActions([actions.new, actions.open])
    file_menu.addMenu(actions.recent_menu)
    file_menu.addSeparator()
    file_menu.addActions([actions.save, actions.save_as, actions.save_clean_copy, actions.revert])
    file_menu.addSeparator()
    file_menu.addActions([actions.export_subset, actions.properties])
    file_menu.addSeparator()
    file_menu.addActions([actions.close, actions.quit])

    edit_menu = actions.edit_menu
    menu_bar.addMenu(edit_menu)
    edit_menu.addActions([actions.undo, actions.redo])
    edit_menu.addSeparator()
    edit_menu.addActions([actions.cut, actions.copy, actions.paste, actions.select_all])
    edit_menu.addSeparator()
    edit_menu.addActions([actions.new_sample, actions.duplicate_samples, actions.delete_samples])
    edit_menu.addSeparator()
    edit_menu.addActions([actions.add_tag, actions.remove_tag, actions.set_location])
    edit_menu.addAction(actions.manage_tags)
    edit_menu.addSeparator()
    edit_menu.addActions([actions.add_measurement, actions.delete_measurements])
    edit_menu.addSeparator()
    edit_menu.addActions([actions.find, actions.filter_tags])

    menu_bar.addMenu(actions.view_menu)

    menu_bar.addMenu(actions.tools_menu)
    actions.tools_menu.addMenu(actions.programs_menu)
    actions.tools_menu.addSeparator()
    actions.tools_menu.addAction(actions.preferences)

    help_menu = menu_bar.addMenu("&Help")
    help_menu.addAction(actions.user_guide)
    help_menu.addSeparator()
    help_menu.addAction(actions.about)
    return actions


@dataclass(frozen=True)
class WindowState:
    """What the window's actions depend on."""

    has_document: bool
    read_only: bool
    #: Shown as the clean copy of a document changed outside Samplebook.
    clean_view: bool
    busy: bool
    modified: bool
    has_file: bool
    has_sample: bool
    samples_selected: bool
    measurements_selected: bool
    can_undo: bool
    can_redo: bool
    #: The document has at least one tag (so there is something to rename or remove).
    has_tags: bool = False


def update(actions: Actions, state: WindowState) -> None:
    """Enable exactly the actions that can run now (nothing that writes while work is running)."""
    doc = state.has_document
    editable = doc and not state.read_only and not state.busy
    actions.save.setEnabled(editable)
    actions.save_as.setEnabled(doc and not state.busy)
    actions.save_clean_copy.setEnabled(doc and state.clean_view and not state.busy)
    actions.revert.setEnabled(doc and state.modified and state.has_file)
    actions.properties.setEnabled(doc and not state.busy)
    actions.export_subset.setEnabled(doc and not state.busy)
    actions.close.setEnabled(doc)
    actions.new_sample.setEnabled(editable)
    selection = editable and state.samples_selected
    actions.duplicate_samples.setEnabled(selection)
    actions.delete_samples.setEnabled(selection)
    actions.add_tag.setEnabled(selection)
    actions.remove_tag.setEnabled(selection and state.has_tags)
    actions.set_location.setEnabled(selection)
    actions.manage_tags.setEnabled(editable and state.has_tags)
    actions.add_measurement.setEnabled(editable and state.has_sample)
    actions.delete_measurements.setEnabled(
        editable and state.has_sample and state.measurements_selected
    )
    actions.find.setEnabled(doc)
    actions.filter_tags.setEnabled(doc)
    actions.run_program.setEnabled(doc and not state.busy)
    actions.undo.setEnabled(editable and state.can_undo)
    actions.redo.setEnabled(editable and state.can_redo)
