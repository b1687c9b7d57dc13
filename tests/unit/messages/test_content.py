"""What the messages say, from a real day's report: the summary lists every present,
absent and late person of the day (never cut short), a day nobody came is closed, and
lateness reads as people say it."""

from __future__ import annotations

from datetime import date, datetime, time

from attendance_app.messages.content import day_summary, late_text, summary_email
from exports import AttendanceRow, RosterEntry, period_report

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
    assert subject == "Attendance Friday 04 December 2026: Front door"
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
