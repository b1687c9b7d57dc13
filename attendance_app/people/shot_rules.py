"""Judging enrolment shots from the camera and from photo files (no Qt here).

Imported photos follow exactly the command line's rule (`photos.enrolment_shot`: one
face, large enough). Live camera shots add two checks a photo file does not need:
blur (a person moving in front of a webcam) and pose variety (five identical frames add
nothing; a slightly turned head makes later matches more reliable). A shot that looks
like someone else than the earlier shots is refused, so a passer-by who steps into view
cannot end up in another person's enrolment.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import numpy as np

from attendance_app.camera.images import ImageError
from attendance_app.faces import PROFILES
from attendance_app.faces.clarity import MIN_SHARPNESS, gray_face
from attendance_app.faces.protocol import Engine
from attendance_app.recognition.photos import (
    ShotRefused,
    enrolment_shot,
    face_thumbnail,
    faces_in_photo,
)
from enrolment import NewEncoding, ShotProblem, judge_shot


class Advice(Enum):
    """What the enrol dialog tells the person in front of the camera."""

    GOOD = "Good shot!"
    NO_FACE = "No face found: look at the camera"
    SEVERAL_FACES = "More than one face: only the person enrolling should be in view"
    TOO_SMALL = "Come closer to the camera"
    BLURRY = "Hold still: the picture is blurry"
    SAME_POSE = "Turn your head slightly for the next shot"
    OTHER_PERSON = "This looks like someone else than the earlier shots"
    BAD_PHOTO = "This photo cannot be used"
    ALREADY_TAKEN = "This photo is already among the shots"


_ADVICE_FOR = {
    ShotProblem.NO_FACE: Advice.NO_FACE,
    ShotProblem.SEVERAL_FACES: Advice.SEVERAL_FACES,
    ShotProblem.TOO_SMALL: Advice.TOO_SMALL,
    ShotProblem.BLURRY: Advice.BLURRY,
}


@dataclass(frozen=True)
class ShotVerdict:
    """The outcome of judging one shot: the encoding when accepted (`shot` not None),
    the advice for the person, a one-line detail (the file and reason for photos), and
    whether it came from the camera (where the next shot needs a new pose)."""

    source: str
    advice: Advice
    detail: str
    shot: NewEncoding | None = None
    from_camera: bool = False

    @property
    def accepted(self) -> bool:
        return self.shot is not None


def judge_camera_shot(engine: Engine, rgb: np.ndarray, source: str, min_face_px: int,
                      earlier: list[np.ndarray], tolerance: float) -> ShotVerdict:
    """Judge one camera frame (RGB) against the enrolment rules and the earlier shots'
    encodings; `tolerance` is the recognition tolerance (same person or not)."""
    faces = faces_in_photo(engine, rgb, certain_only=True)
    face = gray_face(rgb, faces[0].box) if len(faces) == 1 else None
    problem = judge_shot([(f.box.width, f.box.height) for f in faces], min_face_px,
                         face, MIN_SHARPNESS)
    if problem is not None:
        return ShotVerdict(source, _ADVICE_FOR[problem], problem.value, from_camera=True)
    face = faces[0]
    if earlier:
        distances = engine.distances(face.encoding, np.asarray(earlier))
        if float(distances.min()) > tolerance:
            return ShotVerdict(source, Advice.OTHER_PERSON,
                               f"distance {distances.min():.2f} from the earlier shots", from_camera=True)
        if float(distances.min()) < PROFILES[engine.name].same_pose:
            return ShotVerdict(source, Advice.SAME_POSE, "too like an earlier shot", from_camera=True)
    shot = NewEncoding(face.encoding, source, face_thumbnail(rgb, face.box), engine=engine.name)
    return ShotVerdict(source, Advice.GOOD, "accepted", shot, from_camera=True)


def judge_photo(engine: Engine, path: Path, min_face_px: int) -> ShotVerdict:
    """Judge a photo file by the command line's rule (`attendance-app enrol`)."""
    try:
        shot = enrolment_shot(engine, path, min_face_px)
    except (ShotRefused, ImageError) as error:
        return ShotVerdict(path.name, Advice.BAD_PHOTO, str(error))
    return ShotVerdict(path.name, Advice.GOOD, f"{path.name}: accepted", shot)
