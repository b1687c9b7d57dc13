"""Issue 27 points 4 to 6 on the real offscreen window: notices carry their level and go
when resolved; the main actions have keys, listed by Help → Keyboard shortcuts… from the
same table; a photo source with liveness on says, as information, that photos are not
checked, until the source changes."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAction, QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig, load_config
from attendance_app.errors import notice, resolves
from attendance_app.gui import shortcuts
from attendance_app.gui.groups_dialog import GroupForm, GroupsDialog
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.shortcuts_dialog import ShortcutsDialog
from enrolment import GroupBook, NewEncoding
from tests.support.encodings import random_face
from tests.support.message_boxes import answering

log = logging.getLogger("attendance_app.records.workbook_sync")
NATIVE = QKeySequence.SequenceFormat.NativeText


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    window = MainWindow(Workspace.resolve(AppConfig(), tmp_path / "data", None), "9",
                        tmp_path / "config.yaml")
    qtbot.addWidget(window)
    yield window
    window.close()


def _action(window: QWidget, name: str) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.objectName() == name)


def test_notices_carry_their_level_and_a_recovery_clears_its_warning(qtbot, window) -> None:
    log.info("the camera is a photo", extra=notice("about-photos"))
    log.warning("workbook is read-only: make it writable", extra=notice("workbook", "x"))
    log.error("the disk is full: free some room", extra=notice("disk"))
    qtbot.waitUntil(lambda: len(window.notices.texts()) == 3, timeout=5_000)
    assert window.notices.levels() == ["information", "warning", "error"]
    spoken = [QAccessible.queryAccessibleInterface(label).text(QAccessible.Text.Name)
              for label in window.notices.findChildren(QWidget, "")
              if label.accessibleName().startswith(("Information:", "Warning:", "Error:"))]
    assert "Warning: Workbook is read-only: make it writable" in spoken
    assert "Information: The camera is a photo" in spoken

    log.info("workbook is writable again", extra=resolves("workbook", "x"))
    qtbot.waitUntil(lambda: len(window.notices.texts()) == 2, timeout=5_000)
    assert window.notices.levels() == ["information", "error"]
    assert window.statusBar().currentMessage() == "Workbook is writable again"
    log.info("the disk has room again", extra=resolves("never-shown"))  # nothing to clear
    qtbot.wait(100)
    assert window.statusBar().currentMessage() == "Workbook is writable again"


def test_the_main_actions_have_their_keys_and_the_list_shows_the_same(qtbot, window) -> None:
    keys = {name: _action(window, name).shortcut().toString()
            for name in ("open_enrol", "open_people", "open_reports", "open_unknowns",
                         "open_calendar", "choose_source", "quit", "keyboard_shortcuts")}
    assert keys == {"open_enrol": "Ctrl+E", "open_people": "Ctrl+P", "open_reports": "Ctrl+R",
                    "open_unknowns": "Ctrl+U", "open_calendar": "Ctrl+L",
                    "choose_source": "Ctrl+O", "quit": "Ctrl+Q", "keyboard_shortcuts": "F1"}
    assert not _action(window, "open_settings").shortcut().isEmpty()
    assert "(Ctrl+E)" in _action(window, "open_enrol").toolTip()
    bound = [key.toString() for a in window.findChildren(QAction) for key in a.shortcuts()]
    assert len(bound) == len(set(bound)), "a key given twice in one window"

    help_entry = next(a for a in window.help_menu.actions() if a.objectName() == "keyboard_shortcuts")
    assert help_entry.text() == "Keyboard shortcuts…"
    help_entry.trigger()
    [dialog] = [d for d in window.findChildren(ShortcutsDialog) if d.isVisible()]
    rows = dialog.rows()
    assert len(rows) == len(shortcuts.SHORTCUTS)
    assert ("Enrol a person", QKeySequence("Ctrl+E").toString(NATIVE), "Main window") in rows
    assert ("Search by name", QKeySequence("Ctrl+F").toString(NATIVE), "People") in rows
    _action(window, "keyboard_shortcuts").trigger()  # again: the same list comes forward
    assert len([d for d in window.findChildren(ShortcutsDialog) if d.isVisible()]) == 1

    _action(window, "quit").trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)


def test_a_pause_action_of_the_playback_bar_gets_space(qtbot) -> None:
    """The playback bar (another part) names its action toggle_pause: install gives it Space,
    acting only on the widgets it is added to (the video), not window-wide."""
    widget = QWidget()
    qtbot.addWidget(widget)
    pause = shortcuts.add_action(widget, "toggle_pause", "Pause", lambda: None)
    unnamed = shortcuts.add_action(widget, "not_in_the_table", "Other", lambda: None)
    assert shortcuts.install(widget) == [pause]
    assert pause.shortcut() == QKeySequence("Space") and unnamed.shortcut().isEmpty()
    assert pause.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut


def test_find_in_people_goes_to_the_search_box(qtbot, window) -> None:
    people = window.open_people()
    qtbot.waitExposed(people)
    people.search.setText("ada")
    find = _action(people, "find")
    assert find.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    find.trigger()
    assert people.search.hasFocus() or people.focusWidget() is people.search
    assert people.search.selectedText() == "ada"
    assert not _action(people, "refresh").shortcut().isEmpty()


def test_photos_with_liveness_on_say_so_once_until_the_source_changes(
        qtbot, faces_dir: Path, tmp_path: Path) -> None:
    settings = tmp_path / "config.yaml"
    settings.write_text("liveness:\n  mode: motion\n")
    workspace = Workspace.resolve(load_config(settings), tmp_path / "data", None)
    photo = faces_dir / "group" / "two_people.jpg"
    window = MainWindow(workspace, str(photo), settings)
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: bool(window.notices.texts()), timeout=120_000)
        [text] = window.notices.texts()
        assert "Liveness is not checked for still photos" in text
        assert "applies to cameras and video files only" in text
        assert window.notices.levels() == ["information"]
        assert window.banner.isHidden(), "information, not a problem with the source"
        window.start_source("9")  # a camera now
        assert window.notices.texts() == []
    finally:
        window.close()


def test_changes_in_the_dialogs_are_confirmed_in_the_status_bar(qtbot, window) -> None:
    """Deleting a person left no word in the status bar (issue 27)."""
    window.store.enrol("Ada", [NewEncoding(random_face(1), "ada.jpg")])
    window.store.enrol("Bob", [NewEncoding(random_face(2), "bob.jpg")])
    people = window.open_people()
    groups = GroupsDialog(GroupBook(window.store), people)
    groups.add(_filled_form(groups, "Class 1A"))
    assert window.statusBar().currentMessage() == "Created the group Class 1A"
    people.select("Bob")
    asked = answering(QMessageBox.StandardButton.Yes)
    people.delete_selected()
    assert asked and window.store.find("Bob") is None
    assert window.statusBar().currentMessage() == (
        "Deleted Bob with every face encoding and picture")


def _filled_form(parent: QWidget, name: str) -> GroupForm:
    form = GroupForm("New group", None, parent)
    form.name.setText(name)
    form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert form.values is not None and form.values[0] == name
    return form


def test_an_action_that_opens_a_dialog_ends_with_an_ellipsis(window) -> None:
    """The toolbar and Help entries that open a dialog say so with "…" (U+2026, not
    three dots), on the toolbar's buttons as well; those that act at once do not."""
    toolbar = [action.text() for action in window.toolbar.actions() if action.text()]
    assert len(toolbar) >= 7 and all(text.endswith("…") for text in toolbar), toolbar
    shown = [window.toolbar.widgetForAction(action).text()
             for action in window.toolbar.actions() if action.text()]
    assert shown == toolbar, "the buttons show the … too (Qt drops it from an icon text)"
    menu = {action.text() for action in window.help_menu.actions() if action.text()}
    assert {"Keyboard shortcuts…", "About Attendance…", "Open log folder"} <= menu
    texts = [*toolbar, *menu, window.panel.void_button.text(),
             window.panel.open_workbook_button.text(), window.panel.open_folder_button.text()]
    assert not [text for text in texts if "..." in text]
    assert not window.panel.open_workbook_button.text().endswith("…")
