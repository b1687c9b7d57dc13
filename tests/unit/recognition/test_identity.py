"""Per-track identity votes: agreement confirms, flukes and strangers do not."""

from __future__ import annotations

from attendance_app.recognition.identity import FAR_LOOKS_TO_SETTLE, TrackIdentity, VotingRule
from enrolment import Match

RULE = VotingRule(votes_needed=3, max_attempts=6, recheck_every_n_frames=50)


def _accepted(person_id: int, distance: float = 0.4) -> Match:
    return Match(person_id, f"person {person_id}", distance, 0.8, True)


def _rejected(person_id: int | None = 1, distance: float = 0.7) -> Match:
    return Match(person_id, "someone", distance, 0.75, False)


def test_three_agreeing_matches_confirm_the_person_with_the_best_distance() -> None:
    identity = TrackIdentity(RULE)
    for frame, distance in enumerate((0.45, 0.38, 0.42)):
        assert not identity.confirmed
        identity.add(_accepted(5, distance), frame)
    assert identity.confirmed
    assert (identity.person_id, identity.name, identity.distance) == (5, "person 5", 0.38)


def test_a_stranger_with_occasional_accepted_matches_is_not_confirmed() -> None:
    identity = TrackIdentity(RULE)
    looks = [_accepted(2), _rejected(), _rejected(), _accepted(2), _rejected(), _rejected(), _accepted(2)]
    for frame, match in enumerate(looks):
        identity.add(match, frame)
    assert not identity.confirmed
    assert identity.settled


def test_split_votes_between_two_people_confirm_neither() -> None:
    identity = TrackIdentity(RULE)
    for frame, person in enumerate((1, 2, 1, 2)):
        identity.add(_accepted(person), frame)
    assert not identity.confirmed


def test_settled_tracks_are_looked_at_again_only_after_the_recheck_interval() -> None:
    identity = TrackIdentity(RULE)
    for frame in range(3):
        identity.add(_accepted(1), frame)
    assert not identity.wants_look(10)
    assert identity.wants_look(2 + RULE.recheck_every_n_frames)


def test_an_undecided_track_is_looked_at_every_time() -> None:
    identity = TrackIdentity(RULE)
    identity.add(_rejected(), 0)
    assert identity.wants_look(1)


def test_rechecks_that_name_someone_else_reopen_the_identity() -> None:
    identity = TrackIdentity(VotingRule(votes_needed=2, max_attempts=4, recheck_every_n_frames=1))
    for frame in range(2):
        identity.add(_accepted(1), frame)
    assert identity.person_id == 1
    for frame in range(2, 6):
        identity.add(_accepted(2), frame)
    assert identity.person_id == 2


def _far() -> Match:
    return Match(1, "someone", 0.9, 0.95, False, far=True)


def test_looks_far_from_everyone_settle_a_stranger_before_max_attempts() -> None:
    identity = TrackIdentity(RULE)
    for frame in range(FAR_LOOKS_TO_SETTLE):
        assert not identity.settled
        identity.add(_far(), frame)
    assert identity.settled and not identity.confirmed
    assert FAR_LOOKS_TO_SETTLE < RULE.max_attempts


def test_one_near_look_among_far_ones_keeps_the_track_open() -> None:
    """A person who turned away for a moment is not given up on: only far looks in a row
    settle a track early."""
    identity = TrackIdentity(RULE)
    looks = [_far()] * (FAR_LOOKS_TO_SETTLE - 1) + [_rejected(distance=0.6)] + [_far()] * (
        FAR_LOOKS_TO_SETTLE - 1)
    for frame, match in enumerate(looks):
        identity.add(match, frame)
    assert not identity.settled and identity.wants_look(len(looks))


def test_a_track_is_one_vote_short_only_while_its_latest_look_named_someone() -> None:
    identity = TrackIdentity(VotingRule(votes_needed=2, max_attempts=6))
    assert not identity.one_vote_short  # no look yet: the next detection round will do
    identity.add(_rejected(), 0)
    assert not identity.one_vote_short
    identity.add(_accepted(3), 5)
    assert identity.one_vote_short  # the next look may confirm: take it at once
    identity.add(_accepted(3), 6)
    assert identity.confirmed and not identity.one_vote_short
