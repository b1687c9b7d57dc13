"""Closed days read from files (issue 25, point 3): an iCalendar export as a school's or
Google's calendar writes it (CRLF lines, folded long lines, escaped text, a time zone
block, all-day and timed events, DTEND exclusive as RFC 5545 says, a repeating event
skipped and counted) and CSV files of date,name or date,to,name with or without a
header; anything else is refused in one line naming the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from attendance_app.records.calendar_files import CalendarFileError, read_calendar_file

ICS = "\r\n".join([
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
    "BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "BEGIN:STANDARD", "DTSTART:19701025T030000",
    "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD", "END:VTIMEZONE",
    "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261221", "DTEND;VALUE=DATE:20270102",
    "SUMMARY:Christmas break\\, all classes", "UID:1@school", "END:VEVENT",
    "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261008", "SUMMARY:Staff training day – no",
    "  pupils", "END:VEVENT",
    "BEGIN:VEVENT", "DTSTART;TZID=Europe/Berlin:20261113T080000",
    "DTEND;TZID=Europe/Berlin:20261114T000000", "SUMMARY:Sports day", "END:VEVENT",
    "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20270215", "DURATION:P1W", "SUMMARY:Winter week",
    "END:VEVENT",
    "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261003", "RRULE:FREQ=YEARLY",
    "SUMMARY:Unity Day", "END:VEVENT", "END:VCALENDAR", ""])


def test_an_ics_export_gives_its_events_days(tmp_path: Path) -> None:
    path = tmp_path / "school.ics"
    path.write_bytes(ICS.encode())
    found = read_calendar_file(path)
    assert [(s.first, s.last, s.name) for s in found.spans] == [
        (date(2026, 12, 21), date(2027, 1, 1), "Christmas break, all classes"),  # DTEND excl.
        (date(2026, 10, 8), date(2026, 10, 8), "Staff training day – no pupils"),  # folded
        (date(2026, 11, 13), date(2026, 11, 13), "Sports day"),   # ends at midnight
        (date(2027, 2, 15), date(2027, 2, 21), "Winter week")]
    assert found.repeating == 1


def test_csv_files_with_and_without_a_header(tmp_path: Path) -> None:
    with_header = tmp_path / "holidays.csv"
    with_header.write_text("date,to,name\n2026-12-21,2027-01-01,Christmas break\n\n"
                           '2026-10-08,,"Training, no pupils"\n', encoding="utf-8-sig")
    bare = tmp_path / "bare.txt"
    bare.write_text("2026-10-03,Unity Day\n")
    assert [(s.first, s.last, s.name) for s in read_calendar_file(with_header).spans] == [
        (date(2026, 12, 21), date(2027, 1, 1), "Christmas break"),
        (date(2026, 10, 8), date(2026, 10, 8), "Training, no pupils")]  # a blank "to"
    assert [(s.first, s.name) for s in read_calendar_file(bare).spans] == [
        (date(2026, 10, 3), "Unity Day")]


@pytest.mark.parametrize(("content", "words"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "is not a calendar: it is not text"),
    (b"Dear parents,\nthe school is closed.\n", "line 2: write date,name or date,to,name"),
    (b"date,to,name\n", "holds no closed day"),
    (b"date,name\n2026-02-30,Nope\n", "line 2: '2026-02-30' is not a date"),
    (b"2027-01-02,2026-12-21,Break\n", "line 1: 2026-12-21 is before 2027-01-02"),
    (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:tomorrow\nEND:VEVENT\nEND:VCALENDAR\n",
     "'tomorrow' is not a date")])
def test_what_is_not_a_calendar_is_refused_in_one_line(tmp_path: Path, content: bytes,
                                                       words: str) -> None:
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(CalendarFileError, match=words) as refused:
        read_calendar_file(path)
    assert "\n" not in str(refused.value) and str(path) in str(refused.value)


def test_an_ics_name_on_another_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "holidays.ics"
    path.write_text("2026-12-24,Christmas Eve\n")
    with pytest.raises(CalendarFileError, match="not an iCalendar file"):
        read_calendar_file(path)
