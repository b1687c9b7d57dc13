"""Scoring what the live view draws against a per-frame truth file of a real video.

The truth file (CSV: frame, x1, y1, x2, y2, who) lists every face in every frame, with
the cast member it is, or `?` where that is not known (benchmarks/live_names_truth.py
writes it; it was checked by eye on sampled frames). A drawn box is on the truth face
its centre lies in (the one it overlaps most, if several); a box whose centre is in none
is on no face, as tests/unit/recognition/test_live_view.py judges rendered scenes.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import cv2

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.types import Box, Frame, TrackStatus, TrackView

UNKNOWN = "?"
CAST = ("tv_eddie", "tv_emery", "tv_evan", "tv_grandma", "tv_jessica", "tv_louis")
"""The six people of faces-video's tv_family_dinner.mp4, one folder of photos each."""


@dataclass(frozen=True)
class TruthFace:
    box: Box
    who: str


def read_truth(path: Path) -> dict[int, list[TruthFace]]:
    """The truth file as {frame: faces in it}."""
    faces: dict[int, list[TruthFace]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            box = Box(float(row["x1"]), float(row["y1"]), float(row["x2"]), float(row["y2"]))
            faces[int(row["frame"])].append(TruthFace(box, row["who"]))
    return faces


def _iou(a: Box, b: Box) -> float:
    width = min(a.x2, b.x2) - max(a.x1, b.x1)
    height = min(a.y2, b.y2) - max(a.y1, b.y1)
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return inter / (a.area + b.area - inter)


def face_under(view: TrackView, faces: list[TruthFace]) -> TruthFace | None:
    """The truth face a drawn box is on, or None."""
    x, y = (view.box.x1 + view.box.x2) / 2, (view.box.y1 + view.box.y2) / 2
    under = [face for face in faces
             if face.box.x1 <= x <= face.box.x2 and face.box.y1 <= y <= face.box.y2]
    return max(under, key=lambda face: _iou(face.box, view.box), default=None)


@dataclass
class LiveScore:
    """What was drawn, judged. frames_in / frames_named: per enrolled person, the frames
    their face is in from the first frame it carried their name in green, and those
    of them in which it did; wrong: green names on another cast member's face; on_unknown:
    green names on a face the truth does not know; on_no_face: boxes on no face."""

    frames_in: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    frames_named: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    wrong: list[str] = field(default_factory=list)
    on_unknown: int = 0
    on_no_face: list[str] = field(default_factory=list)
    _confirmed: set[str] = field(default_factory=set)

    def named_share(self, who: str) -> float:
        return self.frames_named[who] / self.frames_in[who] if self.frames_in[who] else float("nan")

    def add(self, frame: int, views: Iterable[TrackView], faces: list[TruthFace],
            enrolled: Iterable[str]) -> None:
        """Judge one frame's boxes."""
        named_here: set[str] = set()
        for view in views:
            face = face_under(view, faces)
            if face is None:
                self.on_no_face.append(f"frame {frame}: {view.label!r} on no face")
                continue
            if view.status is not TrackStatus.RECOGNISED:
                continue
            if face.who == UNKNOWN:
                self.on_unknown += 1
            elif face.who != view.label:
                self.wrong.append(f"frame {frame}: {view.label!r} on {face.who}")
            else:
                named_here.add(face.who)
        self._confirmed |= named_here
        for who in set(enrolled) & self._confirmed:
            if any(face.who == who for face in faces):
                self.frames_in[who] += 1
                self.frames_named[who] += who in named_here


def score(video: Path, cast: Path, truth: Path, enrolled: Sequence[str],
          frames: int | None) -> LiveScore:
    """Run the pipeline over the first `frames` frames of `video` with `enrolled` (folders
    of `cast`) enrolled from one photo each, and judge every frame's boxes."""
    faces = read_truth(truth)
    result = LiveScore()
    with TemporaryDirectory() as scratch:
        workspace = Workspace.resolve(AppConfig(), Path(scratch), None)
        engine = workspace.engine()
        for name in enrolled:
            workspace.store().enrol(name, [enrolment_shot(engine, next((cast / name).iterdir()), 40)])
        pipeline = workspace.pipeline(None, encode_in_worker=False)
        capture = cv2.VideoCapture(str(video))
        fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
        start = datetime.now()
        index = 0
        try:
            while frames is None or index < frames:
                ok, image = capture.read()
                if not ok:
                    break
                shown = pipeline.process(Frame(image, index, start + timedelta(seconds=index / fps)))
                result.add(index, shown.tracks, faces.get(index, []), enrolled)
                index += 1
        finally:
            pipeline.close()
            capture.release()
    return result
