"""What the pipeline keeps of each followed face, in case it turns out to be Unknown.

A side stage of the pipeline (attendance_app.recognition.stages): it hears of every face
sent to the encoder (`saw`), every encoding that comes back (`encoded`), every track
whose face may have changed (`doubted`) and every track that ended (`ended`, and `close`
for those still in view when the run stops). Nothing is done per frame: only per look (a face the
pipeline encodes anyway, a few per track), and then only for clear looks (large and
sharp, attendance_app.faces.clarity). A look costs one copy of the pixels around the face when
it is the best so far, and keeping its encoding. When a track ends as a stranger
(TrackIdentity.stranger: settled, seen clearly, matched nobody) and was never logged as
a person, its best face and encodings go to the SightingSaver, which saves them in its
own thread. Everything else is forgotten when its track ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from attendance_app.config.settings import AppConfig
from attendance_app.recognition.encoders import Look
from attendance_app.recognition.identity import TrackIdentity
from attendance_app.recognition.photos import THUMBNAIL_MARGIN
from attendance_app.recognition.stages import Stage
from attendance_app.types import Box
from attendance_app.unknowns.saver import Pass, SightingSaver
from attendance_app.unknowns.store import UNKNOWNS_FILE, UnknownStore

LOOKS_KEPT = 3
"""Encodings kept per sighting: a stranger is settled after three clear looks far from
everyone (identity.FAR_LOOKS_TO_SETTLE), and their mean is what is grouped."""


@dataclass
class _TrackFaces:
    """What is kept of one track so far: when it was first seen clearly, the pixels
    around its largest clear face and that face's box in them, and the encodings of its
    first clear looks."""

    first_seen: datetime
    crop: np.ndarray
    box: Box
    face_px: float
    encodings: list[np.ndarray] = field(default_factory=list)


def _around(image: np.ndarray, box: Box) -> tuple[np.ndarray, Box]:
    """A copy of the frame around `box`, with the margin photos.face_thumbnail shows,
    and the box within it."""
    height, width = image.shape[:2]
    pad_x, pad_y = box.width * THUMBNAIL_MARGIN, box.height * THUMBNAIL_MARGIN
    x1, y1 = max(0, int(box.x1 - pad_x)), max(0, int(box.y1 - pad_y))
    x2, y2 = min(width, int(box.x2 + pad_x) + 1), min(height, int(box.y2 + pad_y) + 1)
    crop = image[y1:y2, x1:x2].copy()
    return crop, Box(box.x1 - x1, box.y1 - y1, box.x2 - x1, box.y2 - y1)


class UnknownFaces(Stage):
    """Collects faces per track and hands the strangers' to `saver` when their tracks
    end; `engine` is the name of the engine whose encodings come in, `camera` the camera's
    name."""

    def __init__(self, saver: SightingSaver, engine: str, camera: str) -> None:
        self.saver = saver
        self.engine = engine
        self.camera = camera
        self._tracks: dict[int, _TrackFaces] = {}

    def saw(self, look: Look, image: np.ndarray, box: Box) -> None:
        """A face sent to the encoder; kept when clear and the largest of its track so far."""
        if not look.clear:
            return
        faces = self._tracks.get(look.track_id)
        if faces is None:
            crop, in_crop = _around(image, box)
            self._tracks[look.track_id] = _TrackFaces(look.timestamp, crop, in_crop, box.height)
        elif box.height > faces.face_px:
            faces.crop, faces.box = _around(image, box)
            faces.face_px = box.height

    def encoded(self, look: Look, encoding: np.ndarray) -> None:
        """An encoding back from the encoder; kept for the first LOOKS_KEPT clear looks."""
        faces = self._tracks.get(look.track_id)
        if look.clear and faces is not None and len(faces.encodings) < LOOKS_KEPT:
            faces.encodings.append(np.asarray(encoding, dtype=np.float64))

    def doubted(self, track_id: int) -> None:
        """The track's box may be on another face now: what was kept may be someone else's."""
        self._tracks.pop(track_id, None)

    def ended(self, identities: Mapping[int, TrackIdentity], when: datetime | None = None) -> None:
        """These tracks ended with these verdicts: save the strangers, forget the rest."""
        for track_id, identity in identities.items():
            faces = self._tracks.pop(track_id, None)
            if (faces is not None and faces.encodings and identity.stranger
                    and identity.logged_person_id is None):
                self.saver.put(Pass(faces.first_seen, self.camera, faces.crop, faces.box,
                                    round(faces.face_px), self.engine, np.array(faces.encodings)))

    def close(self, identities: Mapping[int, TrackIdentity]) -> None:
        """The run ended, and the tracks in view with it: save their strangers and what is
        queued, and stop the saver."""
        self.ended(identities)
        self._tracks.clear()
        self.saver.close()


def unknown_faces(config: AppConfig, data_dir: Path, engine: str) -> UnknownFaces | None:
    """The collector for a run, or None when unknown faces are not kept
    (unknowns.keep_days 0). Then faces kept while it was on are deleted now, as the
    camera starts: 0 days is the promise."""
    keep_days = config.unknowns.keep_days
    path = data_dir / UNKNOWNS_FILE
    if keep_days == 0:
        if path.exists():
            UnknownStore(path).expire(0)
        return None
    saver = SightingSaver(UnknownStore(path), keep_days, config.unknowns.max_faces)
    return UnknownFaces(saver, engine, config.camera.name)
