"""The people list and the settings dialog, driven through their real buttons: deleting
a person must remove them from the list and from the store (encodings and pictures);
settings must refuse a bad value without touching the file and save a good one keeping
config.yaml's comments and the settings the dialog does not show."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from attendance_app.config.settings import AppConfig, load_config
from attendance_app.faces.dlib_engine import FaceEngine
from attendance_app.gui.people_dialog import PeopleDialog
from attendance_app.gui.settings_dialog import SettingsDialog
from attendance_app.recognition.photos import enrolment_shot
from enrolment import FaceStore, StoreError

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def shots(faces_dir: Path) -> dict:
    engine = FaceEngine()
    return {name: enrolment_shot(engine, next((faces_dir / "enrol" / name).iterdir()), 60)
            for name in ("obama", "clapton")}


def test_deleting_a_person_removes_them_from_list_and_store(qtbot, tmp_path: Path, shots: dict,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    for name, shot in shots.items():
        store.enrol(name, [shot])
    dialog = PeopleDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.names() == ["clapton", "obama"]
    assert not dialog.model.index(0).data(Qt.ItemDataRole.DecorationRole).isNull(), (
        "each person shows their face")
    assert "1 face encoding" in dialog.model.index(1).data()

    dialog.select("obama")
    questions: list[str] = []

    def answer_no(parent, title: str, text: str, *rest) -> QMessageBox.StandardButton:
        questions.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    with qtbot.assertNotEmitted(dialog.people_changed):
        dialog.delete_button.click()
    assert dialog.names() == ["clapton", "obama"], "answering No keeps the person"
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.people_changed, timeout=5000):
        dialog.delete_button.click()
    assert "Delete obama" in questions[0]
    assert dialog.names() == ["clapton"]
    assert store.find("obama") is None
    assert len(store.encoding_table().person_ids) == 1
    with pytest.raises(StoreError):
        store.face_images("obama")


def test_renaming_a_person(qtbot, tmp_path: Path, shots: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    store.enrol("clapton", [shots["clapton"]])
    dialog = PeopleDialog(store)
    qtbot.addWidget(dialog)
    dialog.select("clapton")
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: ("Eric Clapton", True))
    dialog.rename_button.click()
    assert dialog.names() == ["Eric Clapton"]
    assert store.find("Eric Clapton") is not None


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    shutil.copy(REPO / "config.yaml", path)
    return path


def test_settings_refuse_a_bad_workbook_and_leave_the_file_alone(qtbot, tmp_path: Path,
                                                                  config_file: Path) -> None:
    before = config_file.read_text()
    dialog = SettingsDialog(load_config(config_file), config_file, tmp_path)
    qtbot.addWidget(dialog)
    dialog.workbook.setText("attendance.txt")
    dialog.save()
    assert "must end in .xlsx" in dialog.error.text()
    assert dialog.saved is None and config_file.read_text() == before

    dialog.workbook.setText("")
    dialog.source_edit.setText(str(tmp_path / "no-such-video.mp4"))
    dialog.save()
    assert "is not a webcam number" in dialog.error.text()
    assert config_file.read_text() == before


def test_settings_save_keeps_comments_and_hidden_settings(qtbot, tmp_path: Path,
                                                          config_file: Path) -> None:
    dialog = SettingsDialog(load_config(config_file), config_file, tmp_path)
    qtbot.addWidget(dialog)
    dialog.tolerance.setValue(0.45)
    dialog.votes.setValue(4)
    dialog.camera_name.setText("Back door")
    dialog.detector.setCurrentIndex(dialog.detector.findData("cnn"))
    dialog.save()
    assert dialog.error.text() == ""
    config = load_config(config_file)
    assert config.recognition.engine_tolerance == 0.45 and config.recognition.votes_needed == 4
    assert config.camera.name == "Back door" and config.detection.model == "cnn"
    assert config.tracking == AppConfig().tracking, "settings the dialog does not show are kept"
    text = config_file.read_text()
    assert "# dlib's largest face distance at which a face counts as an enrolled person" in text
    assert text.count("\n  #") == (REPO / "config.yaml").read_text().count("\n  #")
    assert dialog.saved == config


def test_choosing_the_face_engine_shows_and_saves_its_own_tolerance(
        qtbot, tmp_path: Path, config_file: Path) -> None:
    """Each engine measures distance its own way: switching the engine in the dialog
    shows that engine's tolerance, and saving keeps the other engine's as it was."""
    dialog = SettingsDialog(load_config(config_file), config_file, tmp_path)
    qtbot.addWidget(dialog)
    defaults = AppConfig().recognition
    assert defaults.engine == "sface"
    assert dialog.tolerance.value() == defaults.sface_tolerance
    dialog.engine.setCurrentIndex(dialog.engine.findData("dlib"))
    assert dialog.tolerance.value() == defaults.tolerance
    dialog.tolerance.setValue(0.5)
    dialog.save()
    assert dialog.error.text() == ""
    recognition = load_config(config_file).recognition
    assert (recognition.engine, recognition.tolerance) == ("dlib", 0.5)
    assert recognition.sface_tolerance == defaults.sface_tolerance
    assert recognition.engine_tolerance == 0.5


@pytest.mark.parametrize("start", ["reference", "user file without those sections"])
def test_the_trust_settings_are_shown_and_saved(qtbot, tmp_path: Path, config_file: Path,
                                                start: str) -> None:
    """Liveness, keeping unknown visitors' faces, the expression, age and gender at arrival
    are opt-in settings a user turns on in the dialog, never by editing a file (issues 13,
    23)."""
    if start != "reference":
        config_file.write_text("camera:\n  name: Gate\n")
    dialog = SettingsDialog(load_config(config_file), config_file, tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.liveness.currentData() == "off"
    assert dialog.keep_unknowns.text() == "not kept" and not dialog.emotion.isChecked()
    assert not dialog.age_gender.isChecked()
    dialog.liveness.setCurrentIndex(dialog.liveness.findData("motion"))
    dialog.keep_unknowns.setValue(30)
    dialog.emotion.setChecked(True)
    dialog.age_gender.setChecked(True)
    dialog.save()
    assert dialog.error.text() == ""
    config = load_config(config_file)
    assert (config.liveness.mode, config.unknowns.keep_days, config.analytics.emotion,
            config.analytics.age_gender) == ("motion", 30, True, True)
    assert config.camera.name == ("Gate" if start != "reference" else AppConfig().camera.name)


def test_the_large_alignment_is_offered_with_its_licence(qtbot, tmp_path: Path,
                                                         config_file: Path) -> None:
    """dlib's 68-point model may not be used in a product (issue 23): the dialog starts on
    the 5-point alignment, names the licence beside the 68-point choice and, once it is
    chosen, says so under it in words; saving writes the choice."""
    dialog = SettingsDialog(load_config(config_file), config_file, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.alignment.currentData() == "small" == AppConfig().recognition.landmarks
    assert not dialog.alignment_licence.isVisible()
    large = dialog.alignment.itemText(dialog.alignment.findData("large"))
    assert "iBUG 300-W" in large and "non-commercial" in large
    assert "not for use in a product" in large
    assert "non-commercial" not in dialog.alignment.currentText()
    dialog.alignment.setCurrentIndex(dialog.alignment.findData("large"))
    assert dialog.alignment_licence.isVisible()
    assert "not for use in a product" in dialog.alignment_licence.text()
    dialog.save()
    assert dialog.error.text() == ""
    assert load_config(config_file).recognition.landmarks == "large"
