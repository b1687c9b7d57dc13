"""Judging enrolment shots from the camera and from photo files (no Qt here).

Imported photos follow exactly the command line's rule (`photos.enrolment_face`: the one
face, or the face that clearly dominates the others, large enough). Camera shots follow
the same rule: the person enrolling stands close to the camera, so someone walking
behind them is a much smaller face and is ignored (and said so), while a second person
as near as they are competes and the shot is refused; every later shot must also look
like the earlier ones. Live camera shots add two checks a photo file does not need:
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
from attendance_app.i18n import N_, _
from attendance_app.recognition.photos import (
    ShotRefused,
    enrolment_face,
    enrolment_shot_with_note,
    face_thumbnail,
    faces_in_photo,
    ignored_note,
    problem_text,
)
from enrolment import NewEncoding, ShotProblem, judge_shot


class Advice(Enum):
    """What the enrol dialog tells the person in front of the camera (in English, marked:
    the dialog translates the value when it shows it)."""

    GOOD = N_("Good shot!")
    NO_FACE = N_("No face found: look at the camera")
    SEVERAL_FACES = N_("Two faces compete: only the person enrolling should be near the camera")
    TOO_SMALL = N_("Come closer to the camera")
    BLURRY = N_("Hold still: the picture is blurry")
    SAME_POSE = N_("Turn your head slightly for the next shot")
    OTHER_PERSON = N_("This looks like someone else than the earlier shots")
    BAD_PHOTO = N_("This photo cannot be used")
    ALREADY_TAKEN = N_("This photo is already among the shots")


_ADVICE_FOR = {
    ShotProblem.NO_FACE: Advice.NO_FACE,
    ShotProblem.SEVERAL_FACES: Advice.SEVERAL_FACES,
    ShotProblem.TOO_SMALL: Advice.TOO_SMALL,
    ShotProblem.BLURRY: Advice.BLURRY,
}


@dataclass(frozen=True)
class ShotVerdict:
    """The outcome of judging one shot: the encoding when accepted (`shot` not None),
    the advice for the person, a one-line detail (the file and reason for photos),
    whether it came from the camera (where the next shot needs a new pose), and how many
    other faces were ignored because the person's face clearly dominated them."""

    source: str
    advice: Advice
    detail: str
    shot: NewEncoding | None = None
    from_camera: bool = False
    ignored: int = 0

    @property
    def note(self) -> str:
        """What an accepted shot's user should know: the faces ignored, or empty."""
        return ignored_note(self.ignored)

    @property
    def accepted(self) -> bool:
        return self.shot is not None


def judge_camera_shot(engine: Engine, rgb: np.ndarray, source: str, min_face_px: int,
                      earlier: list[np.ndarray], tolerance: float) -> ShotVerdict:
    """Judge one camera frame (RGB) against the enrolment rules and the earlier shots'
    encodings; `tolerance` is the recognition tolerance (same person or not)."""
    faces = faces_in_photo(engine, rgb, certain_only=True)
    chosen = enrolment_face(faces, rgb.shape[1], rgb.shape[0], min_face_px)
    face = chosen.face
    problem = chosen.problem
    if problem is None and face is not None:
        problem = judge_shot([(face.box.width, face.box.height)], min_face_px,
                             gray_face(rgb, face.box), MIN_SHARPNESS)
    if problem is not None or face is None:
        problem = problem or ShotProblem.NO_FACE
        return ShotVerdict(source, _ADVICE_FOR[problem], problem_text(problem),
                           from_camera=True)
    if earlier:
        distances = engine.distances(face.encoding, np.asarray(earlier))
        if float(distances.min()) > tolerance:
            return ShotVerdict(source, Advice.OTHER_PERSON,
                               _("distance {distance:.2f} from the earlier shots").format(
                                   distance=float(distances.min())), from_camera=True)
        if float(distances.min()) < PROFILES[engine.name].same_pose:
            return ShotVerdict(source, Advice.SAME_POSE, _("too like an earlier shot"),
                               from_camera=True)
    shot = NewEncoding(face.encoding, source, face_thumbnail(rgb, face.box), engine=engine.name)
    detail = (_("accepted; {note}").format(note=ignored_note(chosen.ignored))
              if chosen.ignored else _("accepted"))
    return ShotVerdict(source, Advice.GOOD, detail, shot, True, chosen.ignored)


def judge_photo(engine: Engine, path: Path, min_face_px: int) -> ShotVerdict:
    """Judge a photo file by the command line's rule (`attendance-app enrol`)."""
    try:
        shot, ignored = enrolment_shot_with_note(engine, path, min_face_px)
    except (ShotRefused, ImageError) as error:
        return ShotVerdict(path.name, Advice.BAD_PHOTO, str(error))
    if ignored:
        detail = _("{file}: accepted; {note}").format(file=path.name, note=ignored_note(ignored))
    else:
        detail = _("{file}: accepted").format(file=path.name)
    return ShotVerdict(path.name, Advice.GOOD, detail, shot, ignored=ignored)
