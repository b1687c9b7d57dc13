"""Issue 22, point 3, in every enrolment path: a photo file (the command line, the Enrol
dialog's imports) and a camera frame (the dialog's shots, Unknown visitors) with a
background face are enrolled with the person's face and a note of the faces ignored;
`attendance-app enrol` prints the note. Real LFW photos from ../shared/faces-scale."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from attendance_app.app.workspace import Workspace
from attendance_app.camera.images import load_bgr
from attendance_app.cli.main import main
from attendance_app.config.settings import AppConfig
from attendance_app.people.enrolment import EnrolmentService
from attendance_app.people.shot_rules import Advice
from tests.support.shared_sets import faces_scale_root

# Her face is nearest the centre, beside a slightly taller face (see
# tests/unit/recognition/test_dominant_face.py).
PERSON = "Keira_Knightley"


@pytest.fixture
def photo() -> Path:
    return faces_scale_root() / "lfw" / "enrol" / PERSON / f"{PERSON}_0001.jpg"


@pytest.fixture
def service(tmp_path: Path) -> EnrolmentService:
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    return EnrolmentService.at(workspace, workspace.store(), workspace.engine())


def test_a_photo_file_with_a_background_face_is_accepted_with_a_note(
        service: EnrolmentService, photo: Path) -> None:
    verdict = service.judge_photo(photo)
    assert verdict.accepted and verdict.ignored == 1
    assert "1 other face ignored" in verdict.note and verdict.note in verdict.detail


def test_a_camera_frame_follows_the_same_rule(service: EnrolmentService, photo: Path) -> None:
    rgb = cv2.cvtColor(load_bgr(photo), cv2.COLOR_BGR2RGB)
    verdict = service.judge_frame(rgb, "camera", [])
    assert verdict.advice is Advice.GOOD and verdict.ignored == 1
    assert verdict.note in verdict.detail
    photo_shot = service.judge_photo(photo).shot
    assert photo_shot is not None and verdict.shot is not None
    assert float(service.engine.distances(verdict.shot.vector, photo_shot.vector[None])[0]) < 0.01


def test_the_enrol_command_prints_the_note(photo: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["enrol", "Keira Knightley", str(photo), "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"{photo.name}: took the face that clearly dominates; 1 other face ignored" in out
    assert "Enrolled Keira Knightley" in out


def test_enrol_folder_names_the_photos_whose_other_faces_were_ignored(
        photo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "people"
    (folder / PERSON).mkdir(parents=True)
    (folder / PERSON / photo.name).symlink_to(photo)
    assert main(["enrol", "--folder", str(folder), "--data-dir", str(tmp_path / "data")]) == 0
    out = capsys.readouterr().out
    assert "Enrolled 1 of 1 person" in out
    assert (f"Took the face that clearly dominates in 1 photo showing other faces too, and "
            f"ignored the others: {PERSON}/{photo.name}") in out
