"""The side-stage interface: a real pipeline on a real face tells a tiny stage every moment.

One enrolled person stands in a synthetic door video, then leaves before it ends. A test
stage, given to the pipeline as its only stage, notes each call, holds the row until a
chosen frame (as the liveness gate does) and annotates it (as the expression stage does):
the row must wait for it, say its prompt on the box meanwhile, carry its annotation, and
the track's end and the run's close must reach it. The faces it is shown are on the
frame itself, in OpenCV's BGR, never a converted copy (engines take BGR).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.recognition.encoders import Look
from attendance_app.recognition.identity import TrackIdentity, VotingRule
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.recognition.pipeline import Pipeline, PipelineSettings
from attendance_app.recognition.stages import Arrival, Stage
from attendance_app.types import Box, Expression, Frame, TrackStatus
from tests.support.scenes import DoorScene, Walker, frames
from trackers import Sort, Track

RELEASE_AT = 30
"""The frame from which the test stage lets the row be written (obama is named earlier)."""
PROMPT = "wait for the probe"
SMILE = Expression("happy", 0.75)


class ProbeStage(Stage):
    """Notes every call; holds each row until frame RELEASE_AT; smiles on every row."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []
        self.frame_index = -1
        self.sent_images: list[np.ndarray] = []

    def saw(self, look: Look, image: np.ndarray, box: Box) -> None:
        self.calls.append(("saw", look.track_id))
        self.sent_images.append(image)

    def encoded(self, look: Look, encoding: np.ndarray) -> None:
        self.calls.append(("encoded", look.track_id))

    def saw_frame(self, frame: Frame, boxes: list[Box], tracks: list[Track],
                  identities: Mapping[int, TrackIdentity], detected: bool) -> list[int]:
        self.frame_index = frame.index
        return [track.track_id for track in tracks
                if frame.index >= RELEASE_AT and track.track_id in identities
                and identities[track.track_id].confirmed]

    def holding(self, track_id: int, identity: TrackIdentity | None,
                when: datetime) -> str | None:
        return PROMPT if self.frame_index < RELEASE_AT else None

    def arriving(self, arrival: Arrival) -> Arrival:
        self.calls.append(("arriving", (arrival.name, self.frame_index)))
        return replace(arrival, expression=SMILE)

    def ended(self, identities: Mapping[int, TrackIdentity], when: datetime) -> None:
        self.calls += [("ended", identity.name) for identity in identities.values()]

    def close(self, identities: Mapping[int, TrackIdentity]) -> None:
        self.calls.append(("close", len(identities)))


def test_a_stage_hears_every_moment_holds_and_annotates_the_row(
        faces_dir: Path, tmp_path: Path) -> None:
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    engine = workspace.engine()
    workspace.store().enrol("obama", [enrolment_shot(
        engine, faces_dir / "enrol" / "obama" / "obama.jpg", 40)])
    recorder = workspace.recorder()
    probe = ProbeStage()
    pipeline = Pipeline(engine, workspace.gallery(engine=engine), Sort(3, 1, 0.2),
                        VotingRule(), PipelineSettings(detect_every_n_frames=1),
                        recorder, stages=[probe])
    standing = Walker("obama", faces_dir / "probe" / "obama" / "obama1.jpg", 0, 44,
                      (0.5, 0.45), (0.5, 0.45))
    started = datetime(2026, 12, 4, 9, 0)
    rows: list[tuple[int, str]] = []
    labels: dict[int, set[tuple[str, TrackStatus]]] = {}
    images: list[np.ndarray] = []
    for index, image in enumerate(frames(DoorScene((480, 270), 25.0, 60, (standing,)))):
        images.append(image)
        result = pipeline.process(Frame(image, index, started + timedelta(seconds=index / 25)))
        rows += [(index, event.name) for event in result.events]
        labels[index] = {(view.label, view.status) for view in result.tracks}
    pipeline.close()
    recorder.close()

    assert rows == [(RELEASE_AT, "obama")], "the row waited for the stage, then came at once"
    assert any(("obama – " + PROMPT, TrackStatus.UNSURE) in seen
               for index, seen in labels.items() if index < RELEASE_AT), "named, held, prompted"
    assert ("obama", TrackStatus.RECOGNISED) in labels[RELEASE_AT]
    [event] = recorder.journal.events()
    assert (event.name, event.expression) == ("obama", SMILE), "the annotation was recorded"
    names = [what for what, _ in probe.calls]
    assert names.count("saw") == names.count("encoded") >= 1, "every look sent came back"
    assert all(any(sent is image for image in images) for sent in probe.sent_images), \
        "the frame itself, not a converted copy"
    assert ("arriving", ("obama", RELEASE_AT)) in probe.calls
    assert ("ended", "obama") in probe.calls, "he left before the video's end"
    assert names.index("ended") < names.index("close") == len(names) - 1
