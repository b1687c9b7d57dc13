"""Searching the enrolled faces for the person nearest to a new encoding.

A person's distance is the smallest distance to any of their encodings. A match is
only accepted when it is within the tolerance AND clearly nearer than the second-best
person (the margin): a stranger tends to sit at similar distances from several people,
a true match stands out from the rest. A person enrolled from a single photo is matched
more strictly than one enrolled from several (SINGLE_PHOTO_STRICTER). A face far beyond
everyone's tolerance is marked `far`: clearly nobody enrolled, not worth more looks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from enrolment.store import EncodingTable

SINGLE_PHOTO_STRICTER = 0.03
"""How much lower the tolerance is for a person with one encoding. One photo says little
about how a face varies: on the shared test faces (benchmarks/identification.py) people
enrolled from one photo needed tolerance 0.52 to keep every stranger out, while with two
photos 0.55 kept them out and named 98% of probes."""

FAR_BEYOND_TOLERANCE = 0.08
"""How far past each person's tolerance a face must be to be clearly nobody enrolled. On
the shared test faces (benchmarks/identification.py, one photo each) 32 of 39 strangers
are that far from everyone, and only one of 99 probes of enrolled people (at 0.60)."""


@dataclass(frozen=True)
class Match:
    """The outcome of one gallery search.

    person_id/name: the nearest person, or None when nobody is enrolled.
    distance: Euclidean distance to that person's nearest encoding (lower is closer).
    runner_up: distance to the second-nearest person (inf when there is none).
    accepted: whether the rule (tolerance and margin) names this person.
    far: nobody is within FAR_BEYOND_TOLERANCE of their tolerance (clearly a stranger).
    """

    person_id: int | None
    name: str | None
    distance: float
    runner_up: float
    accepted: bool
    far: bool = False

    @property
    def label(self) -> str:
        """The person's name when accepted, else 'Unknown'."""
        return self.name if self.accepted and self.name is not None else "Unknown"


def person_distances(table: EncodingTable, encoding: np.ndarray) -> dict[int, float]:
    """Distance from `encoding` to each person: the minimum over their encodings."""
    if len(table.person_ids) == 0:
        return {}
    distances = np.linalg.norm(table.vectors - np.asarray(encoding, dtype=np.float64), axis=1)
    nearest: dict[int, float] = {}
    for person_id, distance in zip(table.person_ids.tolist(), distances.tolist()):
        if distance < nearest.get(person_id, np.inf):
            nearest[person_id] = distance
    return nearest


class Gallery:
    """An immutable snapshot of the enrolled encodings with the acceptance rule.

    tolerance: largest accepted distance for a person enrolled from several photos (dlib's
    usual 0.6; lower is stricter); see SINGLE_PHOTO_STRICTER for the others.
    margin: how much nearer the best person must be than the second-best.
    single_photo_stricter: tolerance cut for people with one encoding (0 turns it off).
    """

    def __init__(self, table: EncodingTable, tolerance: float, margin: float,
                 single_photo_stricter: float = SINGLE_PHOTO_STRICTER) -> None:
        self.table = table
        self.tolerance = tolerance
        self.margin = margin
        self.single_photo_stricter = single_photo_stricter
        owners, counts = np.unique(table.person_ids, return_counts=True)
        self._encoding_counts = dict(zip(owners.tolist(), counts.tolist()))

    def tolerance_for(self, person_id: int) -> float:
        """The largest distance at which `person_id` is accepted."""
        if self._encoding_counts.get(person_id, 0) > 1:
            return self.tolerance
        return self.tolerance - self.single_photo_stricter

    @property
    def size(self) -> int:
        """Number of people with at least one encoding."""
        return len(set(self.table.person_ids.tolist()))

    def match(self, encoding: np.ndarray) -> Match:
        """The nearest person to `encoding`, and whether the rule accepts them."""
        nearest = person_distances(self.table, encoding)
        if not nearest:
            return Match(None, None, float("inf"), float("inf"), False, far=True)
        ranked = sorted(nearest.items(), key=lambda item: item[1])
        person_id, distance = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else float("inf")
        tolerance = self.tolerance_for(person_id)
        accepted = distance <= tolerance and runner_up - distance >= self.margin
        far = all(other > self.tolerance_for(other_id) + FAR_BEYOND_TOLERANCE
                  for other_id, other in ranked)
        return Match(person_id, self.table.names[person_id], distance, runner_up, accepted, far)
