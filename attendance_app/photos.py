"""Faces in still photos: for enrolment, `identify`, and group-photo attendance.

A photo is looked at once, so it gets the thorough detector pass and every face is
encoded; there is no track to vote over, so a face counts as a person only when the
gallery rule (tolerance and margin) accepts it outright.
"""

from __future__ import annotations

import hashlib

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from attendance_app.boxes import Box
from attendance_app.engine import FaceEngine
from attendance_app.images import load_rgb
from enrolment import Gallery, Match, NewEncoding, ShotProblem, judge_shot

THUMBNAIL_PX = 160


@dataclass(frozen=True)
class PhotoFace:
    """One face found in a photo: where, its encoding, and (optionally) who."""

    box: Box
    encoding: np.ndarray
    match: Match | None = None


class ShotRefused(Exception):
    """A photo cannot be enrolled; the message names the file and the reason."""


def faces_in_photo(engine: FaceEngine, rgb: np.ndarray) -> list[PhotoFace]:
    """Every face in the photo with its encoding, largest first."""
    boxes = sorted(engine.detect_in_photo(rgb), key=lambda b: b.area, reverse=True)
    return [PhotoFace(box, enc) for box, enc in zip(boxes, engine.encode(rgb, boxes))]


def identify_photo(engine: FaceEngine, gallery: Gallery, rgb: np.ndarray) -> list[PhotoFace]:
    """Every face in the photo with the gallery's verdict on it."""
    return [PhotoFace(f.box, f.encoding, gallery.match(f.encoding)) for f in faces_in_photo(engine, rgb)]


def face_thumbnail(rgb: np.ndarray, box: Box) -> bytes:
    """A small JPEG of the face with some margin, kept so people can be recognised in lists."""
    pad_x, pad_y = box.width * 0.3, box.height * 0.3
    height, width = rgb.shape[:2]
    area = Box(box.x1 - pad_x, box.y1 - pad_y, box.x2 + pad_x, box.y2 + pad_y).clipped(width, height)
    crop = rgb[int(area.y1):int(area.y2), int(area.x1):int(area.x2)]
    scale = THUMBNAIL_PX / max(crop.shape[:2])
    if scale < 1:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(crop, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok, "JPEG encoding of a valid crop cannot fail"
    return jpeg.tobytes()


def enrolment_shot(engine: FaceEngine, path: Path, min_face_px: int) -> NewEncoding:
    """The one usable face of an enrolment photo, or ShotRefused naming the file and why."""
    rgb = load_rgb(path)
    faces = faces_in_photo(engine, rgb)
    problem: ShotProblem | None = judge_shot([(f.box.width, f.box.height) for f in faces], min_face_px)
    if problem is not None:
        detail = f" ({round(faces[0].box.height)} px, need {min_face_px})" if problem is ShotProblem.TOO_SMALL else ""
        raise ShotRefused(f"{path}: {problem.value}{detail}")
    face = faces[0]
    return NewEncoding(face.encoding, path.name, face_thumbnail(rgb, face.box),
                       hashlib.sha256(path.read_bytes()).hexdigest())
