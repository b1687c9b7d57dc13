"""The keyboard shortcuts of the window and its dialogs: one table, the keys given to the
actions and the list Help → Keyboard shortcuts… shows (issue 27 point 5).

An action takes its key from here by its objectName: the window's toolbar names its
actions after what they do ("open_enrol"), a dialog names the few it has ("find").
The platform's standard key comes first where Qt knows one (Quit, Preferences, Find,
Refresh, Help), so a Mac user gets ⌘, for Settings; the key written here is used where
the platform has none. The list shows the keys as the platform writes them
(QKeySequence.NativeText: "Ctrl+Q" on Linux and Windows, "⌘Q" on macOS).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from attendance_app.i18n import N_, _

StandardKey = QKeySequence.StandardKey

MAIN_WINDOW = N_("Main window")
PEOPLE = N_("People")
VIDEO = N_("The video, once clicked")
WINDOW_WIDE = Qt.ShortcutContext.WindowShortcut


@dataclass(frozen=True)
class Shortcut:
    """One shortcut: the action it triggers (its objectName), what it does (N_, shown
    translated), where it works (N_), the platform's standard key if any, and the key
    used where the platform has no standard one; `context`, where the key acts: anywhere
    in its window, or (Space) only on the widgets the action is added to, so that
    elsewhere Space still presses the focused button."""

    name: str
    what: str
    where: str
    standard: QKeySequence.StandardKey | None
    key: str
    context: Qt.ShortcutContext = WINDOW_WIDE


SHORTCUTS = (
    Shortcut("open_enrol", N_("Enrol a person"), MAIN_WINDOW, None, "Ctrl+E"),
    Shortcut("open_people", N_("People: rename, add shots, delete"), MAIN_WINDOW, None,
             "Ctrl+P"),
    Shortcut("open_unknowns", N_("Unknown visitors"), MAIN_WINDOW, None, "Ctrl+U"),
    Shortcut("open_reports", N_("Reports"), MAIN_WINDOW, None, "Ctrl+R"),
    Shortcut("open_calendar", N_("Calendar: closed days and leave"), MAIN_WINDOW, None,
             "Ctrl+L"),
    Shortcut("choose_source", N_("Choose the camera or video"), MAIN_WINDOW,
             StandardKey.Open, "Ctrl+O"),
    Shortcut("open_settings", N_("Settings"), MAIN_WINDOW, StandardKey.Preferences, "Ctrl+,"),
    Shortcut("toggle_pause", N_("Pause or resume the video"), VIDEO, None, "Space",
             Qt.ShortcutContext.WidgetWithChildrenShortcut),
    Shortcut("keyboard_shortcuts", N_("This list of keyboard shortcuts"), MAIN_WINDOW,
             StandardKey.HelpContents, "F1"),
    Shortcut("quit", N_("Quit (the camera is released and the workbook saved)"), MAIN_WINDOW,
             StandardKey.Quit, "Ctrl+Q"),
    Shortcut("find", N_("Search by name"), PEOPLE, StandardKey.Find, "Ctrl+F"),
    Shortcut("refresh", N_("Read the list of people again"), PEOPLE, StandardKey.Refresh,
             "F5"),
)


def keys_of(shortcut: Shortcut) -> list[QKeySequence]:
    """The keys of `shortcut` on this platform: its standard keys, else its own key."""
    if shortcut.standard is not None:
        standard = [key for key in QKeySequence.keyBindings(shortcut.standard) if not key.isEmpty()]
        if standard:
            return standard
    return [QKeySequence(shortcut.key)]


def native_text(shortcut: Shortcut) -> str:
    """The main key of `shortcut` as this platform writes it ("Ctrl+O"; the platform's
    other bindings, such as a keyboard's own Open key, work without being listed)."""
    return keys_of(shortcut)[0].toString(QKeySequence.SequenceFormat.NativeText)


def install(widget: QWidget) -> list[QAction]:
    """Give each action of `widget` (and of its children) named in SHORTCUTS its keys, and
    say them in its tooltip; returns the actions given keys. Actions of another window
    (a dialog) are left to that window's own call."""
    return [action for action in widget.findChildren(QAction) if install_one(action)]


def install_one(action: QAction) -> bool:
    """Give `action` the keys and context of its row of SHORTCUTS (by its objectName) and
    say them in its tooltip; returns whether it has a row."""
    shortcut = next((row for row in SHORTCUTS if row.name == action.objectName()), None)
    if shortcut is None:
        return False
    action.setShortcuts(keys_of(shortcut))
    action.setShortcutContext(shortcut.context)
    action.setToolTip(_("{action} ({keys})").format(action=action.iconText(),
                                                    keys=native_text(shortcut)))
    return True


def add_action(widget: QWidget, name: str, text: str, slot: object) -> QAction:
    """An action of `widget` named `name` (a row of SHORTCUTS) doing `slot`, active while
    `widget`'s window has the focus: for keys with no button or menu entry of their own."""
    action = QAction(text, widget)
    action.setObjectName(name)
    action.triggered.connect(lambda _=False: slot())  # type: ignore[operator]
    widget.addAction(action)
    return action
