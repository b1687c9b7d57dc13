"""The "Unknown visitors" dialog, driven through its real buttons on real faces (offscreen):
one row per person with their face, visits and dates, most visits first; "Enrol as…"
enrols the person (every engine's encoding) and tells the main window; "Delete…" erases
the group after a confirmation."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from attendance_app.app.workspace import Workspace
from attendance_app.camera.images import load_rgb
from attendance_app.config.settings import parse_config
from attendance_app.faces.sface import SFaceEngine
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.unknowns_dialog import THUMB_PX, UnknownsDialog
from attendance_app.gui.video_worker import SourceState
from attendance_app.people.enrolment import EnrolmentService
from attendance_app.recognition.photos import face_thumbnail, faces_in_photo
from attendance_app.unknowns.store import UNKNOWNS_FILE, NewSighting, UnknownStore
from tests.support.message_boxes import answering
from tests.support.scenes import DoorScene, Walker, render

REGULAR = "John_McCain"  # not enrolled; three photos of him, seen on three days


def _sighting(photo: Path, seen_at: datetime) -> NewSighting:
    """What the camera would keep of a pass: the face picture and its SFace encoding."""
    rgb = load_rgb(photo)
    face = max(faces_in_photo(SFaceEngine(), rgb), key=lambda f: f.box.area)
    return NewSighting(seen_at, "Front door", face_thumbnail(rgb, face.box),
                       round(face.box.height), "sface", face.encoding[None, :])


@pytest.fixture
def visitors(faces_dir: Path, tmp_path: Path) -> tuple[Workspace, dict[str, list[int]]]:
    """A workspace keeping unknown faces 30 days, holding the regular's three passes and
    two strangers' one each; the sighting ids of each person."""
    workspace = Workspace.resolve(parse_config("unknowns:\n  keep_days: 30\n"),
                                  tmp_path / "data", None)
    store = UnknownStore(workspace.data_dir / UNKNOWNS_FILE)
    now = datetime.now().replace(microsecond=0)
    regular = [*(faces_dir / "lfw" / "enrol" / REGULAR).iterdir(),
               *sorted((faces_dir / "lfw" / "probe" / REGULAR).iterdir())][:3]
    ids: dict[str, list[int]] = {"regular": [], "adams": [], "happy": []}
    for day, photo in enumerate(regular):
        ids["regular"].append(store.add(_sighting(photo, now - timedelta(days=6 - 2 * day))))
    ids["adams"].append(store.add(_sighting(faces_dir / "stranger" / "openface_adams.jpg",
                                            now - timedelta(days=3))))
    ids["happy"].append(store.add(_sighting(faces_dir / "stranger" / "faceapi_happy.jpg",
                                            now - timedelta(hours=1))))
    return workspace, ids


def _open(qtbot, workspace: Workspace) -> UnknownsDialog:  # noqa: ANN001 - pytest-qt's fixture
    dialog = UnknownsDialog(workspace, workspace.store())
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.summary.text()), timeout=60_000)
    dialog.show()
    return dialog


def test_each_unknown_person_is_one_row_with_their_face_most_visits_first(
        qtbot, visitors: tuple[Workspace, dict[str, list[int]]]) -> None:
    workspace, ids = visitors
    dialog = _open(qtbot, workspace)
    assert dialog.numbers() == [ids["regular"][0], ids["happy"][0], ids["adams"][0]]
    assert dialog.summary.text() == "3 unknown visitors · faces are kept 30 days"
    first = dialog.model.index(0)
    assert first.data().startswith(f"Group {ids['regular'][0]} · 3 visits\nfirst seen ")
    face = first.data(Qt.ItemDataRole.DecorationRole).pixmap(THUMB_PX).toImage()
    colours = {face.pixel(x, y) for x in range(0, face.width(), 4) for y in range(0, face.height(), 4)}
    assert len(colours) > 50, "each group shows its face (not the grey of a missing picture)"
    assert not dialog.enrol_button.isEnabled(), "nothing chosen yet"
    dialog.select(ids["adams"][0])
    assert dialog.enrol_button.isEnabled() and dialog.delete_button.isEnabled()


def test_enrol_as_enrols_the_group_and_tells_the_window(
        qtbot, visitors: tuple[Workspace, dict[str, list[int]]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    workspace, ids = visitors
    dialog = _open(qtbot, workspace)
    dialog.select(ids["regular"][0])
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: ("John McCain", True))
    with qtbot.waitSignal(dialog.people_changed, timeout=120_000):
        dialog.enrol_button.click()
    qtbot.waitUntil(lambda: not dialog.busy and len(dialog.numbers()) == 2, timeout=60_000)
    assert ids["regular"][0] not in dialog.numbers()
    assert dialog.status.text().startswith("Enrolled John McCain from ")
    store = workspace.store()
    person = store.find("John McCain")
    assert person is not None and person.encoding_count >= 2
    for engine in ("sface", "dlib"):
        assert (store.encoding_table(engine).person_ids == person.person_id).sum() >= 2, engine


def test_enrol_as_asks_naming_who_when_the_group_is_enrolled_under_another_name(
        qtbot, visitors: tuple[Workspace, dict[str, list[int]]], faces_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21, point 2: where `unknowns enrol` refuses the group (its face is enrolled
    as Senator), the window asks, naming who: No keeps the group and enrols nobody, Yes
    enrols them as --force would (identical twins)."""
    workspace, ids = visitors
    first_pass = next((faces_dir / "lfw" / "enrol" / REGULAR).iterdir())
    service = EnrolmentService.at(workspace, workspace.store(), workspace.engine())
    shot = service.judge_photo(first_pass).shot
    assert shot is not None and service.enrol("Senator", [shot]).person is not None
    dialog = _open(qtbot, workspace)
    dialog.select(ids["regular"][0])
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: ("John McCain", True))

    asked = answering(QMessageBox.StandardButton.No)
    dialog.enrol_button.click()
    qtbot.waitUntil(lambda: bool(asked) and not dialog.busy, timeout=120_000)
    assert "already enrolled as Senator" in asked[0] and "John McCain" in asked[0]
    assert [p.name for p in workspace.store().people()] == ["Senator"]
    assert ids["regular"][0] in dialog.numbers(), "No keeps the group"

    asked = answering(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.people_changed, timeout=120_000):
        dialog.enrol_button.click()
    assert asked and "already enrolled as Senator" in asked[0]
    assert sorted(p.name for p in workspace.store().people()) == ["John McCain", "Senator"]


def test_a_refused_enrolment_says_why_and_keeps_the_group(
        qtbot, visitors: tuple[Workspace, dict[str, list[int]]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    workspace, ids = visitors
    dialog = _open(qtbot, workspace)
    dialog.select(ids["adams"][0])
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: ("  ", True))
    dialog.enrol_button.click()  # an empty name: nothing asked of the store
    assert not dialog.busy
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: ("A" * 101, True))
    dialog.enrol_button.click()
    qtbot.waitUntil(lambda: bool(warnings) and not dialog.busy, timeout=60_000)
    assert "at most 100 characters" in warnings[0]
    assert ids["adams"][0] in dialog.numbers() and workspace.store().people() == []


def test_delete_asks_first_then_erases_the_group(
        qtbot, visitors: tuple[Workspace, dict[str, list[int]]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    workspace, ids = visitors
    dialog = _open(qtbot, workspace)
    dialog.select(ids["regular"][0])
    questions: list[str] = []

    def answer(no_or_yes: QMessageBox.StandardButton):  # noqa: ANN202
        return lambda parent, title, text, *rest: questions.append(text) or no_or_yes

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    dialog.delete_button.click()
    assert not dialog.busy and len(dialog.numbers()) == 3, "No keeps the group"
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(dialog.listed, timeout=60_000):
        dialog.delete_button.click()
    assert "Delete the 3 faces kept of group" in questions[0]
    assert dialog.numbers() == [ids["happy"][0], ids["adams"][0]]
    assert UnknownStore(workspace.data_dir / UNKNOWNS_FILE).count() == 2


def test_with_the_setting_off_the_dialog_says_how_to_turn_it_on(qtbot, tmp_path: Path) -> None:
    workspace = Workspace.resolve(parse_config(""), tmp_path / "data", None)
    dialog = UnknownsDialog(workspace, workspace.store(), tmp_path / "config.yaml")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "not kept" in dialog.summary.text(), timeout=30_000)
    assert "unknowns.keep_days" in dialog.summary.text()
    assert str(tmp_path / "config.yaml") in dialog.summary.text()
    assert dialog.numbers() == [] and not (workspace.data_dir / UNKNOWNS_FILE).exists()


def test_a_regular_kept_by_the_window_is_logged_once_enrolled_from_it(
        qtbot, faces_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window plays a door video: the regular passes, his face is kept; enrolled from
    "Unknown visitors…", he is logged by the same running video when he comes back."""
    photos = [*(faces_dir / "lfw" / "enrol" / REGULAR).iterdir(),
              *sorted((faces_dir / "lfw" / "probe" / REGULAR).iterdir())]
    fps, back = 25.0, 24 * 25  # he comes back after 24 s, time enough to enrol him
    walk = [Walker("regular", photos[0], 10, 85, (0.15, 0.45), (0.85, 0.5)),
            Walker("regular", photos[3], back, back + 75, (0.15, 0.45), (0.85, 0.5))]
    video = render(DoorScene((960, 540), fps, back + 100, tuple(walk)), tmp_path / "door.mp4")
    workspace = Workspace.resolve(parse_config("unknowns:\n  keep_days: 30\n"),
                                  tmp_path / "data", None)
    window = MainWindow(workspace, str(video), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    kept = workspace.data_dir / UNKNOWNS_FILE
    qtbot.waitUntil(lambda: kept.exists() and UnknownStore(kept).count() == 1, timeout=60_000)

    next(a for a in window.toolbar.actions() if a.text() == "Unknown visitors…").trigger()
    dialog = window.findChild(UnknownsDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.busy and len(dialog.numbers()) == 1, timeout=60_000)
    dialog.select(dialog.numbers()[0])
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: ("John McCain", True))
    with qtbot.waitSignal(dialog.people_changed, timeout=60_000):
        dialog.enrol_button.click()
    assert window.panel.names() == [] and "1 person enrolled" in window.people_label.text()
    qtbot.waitUntil(lambda: window.camera_label.text() == SourceState.ENDED, timeout=120_000)
    assert window.panel.names() == ["John McCain"]
    window.close()
    assert UnknownStore(kept).count() == 0, "his faces left the unknowns; known faces are not kept"


def test_after_an_engine_switch_the_dialog_lists_and_deletes_every_kept_face(
        qtbot, faces_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 20, point 10: the walkers of the shared video kept under SFace vanished from
    the dialog once the engine was dlib (its detector finds no face in most of their
    pictures); now each is a row, and deleting every row empties the store."""
    import subprocess
    import sys

    data = tmp_path / "data"
    config = tmp_path / "sface.yaml"
    config.write_text("unknowns:\n  keep_days: 30\n")
    run = subprocess.run(
        [sys.executable, "-m", "attendance_app", "run", "--headless", "--source",
         str(faces_dir / "video" / "walkers_royal_opera_house.mp4"), "--data-dir", str(data),
         "--config", str(config)], capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr
    store = UnknownStore(data / UNKNOWNS_FILE)
    kept = store.count()
    assert kept >= 5
    workspace = Workspace.resolve(
        parse_config("unknowns:\n  keep_days: 30\nrecognition:\n  engine: dlib\n"), data, None)
    dialog = _open(qtbot, workspace)
    assert sum(len(dialog.groups[n].sightings) for n in dialog.numbers()) == kept
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: QMessageBox.StandardButton.Yes)
    for number in dialog.numbers():
        dialog.select(number)
        with qtbot.waitSignal(dialog.listed, timeout=60_000):
            dialog.delete_button.click()
    assert dialog.numbers() == [] and store.count() == 0


def test_enrol_as_refuses_a_name_with_a_bidi_override_and_keeps_the_group(
        qtbot, visitors: tuple[Workspace, dict[str, list[int]]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 20, point 12: the dialog checks names by the one rule (check_name)."""
    workspace, ids = visitors
    dialog = _open(qtbot, workspace)
    dialog.select(ids["regular"][0])
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: ("John\u202eniaCcM", True))
    dialog.enrol_button.click()
    qtbot.waitUntil(lambda: bool(warnings) and not dialog.busy, timeout=60_000)
    assert "U+202E (RIGHT-TO-LEFT OVERRIDE)" in warnings[0] and "\u202e" not in warnings[0]
    assert ids["regular"][0] in dialog.numbers() and workspace.store().people() == []
