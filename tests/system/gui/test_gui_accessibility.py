"""Issue 27 point 5: a screen reader names every control of the window and of every
dialog it opens, and Tab goes through each dialog in reading order.

The names are read as a screen reader reads them (QAccessible's Name, which takes a
label's buddy, a button's text, or the name set on a list or a table); the dialogs are
opened beside the window on the real offscreen window (tests/support/dialog_walk.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from attendance_app.gui.accessibility import label_fields
from attendance_app.gui.main_window import MainWindow
from tests.support.dialog_walk import (
    controls,
    door_window,
    every_dialog,
    opening_focus,
    tab_chain,
)

SLACK_PX = 4  # controls on one line may differ by a few pixels


def _name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def _unnamed(top: QWidget) -> list[str]:
    return [f"{type(w).__name__} {w.objectName()!r} {w.toolTip()!r}"
            for w in controls(top) if not _name(w).strip()]


def _backwards(top: QWidget, chain: list[QWidget]) -> list[str]:
    """Steps of `chain` that go back against reading order: up in the same column, or
    to a column on the left (a step to the right may go up: the next column's top)."""
    wrong = []
    for before, after in zip(chain, chain[1:]):
        a = before.mapTo(top, QPoint(0, 0))
        b = after.mapTo(top, QPoint(0, 0))
        up = b.y() + SLACK_PX < a.y()
        new_column_on_the_right = b.x() >= a.x() + before.width() - SLACK_PX
        if up and not new_column_on_the_right:
            wrong.append(f"{_name(before)!r} -> {_name(after)!r}")
    return wrong


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    window = door_window(qtbot, tmp_path)
    yield window
    window.close()  # stops its worker before the test's Qt objects go


def _opens_on_its_buttons(dialog: QWidget) -> bool:
    """Whether `dialog` opens with the focus on a button of its button box although it has
    a field to fill (the correction dialogs opened on Cancel)."""
    focused = opening_focus(dialog)
    fields = [w for w in dialog.findChildren(QWidget)
              if isinstance(w, QLineEdit | QComboBox | QAbstractSpinBox)
              and w.isVisibleTo(dialog) and w.isEnabled() and w.focusProxy() is None
              and not (isinstance(w, QLineEdit | QAbstractSpinBox) and w.isReadOnly())]
    return (isinstance(focused, QPushButton) and isinstance(focused.parentWidget(),
                                                            QDialogButtonBox) and bool(fields))


def test_every_control_of_the_window_and_its_dialogs_has_a_name(window: MainWindow) -> None:
    assert _name(window.video) == "Video" and _name(window.panel.table)
    unnamed = {"Main window": _unnamed(window)}
    walked = []
    for name, dialog in every_dialog(window):
        walked.append(name if controls(dialog) else f"{name}: no control seen")
        unnamed[name] = _unnamed(dialog)
    assert not [name for name in walked if "no control seen" in name], walked
    assert len(walked) >= 15
    assert {name: found for name, found in unnamed.items() if found} == {}


def test_tab_goes_through_every_dialog_in_reading_order(window: MainWindow) -> None:
    backwards = {}
    reached, opened_on_a_button = {}, []
    for name, dialog in every_dialog(window):  # asserted after: each dialog is closed then
        chain = tab_chain(dialog)
        reached[name] = len(chain)
        backwards[name] = _backwards(dialog, chain)
        if _opens_on_its_buttons(dialog):
            opened_on_a_button.append(name)
    assert all(reached.values()), reached
    assert opened_on_a_button == [], "these open with the focus on OK or Cancel, not a field"
    assert {name: steps for name, steps in backwards.items() if steps} == {}


def test_a_label_added_as_a_widget_names_the_field_of_its_row(qtbot) -> None:
    """QFormLayout gives a buddy only to the labels it makes from a text: without
    label_fields, "Workbook:" named nothing and a screen reader said "edit text"."""
    form_widget = QWidget()
    qtbot.addWidget(form_widget)
    form = QFormLayout(form_widget)
    path = QLineEdit()
    row = QWidget()
    form.addRow(QLabel("Workbook:"), path)
    form.addRow(QLabel("Nothing here:"), row)  # no control: no buddy, no error
    browse_row = QFormLayout()
    inner = QLineEdit()
    browse_row.addRow(inner, QPushButton("Browse…"))
    form.addRow(QLabel("Folder:"), browse_row)
    assert _name(path) == ""
    label_fields(form)
    assert _name(path) == "Workbook:"
    assert _name(inner) == "Folder:"
