"""The People dialog at a door of a site with a central database (issue 25, point 1):
its group buttons are on, a group added in the Groups dialog and a person ticked into it
are written on the server and reach another door's copy. Offscreen, real widgets, the
real PostgreSQL server of the suite."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase
from attendance_app.central.replica import SharedFaceStore
from attendance_app.central.roster import CentralRoster
from attendance_app.gui.groups_dialog import GroupForm, GroupsDialog
from attendance_app.gui.people_dialog import PeopleDialog
from enrolment import GroupBook, NewEncoding
from tests.support.encodings import random_face


def test_groups_made_in_the_window_are_the_sites(qtbot, tmp_path: Path,
                                                  database_url: str) -> None:
    central = CentralDatabase(database_url)
    schema.initialise(central)
    CentralRoster(central).enrol("Ada", [NewEncoding(random_face(1), "ada.jpg")],
                                 {"dlib": 0.01})
    copy = SharedFaceStore(tmp_path / "a" / "central-roster.sqlite3", CentralRoster(central))
    copy.pull()
    dialog = PeopleDialog(copy)
    qtbot.addWidget(dialog)
    assert dialog.manage_button.isEnabled()
    dialog.select("Ada")
    assert dialog.groups_button.isEnabled()

    groups = GroupsDialog(dialog.group_book(), dialog)
    qtbot.addWidget(groups)
    form = GroupForm("New group", None, groups)
    qtbot.addWidget(form)
    form.name.setText("Class 3B")
    form.start.setText("08:30")
    form.days.setText("mon-fri")
    form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    groups.add(form)
    assert groups.names() == ["Class 3B"]
    ticks = dialog.groups_dialog()
    assert ticks is not None
    qtbot.addWidget(ticks)
    ticks.list.item(0).setCheckState(Qt.CheckState.Checked)
    ticks.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    other = SharedFaceStore(tmp_path / "b" / "central-roster.sqlite3", CentralRoster(central))
    other.pull()
    book = GroupBook(other)
    assert [(g.name, g.start, g.members) for g in book.groups()] == [("Class 3B", "08:30", 1)]
    assert book.memberships() == {copy.find("Ada").person_id: [book.groups()[0].group_id]}
