"""The window's Groups dialog (issue 25, point 3), offscreen on real widgets and a real
face store: a group is added with its hours through the form's OK button (a bad value is
refused in one line and nothing is saved), its hours edited, renamed and deleted, and
what the dialog lists is what the store holds."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QMessageBox

from attendance_app.gui.groups_dialog import GroupForm, GroupsDialog
from enrolment import FaceStore, GroupBook, NewEncoding
from tests.support.encodings import random_face


def _ok(form: GroupForm) -> None:
    form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_groups_are_added_edited_renamed_and_deleted(qtbot, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    store.enrol("Ada", [NewEncoding(random_face(1), "ada.jpg")])
    book = GroupBook(store)
    dialog = GroupsDialog(book)
    qtbot.addWidget(dialog)
    assert dialog.names() == [] and not dialog.hours_button.isEnabled()

    form = GroupForm("New group", None, dialog)
    qtbot.addWidget(form)
    form.name.setText("Class 3B")
    form.start.setText("25:00")
    _ok(form)
    assert form.error.text() == "'25:00' is not a time of day; write it as HH:MM, e.g. 08:30"
    form.start.setText("08:30")
    form.days.setText("weekdays")
    _ok(form)
    assert "is not a list of week days" in form.error.text() and form.values is None
    form.days.setText("mon-fri")
    form.grace.setValue(10)
    _ok(form)
    dialog.add(form)
    assert dialog.names() == ["Class 3B"] and dialog.selected() is not None
    assert dialog.list.item(0).text() == "Class 3B · 0 members · mon-fri 08:30 (+10 min)"

    book.assign("Class 3B", ["Ada"])
    form = GroupForm("Hours", dialog.selected(), dialog)
    qtbot.addWidget(form)
    assert (form.days.text(), form.start.text(), form.grace.value()) == ("mon-fri", "08:30", 10)
    form.days.setText("mon,wed,fri")
    form.end.setText("15:00")
    _ok(form)
    dialog.edit_hours(form)
    assert dialog.list.item(0).text() == ("Class 3B · 1 member · mon,wed,fri 08:30 (+10 min) "
                                          "to 15:00")

    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: ("Class 4B", True))
    dialog.rename_button.click()
    assert dialog.names() == ["Class 4B"] and book.find("Class 3B") is None
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    dialog.delete_button.click()
    assert dialog.names() == [] and book.groups() == []
    assert store.find("Ada") is not None, "its people stay enrolled"
