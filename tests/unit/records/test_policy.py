"""The attendance policy: one row per person per day by default, cooldown for in/out."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from attendance_app.records.policy import AttendancePolicy
from attendance_app.types import AttendanceEvent

MORNING = datetime(2026, 3, 2, 8, 0, 0)


def _event(person_id: int, when: datetime, kind: str = "in") -> AttendanceEvent:
    return AttendanceEvent(when, person_id, f"p{person_id}", "door", 0.4, kind, 1)


def _seen(policy: AttendancePolicy, person_id: int, when: datetime) -> str | None:
    kind = policy.decide(person_id, when)
    if kind is not None:
        policy.remember(_event(person_id, when, kind))
    return kind


def test_one_row_per_person_per_day_by_default() -> None:
    policy = AttendancePolicy()
    assert _seen(policy, 1, MORNING) == "in"
    assert _seen(policy, 1, MORNING + timedelta(hours=5)) is None
    assert _seen(policy, 2, MORNING + timedelta(minutes=1)) == "in"
    assert _seen(policy, 1, MORNING + timedelta(days=1)) == "in"


def test_cooldown_allows_repeated_rows_alternating_in_and_out() -> None:
    policy = AttendancePolicy(timedelta(minutes=30))
    kinds = [_seen(policy, 1, MORNING + timedelta(minutes=m)) for m in (0, 10, 31, 45, 70, 120)]
    assert kinds == ["in", None, "out", None, "in", "out"]


def test_new_day_starts_with_in_even_after_an_odd_number_of_rows() -> None:
    policy = AttendancePolicy(timedelta(minutes=1))
    assert _seen(policy, 1, MORNING) == "in"
    assert _seen(policy, 1, MORNING + timedelta(days=1)) == "in"


def test_restored_from_todays_events_a_restart_logs_nobody_twice() -> None:
    policy = AttendancePolicy()
    policy.restore([_event(7, MORNING)])
    assert policy.decide(7, MORNING + timedelta(hours=1)) is None
    assert policy.decide(8, MORNING + timedelta(hours=1)) == "in"


def test_non_positive_cooldown_is_refused() -> None:
    with pytest.raises(ValueError):
        AttendancePolicy(timedelta(0))
