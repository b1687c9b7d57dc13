"""The saved sightings as groups of one unknown person each, numbered for people to name.

A group's number is the id of its oldest sighting. Ids are never reused, so a number
means the same group from `attendance-app unknowns` to `unknowns enrol N` even while a
camera keeps saving sightings meanwhile: a new sighting either joins a group (its number
stays) or makes a new one (a new, higher number). Numbering by rank (1, 2, 3 by visits)
would let a newcomer shift every number between listing and enrolling, and enrol the wrong
face under a name. A number that has gone (its oldest sighting expired, or its group
merged into an older one) is refused, never taken for another group.

Groups are listed most-visited first. Sightings of one group less than VISIT_GAP apart
count as one visit: a person lingering at the door, whose face the tracker lost and found
again, is one visit, not three.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from attendance_app.unknowns.store import Sighting, UnknownStore

VISIT_GAP = timedelta(minutes=10)
"""Sightings of one person less than this apart are one visit."""


@dataclass(frozen=True)
class UnknownGroup:
    """One unknown person: their number, their sightings (best face first: the largest,
    then the newest), visits, and when they were first and last seen."""

    number: int
    sightings: tuple[Sighting, ...]
    visits: int
    first_seen: datetime
    last_seen: datetime

    @property
    def sighting_ids(self) -> tuple[int, ...]:
        return tuple(s.sighting_id for s in self.sightings)


def count_visits(times: list[datetime]) -> int:
    """Visits among these sighting times: a new one starts VISIT_GAP or more after the
    sighting before it."""
    ordered = sorted(times)
    return sum(1 for i, seen in enumerate(ordered)
               if i == 0 or seen - ordered[i - 1] >= VISIT_GAP)


def _group(members: list[Sighting]) -> UnknownGroup:
    times = [s.seen_at for s in members]
    best_first = sorted(members, key=lambda s: (-s.face_px, -s.sighting_id))
    return UnknownGroup(min(s.sighting_id for s in members), tuple(best_first),
                        count_visits(times), min(times), max(times))


def unknown_groups(store: UnknownStore, engine_name: str, metric: str,
                   tolerance: float) -> list[UnknownGroup]:
    """Every kept sighting, grouped by person with `engine_name`'s encodings (a sighting
    is the mean of its looks, unit length first for "cosine"), most visits first, then
    most sightings, then the latest seen, then by number. A sighting without encodings
    of that engine (its picture cannot be decoded) is a group of its own: still listed,
    so it can be deleted."""
    sightings, vectors = store.sightings(engine_name)
    encoded = [i for i, v in enumerate(vectors) if len(v)]
    members: dict[int, list[Sighting]] = {
        -1 - i: [sightings[i]] for i in range(len(sightings)) if not len(vectors[i])}
    if encoded:
        from attendance_app.unknowns.clustering import cluster  # scipy: only when there is work

        looks = [vectors[i] for i in encoded]
        if metric == "cosine":
            looks = [v / np.linalg.norm(v, axis=1, keepdims=True) for v in looks]
        labels = cluster(np.array([v.mean(axis=0) for v in looks]), metric, tolerance)
        for i, label in zip(encoded, labels.tolist()):
            members.setdefault(label, []).append(sightings[i])
    groups = [_group(group) for group in members.values()]
    return sorted(groups, key=lambda g: (-g.visits, -len(g.sightings),
                                         -g.last_seen.timestamp(), g.number))


def find_group(groups: list[UnknownGroup], number: int) -> UnknownGroup | None:
    """The group numbered `number`, or None when there is none (any more)."""
    return next((group for group in groups if group.number == number), None)
