"""The Calendar dialog at a door of a site with a central database (issue 25, point 3): it
opens (no refusal any more), a leave added through its form and closed days removed with
its button are written on the server and reach another door's copy; with the server out
of reach, a change is refused in one line under the lists and the dialog still lists the
copy. Offscreen, real widgets, the real PostgreSQL server of the suite."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox, QWidget

from attendance_app.app.workspace import Workspace
from attendance_app.central import schema
from attendance_app.central.calendar_book import SharedDaysOffBook
from attendance_app.central.database import CentralDatabase
from attendance_app.central.replica import SharedFaceStore
from attendance_app.central.roster import CentralRoster
from attendance_app.config.settings import AppConfig
from attendance_app.gui.calendar_dialog import open_calendar
from enrolment import DaysOffBook, NewEncoding
from tests.support.encodings import random_face

DAY = date(2030, 3, 4)


def test_the_calendar_dialog_writes_the_sites_calendar(qtbot, tmp_path: Path,  # noqa: ANN001
                                                        database_url: str) -> None:
    central = CentralDatabase(database_url)
    schema.initialise(central)
    CentralRoster(central).enrol("Ada", [NewEncoding(random_face(1), "ada.jpg")],
                                 {"dlib": 0.01})
    other = SharedFaceStore(tmp_path / "b" / "central-roster.sqlite3", CentralRoster(central))
    other.pull()
    SharedDaysOffBook(other).close(DAY, DAY, "Strike")
    workspace = Workspace.resolve(AppConfig(), tmp_path / "a", None, database_url)
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = open_calendar(workspace, workspace.store(), parent)
    assert dialog.closures.item(0).text() == "Mar 4, 2030 · Whole site · Strike"

    form = dialog.add_leave_form()
    form.fields["Person"].setCurrentText("Ada")
    form.fields["From"].setText(f"{DAY}")
    form.fields["To"].setText(f"{DAY}")
    form.fields["Reason"].setText("training")
    form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert form.error.text() == ""
    dialog.closures.setCurrentRow(0)
    dialog.buttons["Remove"].click()
    other.pull()
    book = DaysOffBook(other)
    assert book.closures() == []
    assert [(e.person, e.first, e.reason) for e in book.leave()] == [("Ada", DAY, "training")]

    gone = Workspace.resolve(AppConfig(), tmp_path / "a", None,
                             database_url.rsplit(":", 1)[0] + ":1/"
                             + database_url.rsplit("/", 1)[1])
    offline = open_calendar(gone, gone.roster_copy(), parent)
    assert offline.leave.item(0).text().endswith("Ada · Mar 4, 2030 · training")
    offline.leave.setCurrentRow(0)
    offline.buttons["Remove leave"].click()
    assert offline.status.text().startswith("the central database")
    assert offline.leave.count() == 1
