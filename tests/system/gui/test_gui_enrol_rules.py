"""The real Enrol dialog (offscreen) through each rule of the one enrolment service, on
real faces. The bug it guards against (issue 21): an imported photo of an enrolled person
was saved as "Unsaved Person" without a word, after which the real person was no longer
named at all ("ambiguous: Unsaved Person or obama"). Questions are answered by clicking
the real message box's button once it is open."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from attendance_app.app.workspace import Workspace
from attendance_app.camera.images import load_rgb
from attendance_app.config.settings import AppConfig, EnrolmentConfig
from attendance_app.gui.enrol_dialog import EnrolDialog
from attendance_app.people.enrolment import EnrolmentService
from attendance_app.people.shot_rules import Advice, ShotVerdict
from attendance_app.recognition.photos import identify_photo
from tests.support.message_boxes import answering

Button = QMessageBox.StandardButton


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """The default engine; one shot is enough, so no "few shots" question comes first."""
    return Workspace.resolve(replace(AppConfig(), enrolment=EnrolmentConfig(shots_needed=1)),
                             tmp_path, None)


def enrolled(workspace: Workspace, name: str, photo: Path) -> None:
    """`name` enrolled from `photo` beforehand, as `attendance-app enrol` would."""
    service = EnrolmentService.at(workspace, workspace.store(), workspace.engine())
    verdict = service.judge_photo(photo)
    assert verdict.shot is not None
    assert service.enrol(name, [verdict.shot]).person is not None


def open_dialog(qtbot, workspace: Workspace,  # noqa: ANN001 - pytest-qt's fixture
                person: str | None = None) -> EnrolDialog:
    dialog = EnrolDialog(workspace, workspace.store(), person, live=False)
    qtbot.addWidget(dialog)
    return dialog


def imported(qtbot, dialog: EnrolDialog, *photos: Path) -> list[ShotVerdict]:  # noqa: ANN001
    """Import photo files through the dialog; the verdicts it showed, in order."""
    verdicts: list[ShotVerdict] = []
    dialog.verdict_shown.connect(verdicts.append)
    dialog.import_photos(list(photos))
    qtbot.waitUntil(lambda: len(verdicts) == len(photos) and not dialog.busy, timeout=60_000)
    return verdicts


def named(workspace: Workspace, probe: Path) -> str:
    """What the door would call the one face in `probe`: a name, or the verdict."""
    match = identify_photo(workspace.engine(), workspace.gallery(), load_rgb(probe))[0].match
    assert match is not None
    if match.ambiguous:
        return f"ambiguous: {match.name} or {match.runner_up_name}"
    return match.name if match.accepted and match.name else "Unknown"


def test_an_enrolled_face_under_a_new_name_is_asked_about_and_no_saves_nothing(
        qtbot, workspace: Workspace, faces_dir: Path) -> None:  # noqa: ANN001
    obama = faces_dir / "enrol" / "obama" / "obama.jpg"
    probe = faces_dir / "probe" / "obama" / "obama1.jpg"
    enrolled(workspace, "obama", obama)
    dialog = open_dialog(qtbot, workspace)
    dialog.name_edit.setText("Unsaved Person")
    assert imported(qtbot, dialog, obama)[0].accepted, "a good photo: judged on Save"

    asked = answering(Button.No)
    dialog.save_button.click()
    assert len(asked) == 1 and "already enrolled as obama" in asked[0]
    assert "Save as Unsaved Person anyway?" in asked[0]
    assert [p.name for p in workspace.store().people()] == ["obama"], "No saves nothing"
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.enrolled is None
    assert len(dialog.shots) == 1, "the shots stay, to save under the right name"
    assert named(workspace, probe) == "obama"


def test_yes_enrols_the_face_under_the_second_name_like_force(
        qtbot, workspace: Workspace, faces_dir: Path) -> None:  # noqa: ANN001
    obama = faces_dir / "enrol" / "obama" / "obama.jpg"
    enrolled(workspace, "obama", obama)
    dialog = open_dialog(qtbot, workspace)
    dialog.name_edit.setText("Barack")
    imported(qtbot, dialog, obama)

    asked = answering(Button.Yes)
    dialog.save_button.click()
    assert asked and "already enrolled as obama" in asked[0]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.enrolled is not None and dialog.enrolled.name == "Barack"
    assert sorted(p.name for p in workspace.store().people()) == ["Barack", "obama"]
    assert named(workspace, faces_dir / "probe" / "obama" / "obama1.jpg").startswith("ambiguous")


def test_a_look_alike_is_shown_before_saving(
        qtbot, workspace: Workspace, faces_dir: Path) -> None:  # noqa: ANN001
    """Another photo of lennon, near his but not so near that it must be him (the
    command line enrols it with a warning): the dialog shows the warning and asks."""
    enrolled(workspace, "lennon", faces_dir / "enrol" / "lennon" / "lennon-1.jpg")
    dialog = open_dialog(qtbot, workspace)
    dialog.name_edit.setText("John")
    imported(qtbot, dialog, faces_dir / "probe" / "lennon" / "lennon-2.jpg")

    refused = answering(Button.No)
    dialog.save_button.click()
    assert refused and "John looks like lennon, already enrolled (distance " in refused[0]
    assert "already enrolled as" not in refused[0], "a look-alike, not the same face"
    assert workspace.store().find("John") is None
    asked = answering(Button.Yes)
    dialog.save_button.click()
    assert asked == refused and dialog.enrolled is not None and dialog.enrolled.name == "John"


def test_a_photo_already_enrolled_or_already_taken_is_said_and_not_saved(
        qtbot, workspace: Workspace, faces_dir: Path) -> None:  # noqa: ANN001
    """People -> Add shots of obama with his enrolment photo again."""
    obama = faces_dir / "enrol" / "obama" / "obama.jpg"
    enrolled(workspace, "obama", obama)
    dialog = open_dialog(qtbot, workspace, person="obama")
    first, second = imported(qtbot, dialog, obama, obama)
    assert first.accepted and not second.accepted and second.advice is Advice.ALREADY_TAKEN
    assert dialog.advice.text() == "Skipped obama.jpg: This photo is already among the shots"
    assert len(dialog.shots) == 1

    told = answering(Button.Ok)
    dialog.save_button.click()
    assert told == ["Every shot is already enrolled for obama (the same photos): nothing new "
                    "to save."]
    person = workspace.store().find("obama")
    assert person is not None and person.encoding_count == 1
    assert dialog.result() != QDialog.DialogCode.Accepted
