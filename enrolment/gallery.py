"""Searching the enrolled faces for the person nearest to a new encoding.

A person's distance is the smallest distance to any of their encodings. A match is
only accepted when it is within the tolerance AND clearly nearer than the second-best
person (the margin): a stranger tends to sit at similar distances from several people,
a true match stands out from the rest. A person enrolled from a single photo is matched
more strictly than one enrolled from several (SINGLE_PHOTO_STRICTER), and every tolerance
tightens as more people are enrolled (tolerance_at_size): among 2,000 people a stranger
is far likelier to resemble somebody than among 100. A face far beyond
everyone's tolerance is marked `far`: clearly nobody enrolled, not worth more looks.

A person may also have *negatives*: faces that were taken for them in an attendance row
later voided as someone else's (enrolment.event_faces). A face nearer to one of a person's
negatives than to their own encodings is not given their name (`voided_look_alike`): the
look-alike who was logged once as them is not logged as them again, while the person,
nearer to their own photos than to the look-alike, still is.

A gallery holds one engine's encodings and measures distance as that engine does
(METRICS): Euclidean for dlib, 1 - cosine similarity for sface. The constants below are
dlib's; callers pass another engine's values.

Every search is a few numpy passes over all encodings, with no Python loop over people:
one match over 10,000 people (30,000 encodings) takes a few milliseconds
(benchmarks/people_scale.py).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from enrolment.row_buffer import RowBuffer
from enrolment.store import ENCODING_SIZE, EncodingTable

SINGLE_PHOTO_STRICTER = 0.03
"""How much lower the tolerance is for a person with one encoding. One photo says little
about how a face varies: on the shared test faces (benchmarks/identification.py) people
enrolled from one photo needed tolerance 0.52 to keep every stranger out, while with two
photos 0.55 kept them out and named 98% of probes."""

SAME_FACE_DISTANCE = 0.3
"""Faces nearer than this are one person's. Measured on the shared faces (33 people, every
photo): two different people were never nearer than 0.55, nor a stranger to anyone than
0.52; photos of one person come as near as 0.07, and one photo re-saved or resized 0.19.
Enrolling such a face under another name is refused unless forced."""

METRICS = ("euclidean", "cosine")
"""How a gallery measures distance: "euclidean" (dlib's encodings) or "cosine", meaning
1 - cosine similarity (0 for the same direction, 2 for the opposite; sface's)."""

SIZE_REFERENCE = 100
"""The number of people up to which the tolerance is the one set; see tolerance_at_size."""

FAR_BEYOND_TOLERANCE = 0.08
"""How far past each person's tolerance a face must be to be clearly nobody enrolled. On
the shared test faces (benchmarks/identification.py, one photo each) 32 of 39 strangers
are that far from everyone, and only one of 99 probes of enrolled people (at 0.60)."""

FORGOTTEN = -1
"""The person id of rows that `Gallery.replacing` took out without moving the others
(copying every vector cost up to 300 ms at 20,000 people on the shared machine): they are
searched with the rest and never named."""

_ROWS_PER_PASS = 2048
"""Encodings compared per numpy pass: the differences (2048 x 128 float64, 2 MB) stay in
the CPU cache, which makes the whole search about twice as fast as one pass over all."""


@dataclass(frozen=True)
class Match:
    """The outcome of one gallery search.

    person_id/name: the nearest person, or None when nobody is enrolled.
    distance: distance to that person's nearest encoding in the gallery's metric (lower is
    closer).
    runner_up: distance to the second-nearest person (inf when there is none).
    accepted: whether the rule (tolerance and margin) names this person.
    far: nobody is within far_beyond (FAR_BEYOND_TOLERANCE for dlib) of their tolerance
    (clearly a stranger);
    runner_up_name: the second-nearest person, when there is one;
    ambiguous: within tolerance, but not by the margin nearer than the runner-up: it could
    be either, so nobody is named.
    voided_look_alike: within tolerance, but nearer to a face voided for this person (a row
    marked "that was not them") than to their own encodings, so not named.
    """

    person_id: int | None
    name: str | None
    distance: float
    runner_up: float
    accepted: bool
    far: bool = False
    runner_up_name: str | None = None
    ambiguous: bool = False
    voided_look_alike: bool = False

    @property
    def label(self) -> str:
        """The person's name when accepted, else 'Unknown'."""
        return self.name if self.accepted and self.name is not None else "Unknown"

    def verdict(self) -> str:
        """The words `identify` prints after a face's box, and the API returns with it:
        the name and distance, or Unknown and why (nobody enrolled, ambiguous, too far,
        nearer to a face voided as not that person)."""
        if self.person_id is None:
            return "Unknown (nobody enrolled)"
        if self.ambiguous:
            return (f"ambiguous: {self.name} or {self.runner_up_name} (distances "
                    f"{self.distance:.3f} and {self.runner_up:.3f}); named neither")
        if self.accepted:
            return f"{self.name}  distance {self.distance:.3f}"
        if self.voided_look_alike:
            return (f"Unknown  distance {self.distance:.3f} to {self.name}, but nearer "
                    f"to a face voided as not {self.name}")
        return f"Unknown  distance {self.distance:.3f} (nearest: {self.name})"


def tolerance_at_size(tolerance: float, people: int, tighter_per_tenfold: float) -> float:
    """The tolerance for a gallery of `people`: `tolerance` up to SIZE_REFERENCE people,
    then `tighter_per_tenfold` lower for every tenfold more.

    Why: a stranger is named when they fall within tolerance of anybody, so the more
    people enrolled, the likelier some one of them is near enough. In the lower tail of
    the distances between different people, the share nearer than t falls about tenfold
    for each fixed step down in t, so keeping the chance that a stranger is near somebody
    the same as the gallery grows tenfold takes one such step. Measured on one-photo
    people (benchmarks/identification.py --scale): with SFace at 0.575 and no tightening,
    strangers given a name went from 0.4% at 100 people to 6.1% at 1,934; tightened by
    0.05 per tenfold they stay at or under 1%.
    """
    if people <= SIZE_REFERENCE or not tighter_per_tenfold:
        return tolerance
    return tolerance - tighter_per_tenfold * float(np.log10(people / SIZE_REFERENCE))


def _squared_distances(vectors: np.ndarray, encoding: np.ndarray) -> np.ndarray:
    """Squared Euclidean distance from `encoding` to each row of `vectors` (N, 128).

    Computed from the differences, not as |a|^2 - 2ab + |b|^2: that form is faster with
    BLAS but cancels to noise for near-identical faces and can break exact ties.
    """
    encoding = np.asarray(encoding, dtype=np.float64)
    squared = np.empty(len(vectors))
    for start in range(0, len(vectors), _ROWS_PER_PASS):
        difference = vectors[start:start + _ROWS_PER_PASS] - encoding
        np.einsum("ij,ij->i", difference, difference, out=squared[start:start + _ROWS_PER_PASS])
    return squared


def _in_metric(vectors: np.ndarray, metric: str) -> np.ndarray:
    """(N, 128) float64 rows ready for `metric`: unit length for "cosine", else as given.

    For unit vectors |a - b|^2 = 2 - 2 cos(a, b), so 1 - cosine is half the squared
    Euclidean distance: the cosine metric then shares the search below (the pass over
    differences, exact for near-identical faces, and the minimum per person, which either
    measure leaves in the same order). The sface engine gives unit vectors already;
    scaling them again changes nothing, and makes any other input mean 1 - cosine too.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")
    vectors = np.asarray(vectors, dtype=np.float64).reshape(-1, ENCODING_SIZE)
    if metric == "cosine":
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def _nearest_per_person(vectors: np.ndarray, owners: np.ndarray, people: int,
                        encoding: np.ndarray, metric: str) -> np.ndarray:
    """Distance in `metric` from `encoding` to each of `people`, the minimum over their
    encodings (rows of `vectors` already _in_metric).

    owners: (N,) index of each encoding's person in 0..people-1.
    """
    nearest = np.full(people, np.inf)
    np.minimum.at(nearest, owners, _squared_distances(vectors, _in_metric(encoding, metric)[0]))
    if metric == "cosine":
        return np.multiply(nearest, 0.5, out=nearest)
    return np.sqrt(nearest, out=nearest)


def person_distances(table: EncodingTable, encoding: np.ndarray,
                     metric: str = "euclidean") -> dict[int, float]:
    """Distance in `metric` (METRICS) from `encoding` to each person: the minimum over
    their encodings."""
    people, owners = np.unique(table.person_ids, return_inverse=True)
    vectors = _in_metric(table.vectors, metric)
    nearest = _nearest_per_person(vectors, owners, len(people), encoding, metric)
    return dict(zip(people.tolist(), nearest.tolist()))


class Gallery:
    """An immutable snapshot of the enrolled encodings with the acceptance rule.

    tolerance: largest accepted distance for a person enrolled from several photos (dlib's
    usual 0.6; lower is stricter) in a gallery of up to SIZE_REFERENCE people; see
    SINGLE_PHOTO_STRICTER for the others.
    tighter_per_tenfold: how much the tolerance tightens for each tenfold more people
    (tolerance_at_size; 0 keeps it whatever the size).
    margin: how much nearer the best person must be than the second-best.
    single_photo_stricter: tolerance cut for people with one encoding (0 turns it off).
    metric: how distance is measured (METRICS), the engine's own: tolerance, margin and
    far_beyond are in it.
    far_beyond: how far past everyone's tolerance a face is `far` (FAR_BEYOND_TOLERANCE).
    negatives: faces voided for a person (FaceStore.negative_table of the same engine);
    person_ids says whom each was wrongly taken for.

    People are kept in ascending id order, so among people at exactly the same distance
    the one enrolled first (lowest id) is named.
    """

    def __init__(self, table: EncodingTable, tolerance: float, margin: float,
                 single_photo_stricter: float = SINGLE_PHOTO_STRICTER,
                 metric: str = "euclidean", far_beyond: float = FAR_BEYOND_TOLERANCE,
                 prepared_vectors: np.ndarray | None = None,
                 negatives: EncodingTable | None = None,
                 tighter_per_tenfold: float = 0.0) -> None:
        """prepared_vectors: the table's vectors already in `metric` (from `adding`), so
        that a gallery grown by one person does not prepare every vector again."""
        self.table = table
        self.tolerance = tolerance
        self.margin = margin
        self.tighter_per_tenfold = tighter_per_tenfold
        self.single_photo_stricter = single_photo_stricter
        self.metric = metric
        self.far_beyond = far_beyond
        # Built from a table (a whole roster read): with room to grow in place (replacing)
        self._rows = None if prepared_vectors is not None else RowBuffer(
            _in_metric(table.vectors, metric))
        self._vectors = prepared_vectors if self._rows is None else self._rows.view()
        people, self._owners, counts = np.unique(
            np.asarray(table.person_ids, dtype=np.int64), return_inverse=True, return_counts=True)
        # rows of FORGOTTEN (from replacing) stay in place, in a first slot nobody is named by
        self._first = int(len(people) > 0 and people[0] == FORGOTTEN)
        self._slots = len(people)
        self._people = people[self._first:]
        self.size_tolerance = tolerance_at_size(tolerance, len(self._people), tighter_per_tenfold)
        self._tolerances = np.where(counts[self._first:] > 1, self.size_tolerance,
                                    self.size_tolerance - single_photo_stricter)
        self.negatives = negatives
        self._negative_vectors = (None if negatives is None or not len(negatives.person_ids)
                                  else np.ascontiguousarray(_in_metric(negatives.vectors, metric)))

    def adding(self, person_id: int, name: str, vectors: Sequence[np.ndarray]) -> Gallery:
        """A new gallery that also holds `vectors` for `person_id` (new or already here).

        For enrolling many people in a row: the encodings are appended in memory instead
        of the whole store being read again after each person, and only the new ones are
        prepared for the metric. The grown table holds the vectors as prepared (for the
        cosine metric, at unit length: the same distances), so they are copied once, which
        keeps every gallery immutable.
        """
        table = self.table
        prepared = np.concatenate([self._vectors, _in_metric(vectors, self.metric)])
        grown = EncodingTable(
            prepared,
            np.concatenate([np.asarray(table.person_ids, dtype=np.int64),
                            np.full(len(prepared) - len(self._vectors), person_id, dtype=np.int64)]),
            {**table.names, person_id: name})
        return Gallery(grown, self.tolerance, self.margin, self.single_photo_stricter,
                       self.metric, self.far_beyond, prepared, self.negatives,
                       self.tighter_per_tenfold)

    def replacing(self, person_ids: Collection[int], current: EncodingTable) -> Gallery:
        """A new gallery in which `person_ids` hold what `current` holds for them (their
        encodings and names now; a person absent from `current.names` is forgotten, with
        their negatives), everyone else as here.

        For a running door that hears of a roster change: only the people changed are read
        from the store, instead of every encoding (495 ms at 20,000 people). Their rows
        that stayed are kept where they are, so a rename moves no vector, and when no row
        went (an enrolment, new shots) the new rows are appended in place (row_buffer).
        Rows that went (a person forgotten) stay in place as FORGOTTEN's, until they are
        more than RowBuffer.SPARE of all: then the rest is copied.
        It gives the same matches as a gallery built afresh from the store
        (tests/unit/people/test_roster_update.py).
        """
        changed = set(person_ids)
        theirs = np.isin(self.table.person_ids, np.fromiter(changed, dtype=np.int64))
        added = _in_metric(current.vectors, self.metric)
        before = [(int(person), row.tobytes()) for person, row in zip(
            self.table.person_ids[theirs], self._vectors[theirs])]
        now = [(int(person), row.tobytes()) for person, row in zip(current.person_ids, added)]
        kept_rows, now_rows = set(before), set(now)
        new = np.array([row not in kept_rows for row in now], dtype=bool).reshape(len(now))
        gone = theirs.copy()
        gone[theirs] = [row not in now_rows for row in before]
        ids = np.where(gone, FORGOTTEN, np.asarray(self.table.person_ids, dtype=np.int64))
        if self._rows is None or np.count_nonzero(ids == FORGOTTEN) > len(ids) * RowBuffer.SPARE:
            live = ids != FORGOTTEN
            buffer = RowBuffer(np.concatenate([self._vectors[live], added[new]]))
            vectors, ids = buffer.view(), ids[live]
        else:
            buffer, vectors = self._rows.appended(self._vectors, added[new])
        table = EncodingTable(
            vectors, np.concatenate([ids, np.asarray(current.person_ids, dtype=np.int64)[new]]),
            {**{person: name for person, name in self.table.names.items()
                if person not in changed}, **current.names})
        negatives = self.negatives
        if negatives is not None and len(negatives.person_ids):
            forgotten = [person for person in changed if person not in current.names]
            kept = ~np.isin(negatives.person_ids, forgotten)
            negatives = EncodingTable(negatives.vectors[kept], negatives.person_ids[kept], {})
        gallery = Gallery(table, self.tolerance, self.margin, self.single_photo_stricter,
                          self.metric, self.far_beyond, vectors, negatives,
                          self.tighter_per_tenfold)
        gallery._rows = buffer
        return gallery

    def tolerance_for(self, person_id: int) -> float:
        """The largest distance at which `person_id` is accepted."""
        index = int(np.searchsorted(self._people, person_id))
        if index < len(self._people) and self._people[index] == person_id:
            return float(self._tolerances[index])
        return self.size_tolerance - self.single_photo_stricter

    @property
    def size(self) -> int:
        """Number of people with at least one encoding."""
        return len(self._people)

    def distances_by_person(self, encoding: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(person ids ascending, distance from `encoding` to each person's nearest encoding)."""
        return self._people, self._nearest(encoding)

    def _nearest(self, encoding: np.ndarray) -> np.ndarray:
        """Distance from `encoding` to each of self._people's nearest encoding."""
        return _nearest_per_person(self._vectors, self._owners, self._slots, encoding,
                                   self.metric)[self._first:]

    def match(self, encoding: np.ndarray) -> Match:
        """The nearest person to `encoding`, and whether the rule accepts them."""
        if len(self._people) == 0:
            return Match(None, None, float("inf"), float("inf"), False, far=True)
        nearest = self._nearest(encoding)
        best = int(np.argmin(nearest))  # the first of equal minima: the lowest person id
        distance = float(nearest[best])
        others = nearest.copy()
        others[best] = np.inf
        second = int(np.argmin(others))
        runner_up = float(others[second])
        close = distance <= self._tolerances[best]
        person_id = int(self._people[best])
        look_alike = bool(close) and self._nearer_to_negative(person_id, encoding, distance)
        accepted = close and runner_up - distance >= self.margin and not look_alike
        far = bool(np.all(nearest > self._tolerances + self.far_beyond))
        second_name = self.table.names[int(self._people[second])] if len(nearest) > 1 else None
        return Match(person_id, self.table.names[person_id], distance, runner_up, bool(accepted),
                     far, second_name, bool(close and not accepted and not look_alike),
                     look_alike)

    def _nearer_to_negative(self, person_id: int, encoding: np.ndarray, own: float) -> bool:
        """Whether `encoding` is nearer to one of `person_id`'s negatives than `own`, its
        distance to that person's nearest encoding. A tie keeps the name."""
        if self._negative_vectors is None or self.negatives is None:
            return False
        theirs = self.negatives.person_ids == person_id
        if not theirs.any():
            return False
        nearest = _nearest_per_person(self._negative_vectors[theirs],
                                      np.zeros(int(theirs.sum()), dtype=np.int64), 1,
                                      encoding, self.metric)
        return bool(nearest[0] < own)
