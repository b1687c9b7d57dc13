"""The Settings dialog edits the site's hours (issue 25, point 2: before, the start time
was in the settings file only): the start of the day, the week days and the grace of
people in no group, offscreen on real widgets; a bad value is refused in one line naming
the setting, and what is saved is what the reports read."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from attendance_app.config.declarations import declared
from attendance_app.config.settings import AppConfig, AttendanceConfig, load_config
from attendance_app.gui.settings_dialog import SettingsDialog
from attendance_app.records.schedule import site_hours
from exports.hours import parse_days


def test_the_site_hours_are_edited_checked_and_saved(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    dialog = SettingsDialog(AppConfig(), path, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    hours = dialog.hours
    grace = declared("attendance", "grace_minutes")
    assert (hours.grace.minimum(), hours.grace.maximum()) == (grace.low, grace.high)
    assert hours.grace.toolTip() == grace.tooltip()
    dialog.save()
    assert "start_time" not in path.read_text(encoding="utf-8"), "nothing edited, nothing written"

    dialog = SettingsDialog(AppConfig(), path, tmp_path)
    qtbot.addWidget(dialog)
    dialog.hours.texts["start_time"].setText("25:00")
    dialog.save()
    assert dialog.error.text() == ("Start of the day: '25:00' is not a time of day; write it "
                                   "as HH:MM, e.g. 08:30")
    dialog.hours.texts["start_time"].setText("08:45")
    dialog.hours.texts["default_days"].setText("weekdays")
    dialog.save()
    assert dialog.error.text() == ("Week days expected: 'weekdays' is not a list of week days; "
                                   "write e.g. mon-fri or mon,wed,fri")
    dialog.hours.texts["default_days"].setText("mon-fri")
    dialog.hours.grace.setValue(7)
    dialog.save()
    assert dialog.saved is not None
    saved = dialog.saved.attendance
    assert saved == AttendanceConfig(start_time="08:45", default_days="mon-fri", grace_minutes=7)
    assert load_config(path) == dialog.saved
    assert site_hours(saved).days == parse_days("mon-fri") and site_hours(saved).grace == 7
