"""The enrol dialog on real photos fed as camera frames and as files: it must keep good
shots, refuse a frame with no face or two faces (saying why), ask for a turned head
instead of a repeated pose, and enrol what is kept."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig, EnrolmentConfig
from attendance_app.faces import ENGINE_NAMES
from attendance_app.gui.enrol_dialog import EnrolDialog
from attendance_app.people.shot_rules import Advice, ShotVerdict


@pytest.fixture(params=ENGINE_NAMES)
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Workspace:
    """Each engine in turn: the shot rules (one face, size, sharpness, pose) hold for both."""
    defaults = AppConfig()
    config = replace(defaults, enrolment=EnrolmentConfig(shots_needed=2),
                     recognition=replace(defaults.recognition, engine=request.param))
    return Workspace.resolve(config, tmp_path, None)


@pytest.fixture
def dialog(qtbot, workspace: Workspace):
    dialog = EnrolDialog(workspace, workspace.store(), live=False)
    qtbot.addWidget(dialog)
    yield dialog
    dialog.reject()


def offer(qtbot, dialog: EnrolDialog, photo: Path) -> ShotVerdict:
    """Feed a photo file as if the camera had delivered it; return the dialog's verdict."""
    bgr = cv2.imread(str(photo))
    assert isinstance(bgr, np.ndarray), photo
    with qtbot.waitSignal(dialog.verdict_shown, timeout=60_000) as blocker:
        dialog.offer_frame(bgr)
    return blocker.args[0]


def test_camera_shots_are_judged_and_enrolled(qtbot, dialog: EnrolDialog, faces_dir: Path,
                                              workspace: Workspace) -> None:
    assert offer(qtbot, dialog, faces_dir / "noface" / "skimage_coffee.png").advice is Advice.NO_FACE
    assert dialog.advice.text() == Advice.NO_FACE.value
    assert offer(qtbot, dialog, faces_dir / "group" / "two_people.jpg").advice is Advice.SEVERAL_FACES
    assert not dialog.shots and not dialog.save_button.isEnabled()

    first = offer(qtbot, dialog, faces_dir / "enrol" / "obama" / "obama.jpg")
    assert first.accepted and dialog.progress.value() == 1
    again = offer(qtbot, dialog, faces_dir / "enrol" / "obama" / "obama.jpg")
    assert again.advice is Advice.SAME_POSE, "an identical shot adds nothing"
    other = offer(qtbot, dialog, faces_dir / "enrol" / "biden" / "biden.jpg")
    assert other.advice is Advice.OTHER_PERSON
    second = offer(qtbot, dialog, faces_dir / "probe" / "obama" / "obama1.jpg")
    assert second.accepted and dialog.progress.value() == 2
    assert dialog.shots_list.count() == 2
    assert dialog.advice.text() == "Enough good shots: press Save"

    dialog.name_edit.setText("Barack Obama")
    assert dialog.save_button.isEnabled()
    dialog.save_button.click()
    person = workspace.store().find("Barack Obama")
    assert person is not None and person.encoding_count == 2
    assert dialog.enrolled == person
    assert len(workspace.store().face_images("Barack Obama")) == 2


def test_imported_photos_follow_the_command_line_rules(qtbot, dialog: EnrolDialog,
                                                       faces_dir: Path) -> None:
    photos = [faces_dir / "noface" / "dlib_dogs.jpg", faces_dir / "group" / "two_people.jpg",
              faces_dir / "enrol" / "clapton" / "clapton-1.jpg"]
    verdicts: list[ShotVerdict] = []
    dialog.verdict_shown.connect(verdicts.append)
    dialog.import_photos(photos)
    qtbot.waitUntil(lambda: len(verdicts) == 3, timeout=60_000)
    assert [v.accepted for v in verdicts] == [False, False, True]
    assert "no face found" in verdicts[0].detail
    assert "more than one face" in verdicts[1].detail
    assert dialog.shots_list.count() == 1


def test_removing_a_reviewed_shot_takes_it_out_of_the_enrolment(qtbot, dialog: EnrolDialog,
                                                               faces_dir: Path) -> None:
    offer(qtbot, dialog, faces_dir / "enrol" / "obama" / "obama.jpg")
    offer(qtbot, dialog, faces_dir / "probe" / "obama" / "obama1.jpg")
    dialog.shots_list.item(0).setSelected(True)
    assert dialog.remove_button.isEnabled()
    dialog.remove_button.click()
    assert len(dialog.shots) == 1 and dialog.shots[0].source.startswith("camera")
    assert dialog.progress.value() == 1
