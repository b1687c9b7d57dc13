"""Every dialog the main window can open, opened beside it (not modal) on the real
offscreen window, and every widget in them: for the tests that walk the whole window
(accessible names and tab order in tests/system/gui/test_gui_accessibility.py; words left
untranslated).

    window = door_window(qtbot, tmp_path)
    for name, dialog in every_dialog(window):
        for widget in controls(dialog): ...

The dialogs are built as the window builds them (its own open_* methods where it has
one), with a row of today's list and a person where they need one; none is exec()'d.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.gui.about_dialog import AboutDialog, NoticesDialog
from attendance_app.gui.calendar_dialog import open_calendar
from attendance_app.gui.correction_dialogs import (
    AddArrivalDialog,
    CorrectTimeDialog,
    UndoVoidDialog,
)
from attendance_app.gui.groups_dialog import GroupForm, GroupsDialog
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.person_groups_dialog import PersonGroupsDialog
from attendance_app.gui.shortcuts_dialog import open_shortcuts
from attendance_app.gui.source_dialog import SourceDialog
from attendance_app.gui.void_dialog import VoidDialog
from attendance_app.i18n import _
from attendance_app.types import AttendanceEvent
from enrolment import GroupBook

INTERACTIVE = (QAbstractButton, QAbstractSlider, QAbstractItemView, QAbstractSpinBox,
               QComboBox, QLineEdit, QTextEdit, QPlainTextEdit, QTabBar)
"""Kinds of widget a user acts on, focusable or not (a toolbar button takes no focus)."""
LINE_SLACK_PX = 8
"""Controls whose tops differ by less are on one line (a spin box sits 2 px above the
radio button beside it)."""
SCROLL_BAR_HOLDERS = ("qt_scrollarea_hcontainer", "qt_scrollarea_vcontainer")
"""Where Qt puts a scroll area's own bars: they scroll the area, which is named."""


def door_window(qtbot, tmp_path: Path) -> MainWindow:  # noqa: ANN001 - pytest-qt's qtbot
    """The main window on an empty data folder, shown; its source is a video that does
    not exist, so no worker thread runs while the widgets are walked."""
    workspace = Workspace.resolve(AppConfig(), tmp_path / "data", None)
    window = MainWindow(workspace, str(tmp_path / "no-such-video.mp4"), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    return window


def _row(now: datetime) -> AttendanceEvent:
    return AttendanceEvent(now, 1, "Ada Lovelace", "Front door", 0.3, "in", event_id=1)


def every_dialog(window: MainWindow) -> Iterator[tuple[str, QDialog]]:
    """Each dialog the window opens, shown (not modal), with its name; closed after the
    caller has looked at it."""
    now = datetime.now().replace(microsecond=0)
    row = _row(now)
    book = GroupBook(window.store)
    makers = (
        ("Enrol person", lambda: window.open_enrol()),
        ("People", lambda: window.open_people()),
        ("Unknown visitors", lambda: window.open_unknowns()),
        ("Reports", lambda: window.open_reports()),
        ("Calendar", lambda: open_calendar(window.workspace, window.store, window)),
        ("Camera / video", lambda: SourceDialog(window.source, window)),
        ("Settings", lambda: window.open_settings()),
        ("Void row", lambda: VoidDialog(row, window)),
        ("Add arrival", lambda: AddArrivalDialog(["Ada Lovelace"], now, window)),
        ("Correct time", lambda: CorrectTimeDialog(row, now, window)),
        ("Undo void", lambda: UndoVoidDialog(row, window)),
        ("Groups", lambda: GroupsDialog(book, window)),
        ("New group", lambda: GroupForm(_("New group"), None, window)),
        ("Person's groups", lambda: PersonGroupsDialog(book, "Ada Lovelace", 1, window)),
        ("Keyboard shortcuts", lambda: open_shortcuts(window)),
        ("About", lambda: AboutDialog(window)),
        ("Third-party notices", lambda: NoticesDialog("notices", window)),
    )
    for name, make in makers:
        dialog = make()
        dialog.setModal(False)
        dialog.show()
        try:
            yield name, dialog
        finally:
            dialog.reject()
            dialog.close()


def controls(top: QWidget) -> list[QWidget]:
    """The widgets of `top` shown to a user that take the focus or are acted on, in no
    particular order; the parts Qt builds inside a control (a spin box's line edit, a
    scroll area's bars) are the control's, named by it."""
    found = []
    for widget in top.findChildren(QWidget):
        if not widget.isVisibleTo(top) or _inside_a_control(widget, top):
            continue
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus or isinstance(widget, INTERACTIVE):
            found.append(widget)
    return found


def focus_ring(top: QWidget) -> list[QWidget]:
    """The controls Tab visits in `top`, in the order of its focus chain, as Qt's
    focusNextPrevChild picks them: taking the Tab focus, shown, enabled, and not passing
    their focus to another (an editable combo box's line edit is the combo box's). The
    first is the one a window opens on when nothing was given the focus."""
    ring: list[QWidget] = []
    widget = top.nextInFocusChain()
    while widget is not top:
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None
                and widget.isVisibleTo(top) and widget.isEnabled() and widget not in ring):
            ring.append(widget)
        widget = widget.nextInFocusChain()
    return ring


def opening_focus(top: QWidget) -> QWidget | None:
    """The control `top` has the focus on when it opens: the one given it, else the first
    of its focus ring (an offscreen window is never activated, so Qt has not chosen)."""
    ring = focus_ring(top)
    return top.focusWidget() or (ring[0] if ring else None)


def tab_chain(top: QWidget) -> list[QWidget]:
    """The focus ring of `top` from the first control in reading order (the topmost, then
    leftmost): Tab from the last goes back to the first."""
    ring = focus_ring(top)
    if not ring:
        return ring

    corners = {control: control.mapTo(top, QPoint(0, 0)) for control in ring}
    highest = min(corner.y() for corner in corners.values())
    first_line = [c for c in ring if corners[c].y() <= highest + LINE_SLACK_PX]
    start = ring.index(min(first_line, key=lambda control: corners[control].x()))
    return ring[start:] + ring[:start]


def _inside_a_control(widget: QWidget, top: QWidget) -> bool:
    """Whether `widget` is a part Qt made of a control: its focus goes to the control, it
    is a scroll bar or header of a view, or one of a spin box's or combo box's own."""
    if widget.focusProxy() is not None:
        return True
    parent = widget.parentWidget()
    if parent is not None and parent.objectName() in SCROLL_BAR_HOLDERS:
        return True
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractSpinBox | QComboBox | QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return widget.objectName().startswith("qt_")
