"""Naming rules side by side at a site's scale: one photo per person, 100 to ~1,900 people.

For each gallery size, people are enrolled from one photo each (benchmarks/scale/faces.py):
all 38 non-LFW lab people, then LFW people with probes, then LFW people without (lfw/pad)
to reach the size; below 800 people the LFW people are a random draw, several draws pooled.
Each probe of an enrolled person should be named as them; each stranger photo (never
enrolled) should be named nobody. A photo where no face was taken counts as not named.

Every rule names the nearest enrolled person or nobody, from the distances of a face to
everyone enrolled (and, for some, the distances between the enrolled people):
- `one tolerance`: the app's rule before: within the engine's default tolerance and by the
  margin nearer than the runner-up, whatever the gallery's size;
- `size-aware` (the default now): the same, with the tolerance tightened for every tenfold
  more people beyond 100 (enrolment.gallery.tolerance_at_size); also without the margin;
- `gallery quantile`: the tolerance is the distance within which 1% of the enrolled people
  have somebody else enrolled (a stranger is about as near to the nearest enrolled person
  as an enrolled person is to their nearest other), capped at the default;
- `z-score`: the face's nearest distance stands out from its distances to everyone (at
  least Z_SCORE standard deviations below their mean), within the default tolerance;
- `local density`: the size-aware tolerance, moved by how near each enrolled person's
  LOCAL_K nearest others are compared with everybody's (people in a crowded part of face
  space are matched more strictly);
- `both agree` (with both engines): dlib and SFace, each under its size-aware rule, name
  the same person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from attendance_app.config.settings import AppConfig
from attendance_app.faces import PROFILES
from benchmarks.scale.faces import ScalePhoto, ScaleSet
from enrolment.gallery import tolerance_at_size

SIZES = (100, 300, 1000, None)  # None: everyone enrolled
DRAWS = {100: 5, 300: 5, 1000: 3}  # random draws pooled below the largest gallery
NON_LFW = "non-LFW"
Z_SCORE = 4.5
LOCAL_K = 20
GALLERY_QUANTILE = 0.01


def default_tolerance(engine: str) -> float:
    """The engine's default tolerance for one-photo people, as the app applies it."""
    recognition = AppConfig().recognition
    if engine == "sface":
        return recognition.sface_tolerance
    return recognition.tolerance - PROFILES["dlib"].single_photo_stricter


def distances(engine: str, faces: np.ndarray, gallery: np.ndarray) -> np.ndarray:
    """(faces, gallery) distance matrix in the engine's metric (1 - cosine for sface,
    Euclidean for dlib). A face with no encoding (NaN) gets NaN distances."""
    if engine == "sface":
        def unit(v: np.ndarray) -> np.ndarray:
            return v / np.linalg.norm(v, axis=1, keepdims=True)
        return 1.0 - unit(faces) @ unit(gallery).T
    squared = ((faces * faces).sum(1)[:, None] + (gallery * gallery).sum(1)[None]
               - 2.0 * faces @ gallery.T)
    return np.sqrt(np.maximum(squared, 0.0))


@dataclass(frozen=True)
class Gallery:
    """One drawn gallery of one engine: who is enrolled and the distances a rule needs."""

    engine: str
    size: int  # people enrolled (those whose photo was refused included)
    names: np.ndarray  # identity of each gallery row (people whose photo was taken)
    between: np.ndarray  # (rows, rows) distances between enrolled people, inf on the diagonal
    probes: list[ScalePhoto]
    probe_distances: np.ndarray  # (probes, rows); NaN rows: no face taken
    strangers: list[ScalePhoto]
    stranger_distances: np.ndarray


def draw(encoded: ScaleSet, size: int | None, seed: int) -> Gallery:
    """The gallery of `size` people (None: everyone) for `seed`, as the module says."""
    photos, vectors, found = encoded.photos, encoded.encodings.astype(np.float64), encoded.found()
    order = np.random.default_rng(seed)
    lab = [i for i, p in enumerate(photos) if p.kind == "enrol" and not p.lfw]
    with_probes = [int(i) for i in order.permutation(
        [i for i, p in enumerate(photos) if p.kind == "enrol" and p.lfw])]
    pad = [int(i) for i in order.permutation([i for i, p in enumerate(photos) if p.kind == "pad"])]
    everyone = lab + with_probes + pad
    chosen = everyone[:size] if size is not None else everyone
    rows = [i for i in chosen if found[i]]
    enrolled = {photos[i].identity for i in chosen}
    probes = [i for i, p in enumerate(photos) if p.kind == "probe" and p.identity in enrolled]
    strangers = [i for i, p in enumerate(photos) if p.kind == "stranger"]
    gallery = vectors[rows]
    between = distances(encoded.engine, gallery, gallery)
    np.fill_diagonal(between, np.inf)
    return Gallery(encoded.engine, len(chosen), np.array([photos[i].identity for i in rows]),
                   between, [photos[i] for i in probes],
                   distances(encoded.engine, vectors[probes], gallery),
                   [photos[i] for i in strangers],
                   distances(encoded.engine, vectors[strangers], gallery))


Naming = Callable[[Gallery, np.ndarray], np.ndarray]
"""A rule: the gallery row each face (a row of distances) is named as, -1 for nobody."""


def _within(faces: np.ndarray, tolerances: np.ndarray | float, margin: float) -> np.ndarray:
    """The nearest row of each face when within its tolerance (one per row, or one for
    all) and by `margin` nearer than the runner-up; -1 otherwise or without a face."""
    seen = ~np.isnan(faces[:, 0])
    filled = np.where(seen[:, None], faces, np.inf)
    nearest = np.argmin(filled, axis=1)
    two = np.partition(filled, 1, axis=1)[:, :2] if faces.shape[1] > 1 else np.c_[
        filled, np.full(len(filled), np.inf)]
    tolerance = np.broadcast_to(tolerances, (faces.shape[1],))[nearest]
    with np.errstate(invalid="ignore"):  # inf - inf for a face not seen: named nobody
        named = seen & (two[:, 0] <= tolerance) & (two[:, 1] - two[:, 0] >= margin)
    return np.where(named, nearest, -1)


def one_tolerance(gallery: Gallery, faces: np.ndarray) -> np.ndarray:
    return _within(faces, default_tolerance(gallery.engine), AppConfig().recognition.margin)


def size_aware(gallery: Gallery, faces: np.ndarray, margin: float | None = None) -> np.ndarray:
    tolerance = tolerance_at_size(default_tolerance(gallery.engine), gallery.size,
                                  PROFILES[gallery.engine].tighter_per_tenfold)
    return _within(faces, tolerance, AppConfig().recognition.margin if margin is None else margin)


def gallery_quantile(gallery: Gallery, faces: np.ndarray) -> np.ndarray:
    nearest_other = gallery.between.min(axis=1)
    tolerance = min(default_tolerance(gallery.engine),
                    float(np.quantile(nearest_other, GALLERY_QUANTILE)))
    return _within(faces, tolerance, AppConfig().recognition.margin)


def z_score(gallery: Gallery, faces: np.ndarray) -> np.ndarray:
    named = one_tolerance(gallery, faces)
    seen = np.where(np.isnan(faces), 1.0, faces)  # no face: named nobody already
    score = (seen.mean(axis=1) - seen.min(axis=1)) / np.maximum(seen.std(axis=1), 1e-12)
    return np.where(score >= Z_SCORE, named, -1)


def local_density(gallery: Gallery, faces: np.ndarray) -> np.ndarray:
    kth = np.sort(gallery.between, axis=1)[:, min(LOCAL_K, len(gallery.names) - 1) - 1]
    base = tolerance_at_size(default_tolerance(gallery.engine), gallery.size,
                             PROFILES[gallery.engine].tighter_per_tenfold)
    return _within(faces, base + (kth - np.median(kth)), AppConfig().recognition.margin)


RULES: dict[str, Naming] = {
    "one tolerance (before)": one_tolerance,
    "size-aware (default)": size_aware,
    "size-aware, no margin": lambda gallery, faces: size_aware(gallery, faces, margin=0.0),
    "gallery quantile": gallery_quantile,
    "z-score": z_score,
    "local density": local_density,
}


@dataclass
class Tally:
    """Counts for one group of faces: photos, named right, named wrongly."""

    photos: int = 0
    right: int = 0
    wrong: int = 0

    def add(self, photos: int, right: int, wrong: int) -> None:
        self.photos += photos
        self.right += right
        self.wrong += wrong

    @property
    def unnamed(self) -> int:
        return self.photos - self.right - self.wrong


GROUPS = ("LFW", NON_LFW, "women", "men")


def group_of(photo: ScalePhoto) -> tuple[str, ...]:
    """The groups a photo is counted in: LFW or not, and for LFW the person's sex."""
    if not photo.lfw:
        return (NON_LFW,)
    return ("LFW", "women" if photo.woman else "men")


@dataclass
class Outcome:
    """A rule's counts at one gallery size, per group: probes and strangers."""

    probes: dict[str, Tally] = field(default_factory=lambda: {g: Tally() for g in GROUPS})
    strangers: dict[str, Tally] = field(default_factory=lambda: {g: Tally() for g in GROUPS})
    draws: int = 0  # galleries pooled: the same stranger photos are counted once in each

    def add(self, gallery: Gallery, probe_rows: np.ndarray, stranger_rows: np.ndarray) -> None:
        self.draws += 1
        for photo, row in zip(gallery.probes, probe_rows, strict=True):
            right = int(row >= 0 and gallery.names[row] == photo.identity)
            for group in group_of(photo):
                self.probes[group].add(1, right, int(row >= 0) - right)
        for photo, row in zip(gallery.strangers, stranger_rows, strict=True):
            for group in group_of(photo):
                self.strangers[group].add(1, 0, int(row >= 0))


def agreeing(first: tuple[Gallery, np.ndarray, np.ndarray],
             second: tuple[Gallery, np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Probe and stranger rows of the first engine's gallery, kept where the second engine
    names the same person (the two galleries hold the same people)."""
    (one, one_probes, one_strangers), (two, two_probes, two_strangers) = first, second

    def same(rows: np.ndarray, other_rows: np.ndarray) -> np.ndarray:
        mine = np.where(rows >= 0, one.names[np.maximum(rows, 0)], "")
        theirs = np.where(other_rows >= 0, two.names[np.maximum(other_rows, 0)], "")
        return np.where((rows >= 0) & (mine == theirs), rows, -1)

    return same(one_probes, two_probes), same(one_strangers, two_strangers)


def measure(encoded: dict[str, ScaleSet]) -> dict[tuple[str, str, int], Outcome]:
    """(engine, rule, gallery size) -> outcome, for every engine given; with both engines,
    also ("both", "both agree", size)."""
    outcomes: dict[tuple[str, str, int], Outcome] = {}
    largest = max(len({p.identity for p in s.photos if p.kind in ("enrol", "pad")})
                  for s in encoded.values())
    for size in SIZES:
        for seed in range(DRAWS.get(size, 1) if size is not None else 1):
            default: dict[str, tuple[Gallery, np.ndarray, np.ndarray]] = {}
            for engine, coded in encoded.items():
                gallery = draw(coded, size, seed)
                for name, rule in RULES.items():
                    probes, strangers = (rule(gallery, gallery.probe_distances),
                                         rule(gallery, gallery.stranger_distances))
                    outcomes.setdefault((engine, name, size or largest), Outcome()).add(
                        gallery, probes, strangers)
                    if name == "size-aware (default)":
                        default[engine] = (gallery, probes, strangers)
            if len(default) == 2:
                gallery = default["sface"][0]
                outcomes.setdefault(("both", "both agree", size or largest), Outcome()).add(
                    gallery, *agreeing(default["sface"], default["dlib"]))
    return outcomes
