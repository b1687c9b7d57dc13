"""Deciding who a tracked face is, from several looks rather than one.

One encoding can be unlucky (a blink, a turned head, motion blur). A track is confirmed
as a person only when `votes_needed` accepted matches agree on that person and they are
at least half of all recent looks; a stranger who now and then falls within tolerance of
someone therefore never gets confirmed. After `max_attempts` looks without agreement the
track is settled as unknown and looked at again only now and then, which saves the
encoding cost of people who are not enrolled; a face that FAR_LOOKS_TO_SETTLE clear looks
in a row found far from everyone enrolled is settled sooner (strangers were almost half of
all encodings in the door benchmarks). Only clear looks (a face large and sharp enough)
count towards that, and only they can make a face a *stranger*: a face seen small, blurred
or turned away stays "checking".

A track's identity never moves to another face unchecked: when its box jumps, the tracker
says so and the vote is put in doubt (`doubt`): the name is hidden until a fresh look
agrees, and no row is written meanwhile.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass

import numpy as np

from enrolment import Match

FAR_LOOKS_TO_SETTLE = 3
"""Looks in a row, each far from every enrolled person (Match.far), that settle a track
as unknown before max_attempts: one far look can be a blink or a turned head, three in a
row are a stranger."""


@dataclass(frozen=True)
class VotingRule:
    """votes_needed: agreeing accepted matches to confirm; max_attempts: looks before
    settling as unknown (also the window of recent looks that is counted);
    recheck_every_n_frames: how often a settled track is looked at again."""

    votes_needed: int = 2
    max_attempts: int = 6
    recheck_every_n_frames: int = 125


class TrackIdentity:
    """The running vote of one track."""

    def __init__(self, rule: VotingRule) -> None:
        self.rule = rule
        self._looks: deque[Match] = deque(maxlen=max(rule.max_attempts, rule.votes_needed))
        self._clear: deque[bool] = deque(maxlen=self._looks.maxlen)  # per look: seen clearly?
        self._faces: deque[np.ndarray | None] = deque(maxlen=self._looks.maxlen)  # encodings
        self._attempts = 0
        self._doubted: int | None = None  # the person this track was before a doubt
        self._last_look_frame: int | None = None
        self.person_id: int | None = None
        self.name: str | None = None
        self.distance: float = float("inf")
        self.logged_person_id: int | None = None

    @property
    def confirmed(self) -> bool:
        return self.person_id is not None

    @property
    def settled(self) -> bool:
        """Confirmed, or given up on: after max_attempts looks, or sooner when the latest
        looks were all far from everyone."""
        if self.confirmed or self._attempts >= self.rule.max_attempts:
            return True
        latest = list(zip(self._looks, self._clear))[-FAR_LOOKS_TO_SETTLE:]
        return (len(latest) == FAR_LOOKS_TO_SETTLE
                and all(match.far and clear for match, clear in latest))

    @property
    def one_vote_short(self) -> bool:
        """Not confirmed yet, but the latest look named someone: the next look may confirm
        them, so it is worth taking at once rather than at the next detection round."""
        last = self.last_match
        return (not self.confirmed and not self.settled and last is not None
                and last.accepted and last.person_id is not None)

    @property
    def stranger(self) -> bool:
        """Given up on after a clear look matched nobody: the face was seen well and is not
        enrolled (red in the window). A face only ever seen unclearly is never a stranger."""
        looks = zip(self._looks, self._clear)
        return (self.settled and not self.confirmed
                and any(clear and not match.accepted for match, clear in looks))

    @property
    def last_match(self) -> Match | None:
        return self._looks[-1] if self._looks else None

    def agreeing_faces(self) -> list[np.ndarray]:
        """The encodings of the recent looks that named the confirmed person: the faces
        behind the row written for it (kept so that voiding the row can teach). Looks
        before a doubt are not among them: they may be of another face."""
        return [face for match, face in zip(self._looks, self._faces, strict=True)
                if face is not None and match.accepted and match.person_id == self.person_id
                and self.person_id is not None]

    def wants_look(self, frame_index: int) -> bool:
        """Whether this track's face should be encoded on `frame_index`."""
        if not self.settled or self._last_look_frame is None:
            return True
        return frame_index - self._last_look_frame >= self.rule.recheck_every_n_frames

    def doubt(self) -> None:
        """The box may now be on another face (it jumped): forget the looks so far and hide
        the name until fresh looks decide. One fresh accepted look of the same person
        restores the name; another person needs the full vote."""
        if self.person_id is not None:
            self._doubted = self.person_id
        self._looks.clear()
        self._clear.clear()
        self._faces.clear()
        self._attempts = 0
        self._last_look_frame = None
        self.person_id = self.name = None
        self.distance = float("inf")

    def handed_over(self) -> TrackIdentity:
        """The vote for a new track that took this one's place (the same face found again):
        it starts in doubt of this track's person and has already logged what this one did."""
        successor = TrackIdentity(self.rule)
        successor._doubted = self.person_id if self.person_id is not None else self._doubted
        successor.logged_person_id = self.logged_person_id
        return successor

    def add(self, match: Match, frame_index: int, clear: bool = True,
            encoding: np.ndarray | None = None) -> None:
        """Count one look (clear: the face was large and sharp enough to judge; encoding:
        the face's, kept for `agreeing_faces`) and update the verdict."""
        self._looks.append(match)
        self._clear.append(clear)
        self._faces.append(encoding)
        self._attempts += 1
        self._last_look_frame = frame_index
        self._decide()

    def _decide(self) -> None:
        votes = Counter(m.person_id for m in self._looks if m.accepted)
        if not votes:
            self.person_id = self.name = None
            return
        person_id, count = votes.most_common(1)[0]
        agreeing = [m for m in self._looks if m.accepted and m.person_id == person_id]
        needed = 1 if person_id == self._doubted else self.rule.votes_needed
        if count >= needed and 2 * count >= len(self._looks):
            self._doubted = None
            self.person_id = person_id
            self.name = agreeing[-1].name
            self.distance = min(m.distance for m in agreeing)
        elif self.person_id is not None and person_id != self.person_id:
            # A recheck now points elsewhere (ids swapped in a crossing): start afresh.
            self.person_id = self.name = None
            self.distance = float("inf")
