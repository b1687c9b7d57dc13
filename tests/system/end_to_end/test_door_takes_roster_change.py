"""Issue 22: a running door takes in a person enrolled meanwhile without building its
gallery again: the window (or the central link) says the roster changed, and the run's own
thread replaces only that person in the gallery in use (roster_watch.brought_up_to_date).

In this process, on a real video of obama walking by, with his real enrolment photo."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from attendance_app.app.door_report import DoorListener, Seen
from attendance_app.app.door_session import HEADLESS, DoorSession
from attendance_app.camera.sources import SourceSpec
from attendance_app.config.settings import AppConfig
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.types import AttendanceEvent
from tests.support.counting_workspace import CountingWorkspace
from tests.support.faults_support import long_door

__all__ = ["long_door"]  # a fixture used below

ENROL_AFTER_FRAMES = 10


class Door(DoorListener):
    """Enrols obama after a few frames, says the roster changed, stops at his first row."""

    def __init__(self, workspace: CountingWorkspace, photo: Path) -> None:
        self.workspace = workspace
        self.shot = enrolment_shot(workspace.engine(), photo, 40)
        self.session: DoorSession | None = None
        self.frames = 0
        self.built_before_change = -1
        self.events: list[AttendanceEvent] = []

    def seen(self, seen: Seen) -> None:
        self.frames += 1
        if self.frames == ENROL_AFTER_FRAMES and self.session is not None:
            self.workspace.store().enrol("obama", [self.shot])
            self.built_before_change = CountingWorkspace.built
            self.session.roster_changed()

    def event_logged(self, event: AttendanceEvent) -> None:
        self.events.append(event)
        if self.session is not None:
            self.session.stop()


def test_a_running_door_names_a_person_enrolled_meanwhile_without_a_rebuild(
        long_door: Path, faces_dir: Path, tmp_path: Path) -> None:
    CountingWorkspace.built = 0
    workspace = CountingWorkspace.resolve(AppConfig(), tmp_path / "data", None)
    workspace.store().enrol("biden", [enrolment_shot(
        workspace.engine(), next((faces_dir / "enrol" / "biden").iterdir()), 40)])
    door = Door(workspace, faces_dir / "enrol" / "obama" / "obama.jpg")
    # the window's options as to the roster: nobody watches the file, the face says
    door.session = DoorSession(workspace, SourceSpec.parse(str(long_door)), door,
                               options=replace(HEADLESS, watch_roster=False))
    door.session.run()

    assert door.built_before_change >= 1, "the door ran with a gallery before obama came"
    assert [event.name for event in door.events] == ["obama"]
    assert door.frames > ENROL_AFTER_FRAMES
    assert CountingWorkspace.built == door.built_before_change, "no gallery built again"
