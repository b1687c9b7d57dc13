"""Will it log the wrong person? Identification accuracy on the shared face photos.

Every identity in ../shared/faces (13 + 20 from LFW) is enrolled from its enrolment photo;
every other photo of them is a probe, and the 39 strangers must stay unknown. For each
enrolment variant (5- or 68-point alignment, jittered encodings, one to three photos per
person) and each tolerance it reports:

- rank-1: probes named as the right person (the rate that matters for attendance);
- wrong person: probes named as somebody else (a wrong attendance row);
- false reject: probes left unknown;
- stranger accept: strangers named as anybody (a wrong attendance row).

It prints tables, the last one for the app's own rule (gallery.py), and draws an ROC-style
plot (rank-1 against stranger accept, one curve per variant, one point per tolerance).

    uv run python -m benchmarks.identification [--plot docs/identification_roc.png]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from attendance_app.engine import FaceEngine
from attendance_app.images import load_rgb
from attendance_app.config import AppConfig
from benchmarks.door_video import DEFAULT_FACES
from enrolment import EncodingTable, Gallery

TOLERANCES = (0.40, 0.45, 0.50, 0.52, 0.55, 0.58, 0.60, 0.65)


@dataclass(frozen=True)
class Photo:
    identity: str  # "stranger" for people never enrolled
    path: Path


def photo_sets(faces_dir: Path) -> tuple[list[Photo], list[Photo], list[Photo]]:
    """(enrolment photos, probes, strangers) of the shared face set."""
    enrol, probes, strangers = [], [], []
    for root in (faces_dir, faces_dir / "lfw"):
        for folder in sorted(p for p in (root / "enrol").iterdir() if p.is_dir()):
            enrol += [Photo(folder.name, f) for f in sorted(folder.iterdir())]
            probe_folder = root / "probe" / folder.name
            if probe_folder.is_dir():
                probes += [Photo(folder.name, f) for f in sorted(probe_folder.iterdir())]
        strangers += [Photo("stranger", f) for f in sorted((root / "stranger").iterdir())
                      if f.suffix.lower() in {".jpg", ".jpeg", ".png"}]
    return enrol, probes, strangers


def central_face_encoding(engine: FaceEngine, rgb: np.ndarray, jitters: int = 1) -> np.ndarray | None:
    """Encoding of the largest face (the labelled person in these photos), or None."""
    boxes = engine.detect_in_photo(rgb)
    if not boxes:
        return None
    return engine.encode(rgb, [max(boxes, key=lambda b: b.area)], jitters)[0]


@dataclass(frozen=True)
class Variant:
    """How people are enrolled: alignment model, jitter, and how many photos each."""

    landmarks: str
    jitters: int
    photos: int

    @property
    def name(self) -> str:
        jitter = f", jitter {self.jitters}" if self.jitters > 1 else ""
        return f"{self.landmarks} landmarks, {self.photos} photo{'s' * (self.photos > 1)}{jitter}"


VARIANTS = tuple(Variant(landmarks, jitters, photos) for landmarks in ("small", "large")
                 for jitters, photos in ((1, 1), (10, 1), (1, 2))) + (Variant("large", 1, 3),)

Coded = tuple[str, np.ndarray | None]
"""An identity ("stranger" for the never enrolled) and the photo's encoding (None: no face)."""


@dataclass(frozen=True)
class Trial:
    table: EncodingTable
    probes: list[Coded]
    strangers: list[Coded]


def encode_all(engine: FaceEngine, photos: list[Photo], jitters: int = 1) -> list[Coded]:
    return [(p.identity, central_face_encoding(engine, load_rgb(p.path), jitters)) for p in photos]


def build_trial(enrol: list[Coded], probes: list[Coded], strangers: list[Coded],
                photos_each: int) -> Trial:
    """Enrol each person's enrolment photo, plus their first probes when `photos_each` > 1
    (those probes are then not tested)."""
    names = sorted({identity for identity, _ in enrol})
    ids = {name: number for number, name in enumerate(names, start=1)}
    enrolled = [c for c in enrol if c[1] is not None]
    tested: list[Coded] = []
    taken: dict[str, int] = {}
    for identity, encoding in probes:
        if taken.get(identity, 0) < photos_each - 1 and encoding is not None:
            taken[identity] = taken.get(identity, 0) + 1
            enrolled.append((identity, encoding))
        else:
            tested.append((identity, encoding))
    table = EncodingTable(np.array([e for _, e in enrolled]),
                          np.array([ids[i] for i, _ in enrolled]), {n: i for i, n in ids.items()})
    return Trial(table, tested, strangers)


@dataclass(frozen=True)
class Scores:
    rank1: float
    wrong: float
    reject: float
    stranger_accept: float
    strangers_accepted: int
    strangers: int


def score(gallery: Gallery, trial: Trial) -> Scores:
    """Rates over all probes (a probe with no face found counts as a false reject)."""
    right = wrong = 0
    for identity, encoding in trial.probes:
        if encoding is None:
            continue
        match = gallery.match(encoding)
        if match.accepted:
            right += match.name == identity
            wrong += match.name != identity
    accepted = sum(1 for _, e in trial.strangers if e is not None and gallery.match(e).accepted)
    n = len(trial.probes)
    return Scores(right / n, wrong / n, (n - right - wrong) / n, accepted / len(trial.strangers),
                  accepted, len(trial.strangers))


def draw_roc(curves: dict[str, list[tuple[float, float, float]]], path: Path) -> None:
    """Rank-1 (y) against stranger accept rate (x), one labelled curve per variant."""
    width, height, pad = 720, 480, 60
    image = np.full((height, width, 3), 255, np.uint8)
    x_max = max(0.2, max(x for points in curves.values() for x, _, _ in points) * 1.1)

    y_min = 0.2

    def at(x: float, y: float) -> tuple[int, int]:
        return (pad + int((width - 2 * pad) * x / x_max),
                height - pad - int((height - 2 * pad) * (y - y_min) / (1 - y_min)))

    cv2.rectangle(image, at(0, y_min), at(x_max, 1.0), (0, 0, 0), 1)
    for tick in np.linspace(y_min, 1.0, 5):
        cv2.putText(image, f"{tick:.0%}", (5, at(0, tick)[1] + 5), cv2.FONT_HERSHEY_SIMPLEX,
                    0.45, (0, 0, 0), 1, cv2.LINE_AA)
    for tick in np.linspace(0, x_max, 5):
        cv2.putText(image, f"{tick:.0%}", (at(tick, y_min)[0] - 12, height - pad + 20),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1, cv2.LINE_AA)
    cv2.putText(image, "strangers accepted", (width // 2 - 80, height - 12),
                cv2.FONT_HERSHEY_SIMPLEX, 0.55, (0, 0, 0), 1, cv2.LINE_AA)
    cv2.putText(image, "rank-1 identification against strangers accepted, "
                "tolerance 0.40 to 0.65", (pad, 30),
                cv2.FONT_HERSHEY_SIMPLEX, 0.55, (0, 0, 0), 1, cv2.LINE_AA)
    colours = [(230, 160, 90), (200, 80, 0), (120, 60, 0), (110, 110, 250), (0, 0, 210),
               (0, 150, 0), (160, 0, 160)]
    for number, (label, points) in enumerate(curves.items()):
        colour = colours[number % len(colours)]
        corners = [at(x, y) for x, y, _ in points]
        cv2.polylines(image, [np.array(corners, np.int32)], False, colour, 2, cv2.LINE_AA)
        for (x, y, tolerance), corner in zip(points, corners):
            cv2.circle(image, corner, 4, colour, -1, cv2.LINE_AA)
        cv2.putText(image, label, (width - pad - 300, height - pad - 150 + 22 * number),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.5, colour, 1, cv2.LINE_AA)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    parser.add_argument("--plot", type=Path, help="write the ROC-style plot (PNG) here")
    args = parser.parse_args(argv)
    enrol, probes, strangers = photo_sets(args.faces)
    defaults = AppConfig().recognition
    print(f"{len({p.identity for p in enrol})} people, {len(probes)} probe photos, "
          f"{len(strangers)} strangers. With 2 or 3 photos each, a person's first 1 or 2 "
          "probes are enrolled and not tested.\n")
    print("| enrolment | tolerance | rank-1 | wrong person | false reject | stranger accept |")
    print("| --- | --- | --- | --- | --- | --- |")
    curves: dict[str, list[tuple[float, float, float]]] = {}
    app_rule: list[tuple[str, Scores]] = []
    coded: dict[tuple[str, int], tuple[list[Coded], list[Coded], list[Coded]]] = {}
    for variant in VARIANTS:
        engine = FaceEngine(landmarks=variant.landmarks)
        if (variant.landmarks, 1) not in coded:
            coded[(variant.landmarks, 1)] = (encode_all(engine, enrol), encode_all(engine, probes),
                                             encode_all(engine, strangers))
        enrol_codes, probe_codes, stranger_codes = coded[(variant.landmarks, 1)]
        if variant.jitters > 1:
            enrol_codes = encode_all(engine, enrol, variant.jitters)
        trial = build_trial(enrol_codes, probe_codes, stranger_codes, variant.photos)
        for tolerance in TOLERANCES:
            # A plain tolerance (the same for everyone), with the app's margin.
            s = score(Gallery(trial.table, tolerance, defaults.margin, single_photo_stricter=0.0),
                      trial)
            print(f"| {variant.name} | {tolerance:.2f} | {s.rank1:.1%} | {s.wrong:.1%} | "
                  f"{s.reject:.1%} | {s.stranger_accept:.1%} ({s.strangers_accepted}) |",
                  flush=True)
            curves.setdefault(variant.name, []).append((s.stranger_accept, s.rank1, tolerance))
        app_rule.append((variant.name, score(Gallery(trial.table, defaults.tolerance,
                                                     defaults.margin), trial)))
    print(f"\nThe app's rule (tolerance {defaults.tolerance}, {defaults.margin} margin, "
          "stricter for people enrolled from one photo):\n")
    print("| enrolment | rank-1 | wrong person | false reject | stranger accept |")
    print("| --- | --- | --- | --- | --- |")
    for name, s in app_rule:
        print(f"| {name} | {s.rank1:.1%} | {s.wrong:.1%} | {s.reject:.1%} | "
              f"{s.stranger_accept:.1%} ({s.strangers_accepted} of {s.strangers}) |")
    if args.plot:
        draw_roc(curves, args.plot)
        print(f"\nplot: {args.plot}")


if __name__ == "__main__":
    main()
