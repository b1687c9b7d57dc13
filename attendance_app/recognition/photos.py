"""Faces in still photos: for enrolment, `identify`, and group-photo attendance.

A photo is looked at once, so it gets the thorough detector pass and every face is
encoded; there is no track to vote over, so a face counts as a person only when the
gallery rule (tolerance and margin) accepts it outright.

The engines take OpenCV's BGR. A photo enrolled from its file is read as BGR
(camera.images.load_bgr) and a stored face picture decoded straight to BGR; a photo a
caller holds in RGB (`faces_in_photo`, `identify_photo`: the window and the command line
show and read photos in RGB) is converted once, here, at the boundary.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from attendance_app.camera.images import load_bgr
from attendance_app.faces.protocol import Engine
from attendance_app.i18n import N_, _, ngettext
from attendance_app.recognition.dominant_face import dominant_face
from attendance_app.types import Box
from enrolment import FaceStore, Gallery, Match, NewEncoding, ShotProblem, judge_shot

THUMBNAIL_PX = 160
THUMBNAIL_MARGIN = 0.3
"""The face picture kept with each shot shows this part of the face's size around it."""


@dataclass(frozen=True)
class PhotoFace:
    """One face found in a photo: where, its encoding, and (optionally) who."""

    box: Box
    encoding: np.ndarray
    match: Match | None = None


class ShotRefused(Exception):
    """A photo cannot be enrolled; the message names the file and the reason."""


def faces_in_photo(engine: Engine, rgb: np.ndarray, certain_only: bool = False) -> list[PhotoFace]:
    """Every face in the RGB photo with its encoding, largest first; with `certain_only`,
    only faces the detector is sure of (for enrolment)."""
    return _faces_in_bgr(engine, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), certain_only)


def _faces_in_bgr(engine: Engine, bgr: np.ndarray, certain_only: bool = False) -> list[PhotoFace]:
    """`faces_in_photo` of a photo already in BGR, the engines' order."""
    boxes = sorted(engine.detect_in_photo(bgr, certain_only), key=lambda b: b.area, reverse=True)
    return [PhotoFace(box, enc) for box, enc in zip(boxes, engine.encode(bgr, boxes))]


def identify_photo(engine: Engine, gallery: Gallery, rgb: np.ndarray) -> list[PhotoFace]:
    """Every face in the photo with the gallery's verdict on it."""
    return [PhotoFace(f.box, f.encoding, gallery.match(f.encoding)) for f in faces_in_photo(engine, rgb)]


def _thumbnail_crop(image: np.ndarray, box: Box) -> np.ndarray:
    """The face with THUMBNAIL_MARGIN around it, at most THUMBNAIL_PX on its longer side."""
    pad_x, pad_y = box.width * THUMBNAIL_MARGIN, box.height * THUMBNAIL_MARGIN
    height, width = image.shape[:2]
    area = Box(box.x1 - pad_x, box.y1 - pad_y, box.x2 + pad_x, box.y2 + pad_y).clipped(width, height)
    crop = image[int(area.y1):int(area.y2), int(area.x1):int(area.x2)]
    scale = THUMBNAIL_PX / max(crop.shape[:2])
    if scale < 1:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return crop


def _jpeg(bgr: np.ndarray) -> bytes:
    ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok, "JPEG encoding of a valid crop cannot fail"
    return jpeg.tobytes()


def face_thumbnail(rgb: np.ndarray, box: Box) -> bytes:
    """A small JPEG of the face in an RGB photo with some margin, kept so people can be
    recognised in lists."""
    return _jpeg(cv2.cvtColor(_thumbnail_crop(rgb, box), cv2.COLOR_RGB2BGR))


def face_thumbnail_bgr(bgr: np.ndarray, box: Box) -> bytes:
    """`face_thumbnail` of a face in a BGR image (a video frame, a photo read as BGR)."""
    return _jpeg(np.ascontiguousarray(_thumbnail_crop(bgr, box)))


@dataclass(frozen=True)
class EnrolmentFace:
    """The face an enrolment photo or frame is taken for (None when there is none), what
    is wrong with it (None when it can be enrolled) and how many other faces the photo
    showed: background faces that the chosen one clearly dominates (dominant_face)."""

    face: PhotoFace | None
    problem: ShotProblem | None
    ignored: int = 0


def enrolment_face(faces: list[PhotoFace], width: int, height: int,
                   min_face_px: int) -> EnrolmentFace:
    """The one face of a width x height enrolment photo to enrol, or what is wrong: no
    face, faces that compete (none clearly dominates), or a face too small. The same rule
    for photo files and camera frames."""
    index = dominant_face([f.box for f in faces], width, height)
    if index is None:
        return EnrolmentFace(None, ShotProblem.SEVERAL_FACES if faces else ShotProblem.NO_FACE)
    face = faces[index]
    return EnrolmentFace(face, judge_shot([(face.box.width, face.box.height)], min_face_px),
                         len(faces) - 1)


def ignored_note(ignored: int) -> str:
    """The note on a shot taken from a photo with other faces; empty without any."""
    if not ignored:
        return ""
    return ngettext("took the face that clearly dominates; {count} other face ignored",
                    "took the face that clearly dominates; {count} other faces ignored",
                    ignored).format(count=ignored)


PROBLEM_WORDS = {
    ShotProblem.NO_FACE: N_("no face found; use a photo where the face is clearly visible"),
    ShotProblem.SEVERAL_FACES: N_("more than one face; use a photo of this person alone"),
    ShotProblem.TOO_SMALL: N_("face too small; use a closer or larger photo"),
    ShotProblem.BLURRY: N_("picture is blurry; hold still"),
}
"""What each of the enrolment library's shot problems tells a person (the library knows
no languages: its English words are repeated here to be translated)."""


def problem_text(problem: ShotProblem) -> str:
    """`problem`'s advice in the user's language."""
    return _(PROBLEM_WORDS[problem])


def enrolment_shot_with_note(engine: Engine, path: Path,
                             min_face_px: int) -> tuple[NewEncoding, int]:
    """The face of an enrolment photo to enrol (see enrolment_face) and how many other
    faces were ignored, or ShotRefused naming the file and why."""
    bgr = load_bgr(path)
    faces = _faces_in_bgr(engine, bgr, certain_only=True)
    chosen = enrolment_face(faces, bgr.shape[1], bgr.shape[0], min_face_px)
    if chosen.problem is not None or chosen.face is None:
        raise ShotRefused(_("{path}: {reason}").format(
            path=path, reason=_refusal(chosen, len(faces), min_face_px)))
    face = chosen.face
    shot = NewEncoding(face.encoding, path.name, face_thumbnail_bgr(bgr, face.box),
                       hashlib.sha256(path.read_bytes()).hexdigest(), engine.name)
    return shot, chosen.ignored


def _refusal(chosen: EnrolmentFace, found: int, min_face_px: int) -> str:
    """Why a photo is refused, with its particulars in brackets: the face's size, or how
    many faces compete."""
    problem = chosen.problem or ShotProblem.NO_FACE
    if problem is ShotProblem.TOO_SMALL and chosen.face is not None:
        return _("{problem} ({height} px, need {needed})").format(
            problem=problem_text(problem), height=round(chosen.face.box.height),
            needed=min_face_px)
    if problem is ShotProblem.SEVERAL_FACES:
        return ngettext("{problem} ({count} face, none clearly the person's)",
                        "{problem} ({count} faces, none clearly the person's)",
                        found).format(problem=problem_text(problem), count=found)
    return problem_text(problem)


def enrolment_shot(engine: Engine, path: Path, min_face_px: int) -> NewEncoding:
    """The face of an enrolment photo to enrol (see enrolment_face), or ShotRefused
    naming the file and why."""
    return enrolment_shot_with_note(engine, path, min_face_px)[0]


def encode_face_image(engine: Engine, jpeg: bytes) -> np.ndarray | None:
    """The encoding of the face in a stored face picture (face_thumbnail's crop): the
    largest face the engine finds there, else the face where face_thumbnail put it, so
    that every shot gets an encoding and is not tried again at every start. None only
    for a picture that cannot be decoded."""
    bgr = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    if bgr is None:
        return None
    faces = _faces_in_bgr(engine, bgr)
    if faces:
        return faces[0].encoding
    height, width = bgr.shape[:2]
    inset = THUMBNAIL_MARGIN / (1 + 2 * THUMBNAIL_MARGIN)  # of the picture, on each side
    face = Box(width * inset, height * inset, width * (1 - inset), height * (1 - inset))
    return engine.encode(bgr, [face])[0]


def for_every_engine(engines: Mapping[str, Engine], shots: list[NewEncoding]) -> list[NewEncoding]:
    """`shots` (each encoded by one engine) with the same faces encoded by every other
    engine (see by_other_engines): what the store needs so that any engine can name the
    person."""
    return list(shots) + [other for shot in shots for other in by_other_engines(engines, shot)]


def by_other_engines(engines: Mapping[str, Engine], shot: NewEncoding) -> list[NewEncoding]:
    """The face of `shot` encoded by every engine but the one that made it, from the face
    picture kept with it. An engine that finds no face in the picture gives no encoding
    (the person then needs another photo for it); a shot without a picture gives none."""
    if shot.face_image is None:
        return []
    completed = []
    for name, engine in engines.items():
        if name == shot.engine:
            continue
        vector = encode_face_image(engine, shot.face_image)
        if vector is not None:
            completed.append(NewEncoding(vector, shot.source, shot.face_image,
                                         shot.photo_hash, name))
    return completed


def encode_stored_shots(store: FaceStore, engine: Engine) -> int:
    """Give the faces enrolled before `engine` was used (an upgraded store) its encodings,
    from their stored face pictures; returns how many were added. Runs once per store and
    engine: afterwards no shot lacks them."""
    added = 0
    for shot in store.shots_without(engine.name):
        if shot.face_image is None:
            continue
        vector = encode_face_image(engine, shot.face_image)
        if vector is not None:
            store.add_encodings(shot.person_id, [NewEncoding(vector, shot.source, shot.face_image,
                                                            shot.photo_hash, engine.name)])
            added += 1
    return added


def match_words(match: Match) -> str:
    """What `identify` prints after a face's box, in the user's language: the name and
    distance, or Unknown and why. The same facts as Match.verdict(), whose English words
    the web API returns (the enrolment library knows no languages)."""
    if match.person_id is None:
        return _("Unknown (nobody enrolled)")
    if match.ambiguous:
        return _("ambiguous: {name} or {other} (distances {distance:.3f} and "
                 "{other_distance:.3f}); named neither").format(
            name=match.name, other=match.runner_up_name, distance=match.distance,
            other_distance=match.runner_up)
    if match.accepted:
        return _("{name}  distance {distance:.3f}").format(name=match.name,
                                                           distance=match.distance)
    if match.voided_look_alike:
        return _("Unknown  distance {distance:.3f} to {name}, but nearer to a face voided as "
                 "not {name}").format(distance=match.distance, name=match.name)
    return _("Unknown  distance {distance:.3f} (nearest: {name})").format(
        distance=match.distance, name=match.name)
