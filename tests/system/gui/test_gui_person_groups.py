"""The People dialog shows each person's groups and assigns them (issue 25, point 3):
offscreen, real widgets, people enrolled from real photos; ticking a group in the
person's Groups dialog and pressing OK puts them in it, unticking takes them out, and
the list shows the groups after."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from attendance_app.faces.sface import SFaceEngine
from attendance_app.gui.people_dialog import PeopleDialog
from attendance_app.recognition.photos import enrolment_shot
from enrolment import FaceStore, GroupBook


def _press_ok(dialog: object) -> None:
    box = dialog.findChild(QDialogButtonBox)  # type: ignore[attr-defined]
    box.button(QDialogButtonBox.StandardButton.Ok).click()


def test_a_person_is_put_in_groups_and_the_list_shows_them(qtbot, tmp_path: Path,
                                                            faces_dir: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    engine = SFaceEngine()
    for name in ("obama", "clapton"):
        store.enrol(name, [enrolment_shot(engine, next((faces_dir / "enrol" / name).iterdir()),
                                          60)])
    book = GroupBook(store)
    book.add("Class 3B", 0b0011111, "08:30", 10)
    book.add("Choir", 0b0100100, "08:00", 0)
    dialog = PeopleDialog(store)
    qtbot.addWidget(dialog)
    assert not dialog.groups_button.isEnabled(), "nobody selected"
    dialog.select("obama")
    assert dialog.groups_button.isEnabled()

    groups = dialog.groups_dialog()
    assert groups is not None
    qtbot.addWidget(groups)
    assert groups.ticked() == {"Choir": False, "Class 3B": False}
    groups.list.item(1).setCheckState(Qt.CheckState.Checked)
    groups.list.item(0).setCheckState(Qt.CheckState.Checked)
    _press_ok(groups)
    assert [(g.name, g.members) for g in book.groups()] == [("Choir", 1), ("Class 3B", 1)]
    dialog.reload()
    row = dialog.model.row_of("obama")
    assert dialog.model.index(row).data().endswith(" · Choir, Class 3B")
    assert " · " + "Choir" not in dialog.model.index(dialog.model.row_of("clapton")).data()

    dialog.select("obama")
    groups = dialog.groups_dialog()
    qtbot.addWidget(groups)
    assert groups.ticked() == {"Choir": True, "Class 3B": True}
    groups.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    _press_ok(groups)
    assert [(g.name, g.members) for g in book.groups()] == [("Choir", 0), ("Class 3B", 1)]
