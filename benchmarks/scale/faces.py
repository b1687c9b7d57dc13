"""The site-scale face set (../shared/faces-scale) encoded once per engine, for measuring
naming rules at hundreds to thousands of people (benchmarks/identification.py --scale).

Each photo is encoded as the app would take it:
- an enrolment photo (lfw/enrol, lfw/pad, nonlfw/enrol) through the app's enrolment path
  (recognition.photos.enrolment_shot_with_note: the detector's sure faces, the face that
  clearly dominates, the smallest face enrolled); a refused photo leaves its person
  unenrolled, so their probes go unnamed, as at a site where the photo was refused;
- a probe or stranger photo as a door photo: every face found, the one that dominates
  (recognition.dominant_face) or else the one nearest the centre (where LFW puts the
  labelled person); a photo with no face found is named nobody.

Encoding about 4,300 photos takes minutes per engine, so the encodings are kept in a cache
outside the repository (ATTENDANCE_BENCH_CACHE, default ~/.cache/attendance-app-bench),
keyed by the manifest's contents, the engine and ENCODING_VERSION.
"""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from attendance_app.camera.images import load_bgr
from attendance_app.config.settings import AppConfig
from attendance_app.faces import create_engine
from attendance_app.faces.protocol import Engine
from attendance_app.recognition.dominant_face import dominant_face
from attendance_app.recognition.photos import ShotRefused, enrolment_shot_with_note

SCALE_FACES = Path(os.environ.get(
    "ATTENDANCE_TEST_FACES_SCALE", Path(__file__).resolve().parents[3] / "shared" / "faces-scale"))
CACHE = Path(os.environ.get("ATTENDANCE_BENCH_CACHE",
                            Path.home() / ".cache" / "attendance-app-bench"))
ENCODING_VERSION = 1
"""Raise when the way a photo is encoded changes, so old caches are not read."""

ENROL_KINDS = ("enrol", "pad")


@dataclass(frozen=True)
class ScalePhoto:
    """One photo of the set: whose, what for, from LFW or not, a woman's (LFW only)."""

    file: str  # relative to the set's folder
    identity: str
    kind: str  # enrol, pad, probe, stranger
    lfw: bool
    woman: bool | None  # None: not known (the non-LFW lab people)


@dataclass(frozen=True)
class ScaleSet:
    """Every photo of the set and one engine's encoding of each (a row of NaN: no face
    taken: none found, or an enrolment photo the app refuses)."""

    engine: str
    photos: list[ScalePhoto]
    encodings: np.ndarray  # (photos, 128) float32

    def found(self) -> np.ndarray:
        return ~np.isnan(self.encodings[:, 0])


def read_manifest(root: Path = SCALE_FACES) -> list[ScalePhoto]:
    """The photos listed in MANIFEST.tsv, with the women of lfw_women.txt marked."""
    women = set((root / "lfw_women.txt").read_text(encoding="utf-8").split())
    with open(root / "MANIFEST.tsv", encoding="utf-8", newline="") as manifest:
        rows = list(csv.DictReader(manifest, delimiter="\t"))
    photos = []
    for row in rows:
        lfw = row["file"].startswith("lfw/")
        # A stranger's identity is the person in the photo: their sex is known too.
        person = row["identity"]
        if row["kind"] == "stranger" and lfw:
            person = Path(row["file"]).stem.rsplit("_", 1)[0]
        photos.append(ScalePhoto(row["file"], person, row["kind"], lfw,
                                 (person in women) if lfw else None))
    return photos


def _door_face(engine: Engine, path: Path) -> np.ndarray | None:
    """The face a door photo is taken for: the dominant one, else the one nearest the
    centre; None when no face is found."""
    bgr = load_bgr(path)
    height, width = bgr.shape[:2]
    boxes = engine.detect_in_photo(bgr)
    if not boxes:
        return None
    index = dominant_face(boxes, width, height)
    if index is None:
        index = min(range(len(boxes)), key=lambda i: (boxes[i].centre[0] - width / 2) ** 2
                    + (boxes[i].centre[1] - height / 2) ** 2)
    return engine.encode(bgr, [boxes[index]])[0]


def _enrolled_face(engine: Engine, path: Path, min_face_px: int) -> np.ndarray | None:
    try:
        shot, _ = enrolment_shot_with_note(engine, path, min_face_px)
    except ShotRefused:
        return None
    return shot.vector


def _cache_file(root: Path, engine: str) -> Path:
    digest = hashlib.sha256((root / "MANIFEST.tsv").read_bytes()
                            + f"{engine}:{ENCODING_VERSION}".encode()).hexdigest()[:16]
    return CACHE / f"faces-scale-{engine}-{digest}.npy"


def encoded_set(engine_name: str, root: Path = SCALE_FACES, progress: bool = True) -> ScaleSet:
    """Every photo of the set encoded by `engine_name`, from the cache when it holds them."""
    photos = read_manifest(root)
    cached = _cache_file(root, engine_name)
    if cached.is_file():
        return ScaleSet(engine_name, photos, np.load(cached))
    config = AppConfig()
    engine = create_engine(engine_name)
    encodings = np.full((len(photos), 128), np.nan, dtype=np.float32)
    for number, photo in enumerate(photos):
        path = root / photo.file
        encoding = (_enrolled_face(engine, path, config.enrolment.min_face_px)
                    if photo.kind in ENROL_KINDS else _door_face(engine, path))
        if encoding is not None:
            encodings[number] = encoding
        if progress and number % 250 == 0:
            print(f"  {engine_name}: {number} of {len(photos)} photos encoded", flush=True)
    cached.parent.mkdir(parents=True, exist_ok=True)
    np.save(cached, encodings)
    return ScaleSet(engine_name, photos, encodings)


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:] or ("sface", "dlib"):
        found = encoded_set(name).found()
        print(f"{name}: {int(found.sum())} of {len(found)} photos with a face taken")
