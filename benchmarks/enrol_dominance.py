"""Enrolment photos with more than one face (issue 22, point 3): how many the rule
refuses, before (any second face refuses) and after (the face that clearly dominates is
taken: attendance_app/recognition/dominant_face.py), whether the face taken is the
labelled person, and whether photos where faces compete are still refused.

- refusals: every one-photo enrolment of ../shared/faces-scale (lfw/enrol and lfw/pad),
  by reason, under the old rule and the new one, with the default engine's sure faces
  and the default enrolment.min_face_px.
- wrong picks: for the lfw/enrol people whose photo shows other faces (they have
  probes), the face taken against the faces ignored: nearer the person's probes
  (mean distance) or not, and whether the face taken is the nearest of all the lfw/enrol
  people's enrolled faces to each of their probes.
- competing faces: the group photos of ../shared/faces, and pairs of one-face LFW photos
  put side by side (the right one at full size, and at 3/4 size), each pair being two
  faces at the same distance from the centre.

    uv run python -m benchmarks.enrol_dominance [--pairs 200]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from attendance_app.camera.images import load_bgr
from attendance_app.config.settings import AppConfig
from attendance_app.faces import create_engine
from attendance_app.faces.protocol import Engine
from attendance_app.recognition.photos import (
    PhotoFace,
    ShotRefused,
    enrolment_shot_with_note,
    faces_in_photo,
)
from tests.support.scenes import DEFAULT_FACES

SCALE = Path(os.environ.get("ATTENDANCE_TEST_FACES_SCALE",
                            Path(__file__).resolve().parents[2] / "shared" / "faces-scale"))


def _reason(error: ShotRefused) -> str:
    text = str(error).split(": ", 1)[1]
    return text.partition(" (")[0]


def _faces(engine: Engine, path: Path) -> list[PhotoFace]:
    return faces_in_photo(engine, cv2.cvtColor(load_bgr(path), cv2.COLOR_BGR2RGB), certain_only=True)


def refusals(engine: Engine, photos: list[Path], min_face_px: int) -> dict[Path, int]:
    """Print the refusals by reason under both rules; return the photos taken with other
    faces ignored (path -> how many)."""
    before, after = Counter(), Counter()
    ignored: dict[Path, int] = {}
    for path in photos:
        faces = _faces(engine, path)
        if len(faces) > 1:
            before["more than one face"] += 1
        elif not faces:
            before["no face"] += 1
        elif faces[0].box.height < min_face_px:
            before["face too small"] += 1
        try:
            _, count = enrolment_shot_with_note(engine, path, min_face_px)
        except ShotRefused as error:
            after[_reason(error)] += 1
            continue
        if count:
            ignored[path] = count
    print(f"{len(photos)} one-photo enrolments; refused before: {sum(before.values())} "
          f"{dict(before)}; after: {sum(after.values())} {dict(after)}; taken with other "
          f"faces ignored: {len(ignored)}")
    return ignored


def wrong_picks(engine: Engine, ignored: dict[Path, int], min_face_px: int) -> None:
    """Is the face taken the labelled person? (see the module docstring)"""
    gallery_names: list[str] = []
    vectors: list[np.ndarray] = []
    for path in sorted((SCALE / "lfw" / "enrol").glob("*/*")):
        try:
            vectors.append(enrolment_shot_with_note(engine, path, min_face_px)[0].vector)
        except ShotRefused:
            continue
        gallery_names.append(path.parent.name)
    gallery = np.array(vectors)
    checked = nearer = rank1 = probes_total = 0
    for path in [p for p in ignored if p.parts[-3] == "enrol"]:
        person = path.parent.name
        shot, _ = enrolment_shot_with_note(engine, path, min_face_px)
        probes = [f[0].encoding for p in sorted((SCALE / "lfw" / "probe" / person).glob("*"))
                  if (f := _faces(engine, p))]
        if not probes:
            continue
        others = [f.encoding for f in _faces(engine, path)
                  if float(engine.distances(f.encoding, shot.vector[None])[0]) > 1e-6]
        taken = np.mean([engine.distances(p, shot.vector[None])[0] for p in probes])
        best_other = min(np.mean([engine.distances(p, o[None])[0] for p in probes]) for o in others)
        checked += 1
        nearer += taken < best_other
        for probe in probes:
            probes_total += 1
            rank1 += gallery_names[int(np.argmin(engine.distances(probe, gallery)))] == person
    print(f"wrong picks: of {checked} lfw/enrol people whose photo showed other faces, the "
          f"face taken is nearer their probes than every face ignored for {nearer}; the "
          f"nearest of the {len(gallery_names)} enrolled faces to {rank1} of their {probes_total} "
          "probes is their own")


def competing(engine: Engine, photos: list[Path], pairs: int, min_face_px: int) -> None:
    """Group photos and side-by-side pairs: how many are refused."""
    groups = sorted((DEFAULT_FACES / "group").glob("*.jpg"))
    refused = 0
    for path in groups:
        try:
            enrolment_shot_with_note(engine, path, min_face_px)
        except ShotRefused:
            refused += 1
    print(f"group photos of ../shared/faces refused: {refused} of {len(groups)}")
    single = [p for p in photos if len(_faces(engine, p)) == 1][: pairs + 1]
    with tempfile.TemporaryDirectory() as folder:
        for scale in (1.0, 0.75, 0.5):
            refused = 0
            for number, (left, right) in enumerate(zip(single, single[1:])):
                right_bgr = cv2.resize(load_bgr(right), None, fx=scale, fy=scale)
                left_bgr = load_bgr(left)
                canvas = np.zeros((left_bgr.shape[0], left_bgr.shape[1] * 2, 3), np.uint8)
                canvas[:, :left_bgr.shape[1]] = left_bgr
                top = (left_bgr.shape[0] - right_bgr.shape[0]) // 2
                canvas[top:top + right_bgr.shape[0], left_bgr.shape[1]:
                       left_bgr.shape[1] + right_bgr.shape[1]] = right_bgr
                pair = Path(folder) / f"pair{number}.png"
                cv2.imwrite(str(pair), canvas)
                try:
                    enrolment_shot_with_note(engine, pair, min_face_px)
                except ShotRefused:
                    refused += 1
            print(f"side-by-side pairs, right face at {scale:g} size: refused {refused} of "
                  f"{len(single) - 1}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    args = parser.parse_args(argv)
    engine = create_engine(AppConfig().recognition.engine)
    min_face_px = AppConfig().enrolment.min_face_px
    photos = sorted((SCALE / "lfw" / "enrol").glob("*/*")) + sorted((SCALE / "lfw" / "pad").glob("*/*"))
    ignored = refusals(engine, photos, min_face_px)
    wrong_picks(engine, ignored, min_face_px)
    competing(engine, photos, args.pairs, min_face_px)


if __name__ == "__main__":
    main()
