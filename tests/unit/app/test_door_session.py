"""The door session on photo sources, in this process, with a listener that records what
it hears: the gallery is built once (the window built it per photo, a roster pull per
photo at a central door), a roster change between photos is taken in from the next,
a stop ends the run after the photo it is on, and an empty folder is said."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from attendance_app.app.door_report import DoorListener, RunSummary, Seen, SourceState
from attendance_app.app.door_session import HEADLESS, DoorSession
from attendance_app.app.workspace import Workspace
from attendance_app.camera.sources import SourceSpec
from attendance_app.config.settings import AppConfig
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.types import AttendanceEvent
from tests.support.counting_workspace import CountingWorkspace


class Heard(DoorListener):
    """Everything a session says, in order; `on_seen` acts after each photo."""

    def __init__(self) -> None:
        self.states: list[str] = []
        self.seen_photos: list[Path | None] = []
        self.events: list[AttendanceEvent] = []
        self.warnings: list[str] = []
        self.summary: RunSummary | None = None
        self.on_seen = lambda seen: None

    def state_changed(self, state: str) -> None:
        self.states.append(state)

    def seen(self, seen: Seen) -> None:
        self.seen_photos.append(seen.photo)
        self.on_seen(seen)

    def event_logged(self, event: AttendanceEvent) -> None:
        self.events.append(event)

    def warning(self, message: str) -> None:
        self.warnings.append(message)

    def ended(self, summary: RunSummary) -> None:
        self.summary = summary


@pytest.fixture
def workspace(tmp_path: Path) -> CountingWorkspace:
    CountingWorkspace.built = 0
    return CountingWorkspace.resolve(AppConfig(), tmp_path / "data", None)


def _enrol(workspace: Workspace, faces_dir: Path, name: str) -> None:
    photo = next((faces_dir / "enrol" / name).iterdir())
    workspace.store().enrol(name, [enrolment_shot(workspace.engine(), photo, 40)])


def _class_folders(faces_dir: Path, root: Path, count: int) -> Path:
    """`count` class folders, each with the same group photo of obama and biden."""
    for number in range(count):
        (root / f"class_{number}").mkdir(parents=True)
        shutil.copy(faces_dir / "group" / "obama_and_biden.jpg", root / f"class_{number}")
    return root


def test_one_gallery_for_every_photo_and_a_roster_change_from_the_next(
        faces_dir: Path, tmp_path: Path, workspace: CountingWorkspace) -> None:
    _enrol(workspace, faces_dir, "obama")
    classes = _class_folders(faces_dir, tmp_path / "classes", 3)
    heard = Heard()
    session = DoorSession(workspace, SourceSpec.parse(str(classes)), heard)

    def enrol_biden_after_the_first(seen: Seen) -> None:
        if len(heard.seen_photos) == 1:
            _enrol(workspace, faces_dir, "biden")
            session.roster_changed()

    heard.on_seen = enrol_biden_after_the_first
    summary = session.run()

    assert [e.name for e in heard.events] == ["obama", "biden"]  # biden from photo 2 on
    assert [p.parent.name for p in heard.seen_photos if p] == ["class_0", "class_1", "class_2"]
    assert CountingWorkspace.built == 1, "one gallery at start, brought up to date: none per photo"
    assert summary == heard.summary and summary.frames == 3 and summary.events == 2
    assert heard.states == [SourceState.STARTING, SourceState.PHOTOS, SourceState.PHOTOS_DONE]


def test_a_stop_ends_the_run_after_the_photo_it_is_on(
        faces_dir: Path, tmp_path: Path, workspace: CountingWorkspace) -> None:
    _enrol(workspace, faces_dir, "obama")
    heard = Heard()
    session = DoorSession(workspace, SourceSpec.parse(str(_class_folders(
        faces_dir, tmp_path / "classes", 3))), heard, options=HEADLESS)
    heard.on_seen = lambda seen: session.stop()

    summary = session.run()

    assert summary.frames == 1 and [e.name for e in heard.events] == ["obama"]
    assert heard.states[-1] == SourceState.STOPPED


def test_a_folder_without_photos_is_said_and_is_done(tmp_path: Path,
                                                     workspace: CountingWorkspace) -> None:
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    heard = Heard()

    summary = DoorSession(workspace, SourceSpec.parse(str(tmp_path / "empty")), heard).run()

    assert summary.frames == 0 and heard.events == []
    assert len(heard.warnings) == 1 and heard.warnings[0].startswith(
        f"no photos in {tmp_path / 'empty'} or its sub-folders")
    assert heard.states[-1] == SourceState.PHOTOS_DONE
