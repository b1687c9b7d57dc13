"""The today list shows each row's age and gender estimate (analytics.age_gender): a real
estimate of a shared face, committed to a real journal and read back as the window reads
its day, in the real panel (offscreen)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import datetime
from pathlib import Path

from attendance_app.camera.images import load_bgr
from attendance_app.faces.age_gender import AgeGenderEstimator
from attendance_app.faces.sface import SFaceEngine
from attendance_app.gui.attendance_panel import AttendancePanel
from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent


def test_the_today_list_shows_the_estimate_beside_the_name_and_none_without_one(
        qtbot, tmp_path: Path, faces_dir: Path) -> None:
    photo = faces_dir / "lfw" / "enrol" / "Keanu_Reeves" / "Keanu_Reeves_0001.jpg"
    bgr = load_bgr(photo)
    box = max(SFaceEngine().detect_in_photo(bgr), key=lambda face: face.area)
    estimate = AgeGenderEstimator().estimate(bgr, box)
    journal = Journal(tmp_path / "journal.sqlite3")
    now = datetime.now().replace(microsecond=0)
    journal.record(AttendanceEvent(now, 1, "keanu", "Door", 0.3, "in", age_gender=estimate))
    journal.record(AttendanceEvent(now, 2, "winona", "Door", 0.3, "in"))
    panel = AttendancePanel(tmp_path / "attendance.xlsx")
    qtbot.addWidget(panel)

    panel.load(journal.events())

    names = {panel.table.item(row, 1).text().split()[0]: panel.table.item(row, 1).text()
             for row in range(panel.table.rowCount())}
    assert names["keanu"] == (f"keanu  (age about {estimate.age:.0f}, {estimate.gender} "
                              f"{estimate.probability:.0%})")
    assert names["winona"] == "winona"
