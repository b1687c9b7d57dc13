"""One video through the app's pipeline, as `run --headless` processes it, with what
liveness saw recorded: per track, every MotionCheck it had (a track's check starts afresh
when its box may have jumped) and the frame it passed on; the time of every look.

The faces are encoded in this process (no worker), so every run does the same work.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

from attendance_app.app.workspace import Workspace
from attendance_app.camera.images import load_rgb
from attendance_app.camera.sources import SourceSpec, read_file_frames
from attendance_app.config.settings import LivenessConfig
from attendance_app.recognition.identity import TrackIdentity
from attendance_app.recognition.liveness import Liveness, MotionCheck
from attendance_app.recognition.liveness_gate import LivenessGate
from attendance_app.recognition.photos import enrolment_shot, face_thumbnail, faces_in_photo
from attendance_app.records.recorder import AttendanceRecorder
from attendance_app.types import AttendanceEvent, Box, Frame
from enrolment import NewEncoding
from trackers import Track


@dataclass
class Observed:
    """What one run's liveness saw: per track its checks, the frame it first passed on,
    and the seconds each look at a face big enough to check took (Liveness.observe)."""

    checks: dict[int, list[MotionCheck]] = field(default_factory=lambda: defaultdict(list))
    passed_at: dict[int, int] = field(default_factory=dict)
    observe_s: list[float] = field(default_factory=list)

    def largest(self, track_id: int) -> float:
        """The highest level the track's checks reached (MotionCheck.largest)."""
        return max((check.largest for check in self.checks.get(track_id, [])), default=0.0)

    def largest_of_all(self) -> float:
        return max((self.largest(track_id) for track_id in self.checks), default=0.0)


class RecordingLiveness(Liveness):
    """Liveness that keeps what it saw in an Observed and times each look."""

    def __init__(self, observed: Observed) -> None:
        super().__init__()
        self.observed = observed

    def check(self, track_id: int) -> MotionCheck:
        check = super().check(track_id)
        kept = self.observed.checks[track_id]
        if not kept or kept[-1] is not check:
            kept.append(check)
        return check

    def observe(self, track_id: int, frame_bgr: np.ndarray, box: Box, frame_index: int) -> None:
        if not MotionCheck.wants(box.height):
            super().observe(track_id, frame_bgr, box, frame_index)
            return
        start = time.perf_counter()
        super().observe(track_id, frame_bgr, box, frame_index)
        self.observed.observe_s.append(time.perf_counter() - start)
        if self.passed(track_id):
            self.observed.passed_at.setdefault(track_id, frame_index)


class EveryFaceGate(LivenessGate):
    """A gate that checks every face until it passes, whoever it is (for pass rates), and
    notes the frames each track was in view on with its face's height (`seen`)."""

    def __init__(self, liveness: Liveness, recorder: AttendanceRecorder | None,
                 min_face_px: int) -> None:
        super().__init__(liveness, recorder, min_face_px)
        self.seen: dict[int, list[tuple[int, float]]] = defaultdict(list)

    def awaits(self, track_id: int, identity: TrackIdentity | None, when: datetime) -> bool:
        return not self.liveness.passed(track_id)

    def saw_frame(self, frame: Frame, boxes: list[Box], tracks: list[Track],
                  identities: Mapping[int, TrackIdentity], detected: bool) -> list[int]:
        for track in tracks:
            if track.time_since_update == 0:
                self.seen[track.track_id].append((frame.index, track.box[3] - track.box[1]))
        return super().saw_frame(frame, boxes, tracks, identities, detected)


@dataclass(frozen=True)
class Run:
    """One video through the pipeline: the rows written (name, frame), the names refused,
    what liveness saw, the frames and the seconds they took (without loading), and with
    every_face each track's frames in view with its face's height."""

    rows: list[tuple[str, int]]
    refused: list[str]
    observed: Observed
    frames: int
    seconds: float
    seen: dict[int, list[tuple[int, float]]]

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.rows]


def run_video(workspace: Workspace, video: Path, mode: str, every_face: bool = False) -> Run:
    """Process `video` as `run --headless` does, with liveness `mode`."""
    config = replace(workspace.config, liveness=LivenessConfig(mode))
    workspace = Workspace.resolve(config, workspace.data_dir, None)
    rows: list[tuple[str, int]] = []
    frame_now = [0]

    def on_event(event: AttendanceEvent) -> None:
        rows.append((event.name, frame_now[0]))

    recorder = workspace.recorder(on_event=on_event)
    pipeline = workspace.pipeline(recorder, encode_in_worker=False)
    observed = Observed()
    seen: dict[int, list[tuple[int, float]]] = {}
    if mode != "off":
        gate_type = EveryFaceGate if every_face else LivenessGate
        gate = gate_type(RecordingLiveness(observed), recorder,
                         workspace.config.detection.min_face_px)
        pipeline.stages = [gate if isinstance(stage, LivenessGate) else stage
                           for stage in pipeline.stages]
        seen = getattr(gate, "seen", {})
    pipeline.engine.warm_up()
    frames, start = 0, time.perf_counter()
    try:
        for frame in read_file_frames(SourceSpec.parse(str(video))):
            frame_now[0] = frame.index
            pipeline.process(frame)
            frames += 1
        seconds = time.perf_counter() - start
        pipeline.finish()
    finally:
        recorder.close()
    refused = [refusal.name for refusal in recorder.journal.refusals()]
    return Run(rows, refused, observed, frames, seconds, seen)


def video_fps(video: Path) -> float:
    """The frame rate the file declares."""
    capture = cv2.VideoCapture(str(video))
    try:
        return float(capture.get(cv2.CAP_PROP_FPS))
    finally:
        capture.release()


def enrol_largest_face(workspace: Workspace, name: str, photo: Path) -> None:
    """Enrol `name` from the largest face of `photo` (walker_01's photo shows a woman
    behind him, so the app would refuse it; the tests crop it the same way)."""
    engine = workspace.engine()
    rgb = load_rgb(photo)
    face = faces_in_photo(engine, rgb, certain_only=True)[0]
    workspace.store().enrol(name, [NewEncoding(face.encoding, photo.name,
                                               face_thumbnail(rgb, face.box),
                                               hashlib.sha256(photo.read_bytes()).hexdigest(),
                                               engine.name)])


def enrol_first_photos(workspace: Workspace, folder: Path, names: tuple[str, ...]) -> None:
    """Enrol each of `names` from the first photo of its folder in `folder`, as the app
    enrols a photo (the TV cast: one photo each)."""
    engine = workspace.engine()
    for name in names:
        photo = sorted((folder / name).iterdir())[0]
        workspace.store().enrol(name, [enrolment_shot(engine, photo,
                                                      workspace.config.detection.min_face_px)])
