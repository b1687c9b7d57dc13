"""Will it log the wrong person? Identification accuracy of the face engines on the shared photos.

Every identity in ../shared/faces (13 + 20 from LFW) is enrolled from its enrolment photo;
every other photo of them is a probe, and the 39 strangers must stay unknown. For each
engine (dlib; sface: OpenCV YuNet + SFace), each way of enrolling (dlib: 5- or 68-point
alignment, jittered encodings, and people enrolled with 68-point alignment probed with
5-point, as at a site whose enrolments predate the 5-point default; both: one to three
photos per person) and each tolerance it reports:

- rank-1: probes named as the right person (the rate that matters for attendance);
- wrong person: probes named as somebody else (a wrong attendance row);
- stranger accept: strangers named as anybody (a wrong attendance row).

LFW faces and the others are reported side by side, never pooled: SFace was trained on
celebrity photo sets that may hold LFW's people, which would flatter it there (issue 12).
MANIFEST.tsv says where each file comes from. Everybody is enrolled in one gallery; only
the probes and strangers are split.

Each engine compares with its own distance (dlib: Euclidean; sface: 1 - cosine
similarity), under the app's rule (enrolment/gallery.py): a person is named when within
the tolerance and by the margin nearer than the second-best person. The tables use the
app's margin for every tolerance; the last one is each engine's default rule. An
ROC-style plot (rank-1 against stranger accept over all faces, one curve per variant,
one point per tolerance) is drawn on request.

With both engines measured, the last table also has the rule "both engines must agree":
a face is named only when dlib and sface, each under its own default rule, name the same
person. Two engines trained apart should seldom make the same mistake, so it may keep out
wrong rows that either lets in; it costs the faces either one misses, and both encodings
per face, so the median time of each engine's encode per face is printed too.

    uv run python -m benchmarks.identification [--engine dlib|sface|both]
        [--plot docs/identification_roc.png]

With --scale it measures instead the naming rules at a site's scale, one photo per person
and 100 to ~1,900 people enrolled, on ../shared/faces-scale (benchmarks/scale/rules.py):

    uv run python -m benchmarks.identification --scale [--engine ...] [--plot-dir docs]
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import cv2
import numpy as np

from attendance_app.camera.images import load_bgr
from attendance_app.config.settings import AppConfig
from attendance_app.faces.dlib_engine import FaceEngine
from attendance_app.faces.protocol import Engine
from attendance_app.faces.sface import SFaceEngine
from enrolment import EncodingTable
from enrolment.gallery import SINGLE_PHOTO_STRICTER
from tests.support.scenes import DEFAULT_FACES

TOLERANCES = {
    "dlib": (0.40, 0.45, 0.50, 0.52, 0.55, 0.58, 0.60, 0.65),
    # 1 - cosine similarity: cosine 0.50 down to 0.30 (OpenCV suggests 0.363).
    "sface": (0.50, 0.55, 0.575, 0.60, 0.625, 0.65, 0.70),
}

LFW_SOURCE = "umass-vis-lfw/umass-vis-lfw.github.io"
"""The source_repo of LFW's files in MANIFEST.tsv."""


@dataclass(frozen=True)
class Photo:
    identity: str  # "stranger" for people never enrolled
    path: Path
    lfw: bool  # from Labeled Faces in the Wild


def lfw_files(faces_dir: Path) -> set[Path]:
    """The files of the face set that MANIFEST.tsv says come from LFW."""
    with open(faces_dir / "MANIFEST.tsv", encoding="utf-8", newline="") as manifest:
        return {faces_dir / row["file"] for row in csv.DictReader(manifest, delimiter="\t")
                if row["source_repo"] == LFW_SOURCE}


def photo_sets(faces_dir: Path) -> tuple[list[Photo], list[Photo], list[Photo]]:
    """(enrolment photos, probes, strangers) of the shared face set."""
    lfw = lfw_files(faces_dir)
    enrol, probes, strangers = [], [], []
    for root in (faces_dir, faces_dir / "lfw"):
        for folder in sorted(p for p in (root / "enrol").iterdir() if p.is_dir()):
            enrol += [Photo(folder.name, f, f in lfw) for f in sorted(folder.iterdir())]
            probe_folder = root / "probe" / folder.name
            if probe_folder.is_dir():
                probes += [Photo(folder.name, f, f in lfw) for f in sorted(probe_folder.iterdir())]
        strangers += [Photo("stranger", f, f in lfw) for f in sorted((root / "stranger").iterdir())
                      if f.suffix.lower() in {".jpg", ".jpeg", ".png"}]
    return enrol, probes, strangers


def central_face_encoding(engine: Engine, bgr: np.ndarray,
                          jitters: int = 1) -> tuple[np.ndarray, float] | None:
    """Encoding of the largest face (the labelled person in these photos) and the seconds
    `encode` took, or None when no face is found. Detection is not timed: a face found
    once could be handed to both engines, so encoding is what a second engine adds to
    every face (sface would then also search around another detector's box for its
    landmarks, which is not measured here)."""
    boxes = engine.detect_in_photo(bgr)
    if not boxes:
        return None
    started = time.perf_counter()
    encoding = engine.encode(bgr, [max(boxes, key=lambda b: b.area)], jitters)[0]
    return encoding, time.perf_counter() - started


Distances = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""An engine's distance from one encoding to each row of an (N, 128) array."""


def euclidean(encoding: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """dlib's distance, as the gallery computes it."""
    return np.sqrt(np.einsum("ij,ij->i", vectors - encoding, vectors - encoding))


def photo_count(photos: int) -> str:
    return f"{photos} photo{'s' * (photos > 1)}"


@dataclass(frozen=True)
class Variant:
    """How people are enrolled: engine, dlib's alignment model and jitter, photos each;
    for dlib, `enrolled_with` names another alignment the gallery was encoded with (the
    probes and strangers keep `landmarks`)."""

    engine: str
    photos: int
    landmarks: str = "small"  # dlib only
    jitters: int = 1  # dlib only
    enrolled_with: str | None = None  # dlib only

    @property
    def name(self) -> str:
        photos = photo_count(self.photos)
        if self.engine == "sface":
            return f"sface, {photos}"
        if self.enrolled_with:
            return f"dlib, enrolled {self.enrolled_with}, probed {self.landmarks}, {photos}"
        jitter = f", jitter {self.jitters}" if self.jitters > 1 else ""
        return f"dlib, {self.landmarks} landmarks, {photos}{jitter}"

    def make_engine(self) -> Engine:
        return SFaceEngine() if self.engine == "sface" else FaceEngine(landmarks=self.landmarks)

    @property
    def distances(self) -> Distances:
        return SFaceEngine.distances if self.engine == "sface" else euclidean


VARIANTS = {
    "dlib": tuple(Variant("dlib", photos, landmarks, jitters) for landmarks in ("small", "large")
                  for jitters, photos in ((1, 1), (10, 1), (1, 2), (1, 3)))
    + tuple(Variant("dlib", photos, "small", enrolled_with="large") for photos in (1, 2, 3)),
    "sface": tuple(Variant("sface", photos) for photos in (1, 2, 3)),
}

Coded = tuple[Photo, np.ndarray | None]
"""A photo and its encoding (None: no face found)."""


@dataclass(frozen=True)
class Trial:
    table: EncodingTable
    probes: list[Coded]
    strangers: list[Coded]


def encode_all(engine: Engine, photos: list[Photo],
               jitters: int = 1) -> tuple[list[Coded], list[float]]:
    """Each photo with its encoding, and the seconds each face found took to encode."""
    found = [(p, central_face_encoding(engine, load_bgr(p.path), jitters)) for p in photos]
    return ([(p, timed[0] if timed else None) for p, timed in found],
            [timed[1] for _, timed in found if timed])


@dataclass(frozen=True)
class Encoded:
    """The face set encoded once by one engine (and, for dlib, one alignment model)."""

    enrol: list[Coded]
    probes: list[Coded]
    strangers: list[Coded]
    seconds: list[float]  # encoding each face found, in any photo

    def ms_per_face(self) -> float:
        """The median: the first faces also pay for setting the network up."""
        return 1000 * float(np.median(self.seconds))

    def seen_by(self, other: Encoded) -> Encoded:
        """These encodings, with none where `other` found no face. When both engines must
        agree, a photo with a face only one engine finds names nobody and cannot be
        enrolled from, so both engines enrol the same photos and test the same probes."""
        def both(own: list[Coded], theirs: list[Coded]) -> list[Coded]:
            return [(p, e if seen is not None else None)
                    for (p, e), (_, seen) in zip(own, theirs, strict=True)]

        return Encoded(both(self.enrol, other.enrol), both(self.probes, other.probes),
                       both(self.strangers, other.strangers), self.seconds)


def encode_set(engine: Engine, enrol: list[Photo], probes: list[Photo],
               strangers: list[Photo]) -> Encoded:
    """Every photo encoded by `engine`, with the time each face took."""
    (enrol_codes, enrol_s), (probe_codes, probe_s), (stranger_codes, stranger_s) = (
        encode_all(engine, photos) for photos in (enrol, probes, strangers))
    return Encoded(enrol_codes, probe_codes, stranger_codes, enrol_s + probe_s + stranger_s)


def build_trial(enrol: list[Coded], probes: list[Coded], strangers: list[Coded],
                photos_each: int) -> Trial:
    """Enrol each person's enrolment photo, plus their first probes when `photos_each` > 1
    (those probes are then not tested)."""
    names = sorted({photo.identity for photo, _ in enrol})
    ids = {name: number for number, name in enumerate(names, start=1)}
    enrolled = [(photo.identity, e) for photo, e in enrol if e is not None]
    tested: list[Coded] = []
    taken: dict[str, int] = {}
    for photo, encoding in probes:
        if taken.get(photo.identity, 0) < photos_each - 1 and encoding is not None:
            taken[photo.identity] = taken.get(photo.identity, 0) + 1
            enrolled.append((photo.identity, encoding))
        else:
            tested.append((photo, encoding))
    table = EncodingTable(np.array([e for _, e in enrolled]),
                          np.array([ids[i] for i, _ in enrolled]), {n: i for i, n in ids.items()})
    return Trial(table, tested, strangers)


def probed_with(trial: Trial, probed: Encoded) -> Trial:
    """`trial`'s gallery, its probes and the strangers encoded as `probed` encoded them."""
    codes = {photo.path: encoding for photo, encoding in probed.probes + probed.strangers}
    return Trial(trial.table, [(p, codes[p.path]) for p, _ in trial.probes],
                 [(p, codes[p.path]) for p, _ in trial.strangers])


@dataclass(frozen=True)
class Rule:
    """The gallery's acceptance rule (enrolment/gallery.py), in one engine's distance."""

    tolerance: float
    margin: float
    single_photo_stricter: float = 0.0


class Searcher:
    """The enrolled encodings compared with one engine's distance. Gallery.match decides
    the same way, but only in dlib's Euclidean distance, so the rule is applied here."""

    def __init__(self, table: EncodingTable, distances: Distances) -> None:
        people, self._owners, counts = np.unique(table.person_ids, return_inverse=True,
                                                 return_counts=True)
        self._vectors = np.asarray(table.vectors, dtype=np.float64)
        self._names = [table.names[int(person)] for person in people]
        self._single = counts == 1
        self._distances = distances

    def nearest(self, encoding: np.ndarray) -> np.ndarray:
        """Distance to each person's nearest encoding (people in ascending id order)."""
        nearest = np.full(len(self._names), np.inf)
        np.minimum.at(nearest, self._owners, self._distances(encoding, self._vectors))
        return nearest

    def named(self, nearest: np.ndarray, rule: Rule) -> str | None:
        """The person `rule` names for a face at `nearest` distances, else None."""
        tolerances = np.where(self._single, rule.tolerance - rule.single_photo_stricter,
                              rule.tolerance)
        best = int(np.argmin(nearest))
        others = nearest.copy()
        others[best] = np.inf
        close = nearest[best] <= tolerances[best]
        return self._names[best] if close and others.min() - nearest[best] >= rule.margin else None


@dataclass(frozen=True)
class Scores:
    probes: int
    right: int
    wrong: int
    strangers: int
    strangers_accepted: int

    @property
    def rank1(self) -> float:
        return self.right / self.probes

    @property
    def wrong_rate(self) -> float:
        return self.wrong / self.probes

    @property
    def stranger_accept(self) -> float:
        return self.strangers_accepted / self.strangers

    def cells(self) -> str:
        """rank-1 | wrong person | strangers accepted, as table cells."""
        return (f"{self.rank1:.1%} | {self.wrong_rate:.1%} | {self.stranger_accept:.1%} "
                f"({self.strangers_accepted} of {self.strangers})")


Named = tuple[Photo, str | None]
"""A photo and the person a rule named in it (None: nobody)."""


def tally(probes: list[Named], strangers: list[Named], lfw: bool | None = None) -> Scores:
    """Rates over the LFW faces (lfw True), the others (False) or all (None)."""
    probes = [(p, name) for p, name in probes if lfw is None or p.lfw == lfw]
    strangers = [(p, name) for p, name in strangers if lfw is None or p.lfw == lfw]
    right = sum(1 for p, name in probes if name == p.identity)
    wrong = sum(1 for p, name in probes if name is not None and name != p.identity)
    accepted = sum(1 for _, name in strangers if name is not None)
    return Scores(len(probes), right, wrong, len(strangers), accepted)


class Scorer:
    """One trial searched once per face; any rule then scored without searching again."""

    def __init__(self, trial: Trial, distances: Distances) -> None:
        self._searcher = Searcher(trial.table, distances)
        self._probes = [(p, self._searcher.nearest(e) if e is not None else None)
                        for p, e in trial.probes]
        self._strangers = [(p, self._searcher.nearest(e) if e is not None else None)
                           for p, e in trial.strangers]

    def names(self, rule: Rule) -> tuple[list[Named], list[Named]]:
        """(probes, strangers), each with the person `rule` names; a face not found is
        named nobody."""
        def chosen(faces: list[tuple[Photo, np.ndarray | None]]) -> list[Named]:
            return [(p, self._searcher.named(n, rule) if n is not None else None)
                    for p, n in faces]

        return chosen(self._probes), chosen(self._strangers)

    def score(self, rule: Rule, lfw: bool | None = None) -> Scores:
        """Rates over the LFW faces (lfw True), the others (False) or all (None)."""
        return tally(*self.names(rule), lfw)


def agreed(first: list[Named], second: list[Named]) -> list[Named]:
    """Each face with the person both lists name, or nobody where they differ. The lists
    must hold the same faces in the same order (Encoded.seen_by makes trials so)."""
    return [(p, name if name == other else None)
            for (p, name), (_, other) in zip(first, second, strict=True)]


def agreeing_names(dlib: Encoded, sface: Encoded,
                   photos_each: int) -> tuple[list[Named], list[Named]]:
    """(probes, strangers) named under "both engines must agree": dlib (the app's default
    landmarks, no jitter) and sface, each under its own default rule, name the same person."""
    named = []
    for engine, own, other in (("dlib", dlib, sface), ("sface", sface, dlib)):
        seen = own.seen_by(other)
        trial = build_trial(seen.enrol, seen.probes, seen.strangers, photos_each)
        scorer = Scorer(trial, Variant(engine, photos_each).distances)
        named.append(scorer.names(default_rule(engine)))
    (dlib_probes, dlib_strangers), (sface_probes, sface_strangers) = named
    return agreed(dlib_probes, sface_probes), agreed(dlib_strangers, sface_strangers)


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
    cv2.putText(image, "rank-1 against strangers accepted, all faces, a point per tolerance",
                (pad, 30),
                cv2.FONT_HERSHEY_SIMPLEX, 0.55, (0, 0, 0), 1, cv2.LINE_AA)
    colours = [(230, 160, 90), (200, 80, 0), (120, 60, 0), (110, 110, 250), (0, 0, 210),
               (0, 150, 0), (160, 0, 160), (0, 200, 230), (0, 140, 200), (0, 90, 150)]
    for number, (label, points) in enumerate(curves.items()):
        colour = colours[number % len(colours)]
        corners = [at(x, y) for x, y, _ in points]
        cv2.polylines(image, [np.array(corners, np.int32)], False, colour, 2, cv2.LINE_AA)
        for (x, y, tolerance), corner in zip(points, corners):
            cv2.circle(image, corner, 4, colour, -1, cv2.LINE_AA)
        cv2.putText(image, label, (width - pad - 300, height - pad - 250 + 22 * number),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.5, colour, 1, cv2.LINE_AA)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image)


def default_rule(engine: str) -> Rule:
    """The rule each engine is meant to run with: tolerance, the app's margin, and for
    dlib the stricter tolerance for people enrolled from one photo."""
    defaults = AppConfig().recognition
    if engine == "sface":
        return Rule(defaults.sface_tolerance, defaults.margin)
    return Rule(defaults.tolerance, defaults.margin, SINGLE_PHOTO_STRICTER)


def rule_text(rule: Rule) -> str:
    stricter = (f", {rule.single_photo_stricter} stricter for 1 photo"
                if rule.single_photo_stricter else "")
    return f"{rule.tolerance:.3g}, margin {rule.margin}{stricter}"


def print_cost(coded: dict[tuple[str, str], Encoded]) -> None:
    """Median milliseconds of `encode` per face for each engine as the app runs it, and
    for both when both are measured: the agree rule encodes every face twice."""
    # Encodings are keyed by engine and dlib's landmarks (sface's carry small, ignoring it).
    costs = {name: coded[engine, landmarks].ms_per_face()
             for name, engine, landmarks in (("dlib, small landmarks", "dlib", "small"),
                                             ("dlib, large landmarks", "dlib", "large"),
                                             ("sface", "sface", "small"))
             if (engine, landmarks) in coded}
    if len(costs) == 3:
        costs["both must agree (dlib + sface)"] = costs["dlib, small landmarks"] + costs["sface"]
    print("\nCost: median time of one engine's `encode` on one face (detection not "
          "counted), over every face it found in the photos:\n")
    print("| engine | encode, ms per face |")
    print("| --- | --- |")
    for name, ms in costs.items():
        print(f"| {name} | {ms:.1f} |")


def header(probes: list[Photo], strangers: list[Photo], lfw: bool) -> str:
    people = {p.identity for p in probes if p.lfw == lfw}
    return (f"{'LFW' if lfw else 'non-LFW'}: "
            f"{sum(p.lfw == lfw for p in probes)} probes of {len(people)} people, "
            f"{sum(p.lfw == lfw for p in strangers)} strangers")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    parser.add_argument("--engine", choices=("dlib", "sface", "both"), default="both",
                        help="which face engine to measure (default: both)")
    parser.add_argument("--plot", type=Path, help="write the ROC-style plot (PNG) here")
    parser.add_argument("--scale", action="store_true",
                        help="measure the naming rules at 100 to ~1,900 people instead")
    parser.add_argument("--plot-dir", type=Path,
                        help="with --scale: write identification_scale_<engine>.png here")
    args = parser.parse_args(argv)
    engines = ("dlib", "sface") if args.engine == "both" else (args.engine,)
    if args.scale:
        from benchmarks.scale.report import report

        report(engines, args.plot_dir)
        return
    enrol, probes, strangers = photo_sets(args.faces)
    print(f"{len({p.identity for p in enrol})} people enrolled in one gallery; "
          f"{header(probes, strangers, False)}; {header(probes, strangers, True)}. "
          "With 2 or 3 photos each, a person's first 1 or 2 probes are enrolled and not "
          "tested.\n")
    subsets = ("| non-LFW rank-1 | wrong person | strangers accepted "
               "| LFW rank-1 | wrong person | strangers accepted |")
    print(f"| enrolment | tolerance {subsets}")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    curves: dict[str, list[tuple[float, float, float]]] = {}
    own_rule: list[tuple[str, str, Callable[[bool], Scores]]] = []
    coded: dict[tuple[str, str], Encoded] = {}
    for variant in (v for engine in engines for v in VARIANTS[engine]):
        engine = variant.make_engine()
        key = (variant.engine, variant.landmarks)
        if key not in coded:
            coded[key] = encode_set(engine, enrol, probes, strangers)
        encoded = coded[variant.engine, variant.enrolled_with or variant.landmarks]
        enrol_codes = encoded.enrol
        if variant.jitters > 1:
            enrol_codes, _ = encode_all(engine, enrol, variant.jitters)
        trial = build_trial(enrol_codes, encoded.probes, encoded.strangers, variant.photos)
        if variant.enrolled_with:
            trial = probed_with(trial, coded[key])
        scorer = Scorer(trial, variant.distances)
        margin = default_rule(variant.engine).margin
        for tolerance in TOLERANCES[variant.engine]:
            # A plain tolerance (the same for everyone), with the app's margin.
            rule = Rule(tolerance, margin)
            print(f"| {variant.name} | {tolerance:.3g} | {scorer.score(rule, False).cells()} | "
                  f"{scorer.score(rule, True).cells()} |", flush=True)
            pooled = scorer.score(rule)
            curves.setdefault(variant.name, []).append((pooled.stranger_accept, pooled.rank1,
                                                        tolerance))
        rule = default_rule(variant.engine)
        own_rule.append((variant.name, rule_text(rule), partial(scorer.score, rule)))
    if args.engine == "both":
        # No curve in the ROC plot: the agree rule has no single threshold to vary.
        for photos_each in (1, 2, 3):
            names = agreeing_names(coded["dlib", "small"], coded["sface", "small"], photos_each)
            own_rule.append((f"dlib and sface agree, {photo_count(photos_each)}",
                             "each engine's own, the same person", partial(tally, *names)))
    print("\nEach engine's default rule (dlib: the app's tolerance, margin and stricter "
          "tolerance for people enrolled from one photo; sface: its default tolerance, "
          "the app's margin)"
          f"{'; last, both engines must agree' if args.engine == 'both' else ''}:\n")
    print(f"| enrolment | rule {subsets}")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, rule_cell, score in own_rule:
        print(f"| {name} | {rule_cell} | {score(False).cells()} | {score(True).cells()} |")
    print_cost(coded)
    if args.plot:
        draw_roc(curves, args.plot)
        print(f"\nplot: {args.plot}")


if __name__ == "__main__":
    main()
