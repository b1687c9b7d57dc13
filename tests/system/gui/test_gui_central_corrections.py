"""The window's corrections at a door of a site with a central database (issue 25, point
4): "Correct time…" on a row of today's list, "Add missed arrival…" and "Undo void…" are
made in the site's log (the row found there by the id made at the door), so the site's
reports see them, and the list then shows the door's rows as the site's log has them; a
row whose void was undone there is voided again from the list. Offscreen, real
widgets, the real PostgreSQL server of the suite."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, datetime, time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QDateTime, Qt

from attendance_app.app.workspace import Workspace
from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase
from attendance_app.central.records import CentralJournal
from attendance_app.central.roster import CentralRoster
from attendance_app.config.settings import AppConfig
from attendance_app.gui.main_window import MainWindow
from attendance_app.types import AttendanceEvent
from enrolment import NewEncoding

WAIT_MS = 30_000
TODAY = date.today()


def _at(minute: int) -> datetime:
    """A time of today just after midnight: in the past whenever the test runs."""
    return datetime.combine(TODAY, time(0, minute))


def _accept(qtbot, window: MainWindow, reason: str) -> None:  # noqa: ANN001 - qtbot
    dialog = window.corrections.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.reason_edit, reason)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def _choose(window: MainWindow, row: int | None, title: str) -> None:
    (action,) = [a for a in window.panel.context_menu(row).actions() if a.text() == title]
    action.trigger()


def test_corrections_in_the_window_are_made_in_the_sites_log(qtbot, tmp_path: Path,
                                                              database_url: str) -> None:
    central = CentralDatabase(database_url)
    schema.initialise(central)
    rng = np.random.default_rng(6)
    for name in ("Ada", "Bob"):
        CentralRoster(central).enrol(name, [NewEncoding(rng.normal(size=128), f"{name}.jpg")],
                                     {"dlib": 0.01})
    workspace = Workspace.resolve(AppConfig(), tmp_path / "gate", None, database_url)
    copy = workspace.roster_copy()
    assert copy is not None
    copy.pull()
    window = MainWindow(workspace, str(tmp_path / "no-such-video.mp4"), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    ada = copy.find("Ada")
    assert ada is not None and window.link is not None
    row = workspace.journal().record(AttendanceEvent(_at(5), ada.person_id, "Ada", "Gate", 0.3,
                                                     "in"))
    window.panel.load(workspace.journal().events_on(TODAY))
    window.link.notify()
    site = CentralJournal(central, None)
    qtbot.waitUntil(lambda: len(site.events_on(TODAY)) == 1, timeout=WAIT_MS)

    _choose(window, 0, "Correct time…")
    window.corrections.dialog.time_edit.setDateTime(QDateTime(_at(1)))
    _accept(qtbot, window, "clock fast")
    assert [(e.name, e.timestamp) for e in site.events_on(TODAY)] == [("Ada", _at(1))]
    assert "made in the site's log" in window.statusBar().currentMessage()
    shown = window.panel.event_at(0)  # before: the time the camera logged, 00:05
    assert (shown.event_id, shown.timestamp) == (row.event_id, _at(1)), "the door's row, corrected"
    assert "time corrected from" in (shown.correction or "")

    _choose(window, None, "Add missed arrival…")
    window.corrections.dialog.person.setCurrentText("Bob")
    window.corrections.dialog.time_edit.setDateTime(QDateTime(_at(2)))
    _accept(qtbot, window, "camera down")
    assert sorted((e.name, e.camera.startswith("by hand")) for e in site.events_on(TODAY)) == [
        ("Ada", False), ("Bob", True)]
    with central.transaction() as db:
        assert db.execute("SELECT action FROM corrections ORDER BY seq").fetchall() == [
            ("correct time",), ("add arrival",)]
    assert [(window.panel.event_at(n).name, window.panel.event_at(n).timestamp)
            for n in range(2)] == [("Bob", _at(2)), ("Ada", _at(1))]
    hand_added = window.panel.context_menu(0).actions()[0]
    assert hand_added.text() == "Void this row…" and not hand_added.isEnabled()

    window.void_row(window.panel.event_at(1), "not Ada")  # voided at the door, then sent
    window.link.notify()
    qtbot.waitUntil(lambda: _ada(site).void is not None, timeout=WAIT_MS)
    _choose(window, 1, "Undo void…")
    _accept(qtbot, window, "it was Ada")
    assert _ada(site).void is None
    assert window.panel.event_at(1).void is None  # before: struck through, as at the door
    window.void_row(window.panel.event_at(1), "not Ada: her sister")  # before: "void already"
    assert _ada(site).void is not None and _ada(site).void.reason == "not Ada: her sister"
    assert window.panel.event_at(1).void is not None


def _ada(site: CentralJournal) -> AttendanceEvent:
    return next(event for event in site.events_on(TODAY) if event.name == "Ada")
