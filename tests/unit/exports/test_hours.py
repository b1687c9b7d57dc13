"""Hours as people type them (week days, HH:MM, grace) and the rules they set: who is
expected on a day, who is late, against which of several groups' hours."""

from __future__ import annotations

from datetime import date, time

import pytest

from exports.hours import (
    Hours,
    check_grace,
    days_text,
    expected_hours,
    minutes_late,
    parse_clock,
    parse_days,
)

MONDAY = date(2026, 11, 30)


@pytest.mark.parametrize(("text", "days"), [
    ("mon-fri", {0, 1, 2, 3, 4}), ("Mon,Wed,Fri", {0, 2, 4}), ("sat-sun", {5, 6}),
    ("fri-mon", {4, 5, 6, 0}), ("tuesday", {1}), ("mon-tue,thu", {0, 1, 3}),
])
def test_week_days_are_read_as_lists_and_ranges(text: str, days: set[int]) -> None:
    assert parse_days(text) == days
    assert parse_days(days_text(parse_days(text))) == days


@pytest.mark.parametrize("text", ["weekdays", "", "mon-", "1-5", "mon;fri", "mo-fr"])
def test_anything_else_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(ValueError, match="is not a list of week days") as error:
        parse_days(text)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("text", ["25:00", "8h", "", "08:60"])
def test_a_time_of_day_must_be_hh_mm(text: str) -> None:
    with pytest.raises(ValueError, match="is not a time of day"):
        parse_clock(text)


def test_a_negative_grace_is_refused() -> None:
    assert check_grace(0) == 0
    with pytest.raises(ValueError, match="grace must be 0 to 1440 minutes, not -5"):
        check_grace(-5)


def test_days_text_names_runs_and_single_days() -> None:
    assert days_text({0, 1, 2, 3, 4}) == "mon-fri"
    assert days_text({0, 2, 4}) == "mon,wed,fri"
    assert days_text(set()) == "none"


def test_late_is_past_start_plus_grace_and_counted_from_the_start() -> None:
    hours = Hours(parse_days("mon-fri"), time(8, 0), grace=10)
    assert minutes_late(time(8, 10, 59), hours) == 0
    assert minutes_late(time(8, 11), hours) == 11
    assert minutes_late(time(7, 50), hours) == 0
    assert minutes_late(time(8, 0, 59), Hours(frozenset({0}), time(8, 0))) == 0
    assert minutes_late(time(8, 1), Hours(frozenset({0}), time(8, 0))) == 1


def test_two_groups_expect_a_person_when_either_does_with_the_earliest_start() -> None:
    school = Hours(parse_days("mon-fri"), time(9, 0), grace=5)
    choir = Hours(parse_days("wed,sat"), time(8, 0))
    both = [school, choir]
    assert expected_hours(both, MONDAY) == school
    assert expected_hours(both, date(2026, 12, 2)) == choir      # Wednesday: 08:00 first
    assert expected_hours(both, date(2026, 12, 5)) == choir      # Saturday: the choir only
    assert expected_hours(both, date(2026, 12, 6)) is None       # Sunday: nobody expects them
    assert minutes_late(time(8, 30), expected_hours(both, date(2026, 12, 2))) == 30
    assert minutes_late(time(8, 30), expected_hours(both, MONDAY)) == 0
