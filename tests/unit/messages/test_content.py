"""What the messages say, from a real day's report: the summary lists every present,
absent and late person of the day (never cut short), the excused apart with their reason,
a day nobody came or the calendar closes is closed, and lateness reads as people say it."""

from __future__ import annotations

from datetime import date, datetime, time

from attendance_app.messages.content import day_summary, late_text, summary_email
from exports import AttendanceRow, RosterEntry, period_report
from exports.days_off import ClosedSpan, DaysOff, Leave
from exports.hours import Hours, NamedGroup, Schedule, parse_days

DAY = date(2026, 12, 4)


def _report(arrivals: dict[str, time]) -> object:
    roster = [RosterEntry(n, f"pupil {n:03d}", date(2026, 9, 1)) for n in range(1, 121)]
    by_name = {entry.name: entry for entry in roster}
    rows = [AttendanceRow(i, datetime.combine(DAY, at), name, by_name[name].person_id,
                          "Front door", 0.3, "in")
            for i, (name, at) in enumerate(arrivals.items(), start=1)]
    return period_report(rows, roster, [DAY], time(8, 0))


def test_the_summary_names_everyone_absent_and_late_in_one_group() -> None:
    arrivals = {"pupil 001": time(7, 55), "pupil 002": time(8, 9), "pupil 003": time(9, 5)}
    payload = day_summary(_report(arrivals), DAY, "Front door")  # type: ignore[arg-type]
    assert payload["day"] == "2026-12-04" and payload["closed"] is False
    (group,) = payload["groups"]
    assert group["group"] == "Everyone"
    assert group["present"] == ["pupil 001", "pupil 002", "pupil 003"]
    assert len(group["absent"]) == 117 and "pupil 120" in group["absent"]
    assert group["late"] == [{"name": "pupil 002", "arrived": "08:09", "minutes_late": 9},
                             {"name": "pupil 003", "arrived": "09:05", "minutes_late": 65}]
    subject, body = summary_email({**payload, "kind": "summary"})
    assert subject == "Attendance Friday, December 4, 2026: Front door"
    assert "Everyone: 3 present, 117 absent, 2 late" in body
    assert "pupil 002 (9 min, at 08:09), pupil 003 (1 h 05 min, at 09:05)" in body
    assert "pupil 120" in body and "more" not in body


def test_a_day_nobody_came_is_closed_with_nobody_absent() -> None:
    payload = day_summary(_report({}), DAY, "Front door")  # type: ignore[arg-type]
    assert payload["closed"] is True
    assert payload["groups"][0]["absent"] == []
    assert "nobody is absent" in summary_email({**payload, "kind": "summary"})[1]


def test_lateness_reads_as_people_say_it() -> None:
    assert [late_text(m) for m in (1, 9, 59, 60, 65, 549)] == [
        "1 min", "9 min", "59 min", "1 h 00 min", "1 h 05 min", "9 h 09 min"]


def test_the_summary_has_one_entry_per_group_meeting_that_day() -> None:
    """Issue 25, point 3: a site with groups gets each group's present, absent and late,
    people in no group under "No group"; a group that does not meet that day is left out."""
    roster = [RosterEntry(n, f"pupil {n:03d}", date(2026, 9, 1)) for n in range(1, 7)]
    rows = [AttendanceRow(n, datetime.combine(DAY, at), f"pupil {n:03d}", n, "Front door", 0.3,
                          "in")
            for n, at in ((1, time(8, 20)), (2, time(8, 0)), (4, time(9, 30)))]
    friday = Hours(parse_days("mon-fri"), time(8, 0), grace=10)
    groups = [NamedGroup("3A", friday, frozenset({1, 2, 3})),
              NamedGroup("Choir", Hours(parse_days("sat"), time(10, 0)), frozenset({1, 5})),
              NamedGroup("Staff", Hours(parse_days("mon-fri"), time(7, 30)), frozenset({2}))]
    schedule = Schedule.of_groups(Hours(parse_days("mon-fri"), time(9, 0)), groups)
    payload = day_summary(period_report(rows, roster, [DAY], schedule), DAY, "Front door")
    assert [(g["group"], g["present"], g["absent"], [late["name"] for late in g["late"]])
            for g in payload["groups"]] == [
        ("3A", ["pupil 001", "pupil 002"], ["pupil 003"], ["pupil 001", "pupil 002"]),
        ("Staff", ["pupil 002"], [], ["pupil 002"]),
        ("No group", ["pupil 004"], ["pupil 006"], ["pupil 004"])]
    # pupil 005 is in the choir alone, which meets on Saturdays: not expected, not absent.
    # pupil 002 is in 3A and Staff: late against the earlier start (07:30), 30 minutes.
    assert payload["groups"][1]["late"][0]["minutes_late"] == 30
    assert "3A: 2 present, 1 absent, 2 late" in summary_email({**payload, "kind": "summary"})[1]


def test_the_summary_keeps_the_excused_apart_and_names_a_closed_day() -> None:
    """Issue 25, point 3: a pupil on leave is excused (with the reason), not absent; a
    group's closed day says so; the site's closed day is "closed" with its name."""
    roster = [RosterEntry(n, f"pupil {n:03d}", date(2026, 9, 1)) for n in range(1, 5)]
    rows = [AttendanceRow(1, datetime.combine(DAY, time(8, 0)), "pupil 001", 1, "Door", 0.3,
                          "in")]
    week = parse_days("mon-fri")
    groups = [NamedGroup("3A", Hours(week, time(8, 0)), frozenset({1, 2, 3})),
              NamedGroup("3B", Hours(week, time(8, 0)), frozenset({4}))]
    days_off = DaysOff([ClosedSpan(DAY, DAY, "Museum trip", "3B")],
                       [Leave(2, DAY, DAY, "flu")])
    schedule = Schedule.of_groups(Hours(week, time(9, 0)), groups, days_off)
    payload = day_summary(period_report(rows, roster, [DAY], schedule), DAY, "Door")
    assert [(g["group"], g["absent"], g["excused"], g["closed"]) for g in payload["groups"]] == [
        ("3A", ["pupil 003"], [{"name": "pupil 002", "reason": "flu"}], None),
        ("3B", [], [], "Museum trip")]
    body = summary_email({**payload, "kind": "summary"})[1]
    assert "3A: 1 present, 1 absent, 1 excused, 0 late" in body
    assert "  Excused: pupil 002 (flu)" in body and "3B: closed (Museum trip)" in body
    site = Schedule.of_groups(Hours(week, time(9, 0)), groups,
                              DaysOff([ClosedSpan(DAY, DAY, "Snow day")]))
    closed = day_summary(period_report(rows, roster, [DAY], site), DAY, "Door")
    assert closed["closed"] is True and closed["closed_as"] == "Snow day"
    assert "closed (Snow day)" in summary_email({**closed, "kind": "summary"})[1]
