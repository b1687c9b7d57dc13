"""Closed days read from a file people already have: an iCalendar file (.ics, what school
and public-holiday calendars export) or a CSV file of `date[,to],name` lines.

The .ics subset is read here rather than with a library (the `icalendar` package): a
holiday calendar needs only VEVENTs' DTSTART, DTEND or DURATION and SUMMARY, with lines
unfolded and text unescaped as RFC 5545 says, about sixty lines; `icalendar` would add a
dependency (and its own, python-dateutil and tzdata) to every install for that, and it
does not expand repeating events either. What the subset leaves out is said, not
guessed at: a repeating event (RRULE) is skipped and counted, so the user adds its
other years by hand.

- DTEND is exclusive (RFC 5545, 3.6.1): DTSTART;VALUE=DATE:20261224 with
  DTEND;VALUE=DATE:20261227 closes the 24th, 25th and 26th. An all-day event without
  DTEND or DURATION is one day.
- A timed event (DTSTART:20261224T090000) closes the days it touches: its start's day to
  the day of its end (an end at midnight exactly closes the day before).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from attendance_app.i18n import _
from exports.days_off import ClosedSpan


class CalendarFileError(ValueError):
    """The file is not a calendar this app reads; the message says why, in one line."""


@dataclass(frozen=True)
class ReadCalendar:
    """The closures a file holds, and how many repeating events it skipped."""

    spans: list[ClosedSpan]
    repeating: int = 0


_DURATION = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?$")


def _unfolded(text: str) -> list[str]:
    """The content lines: a line starting with a space or a tab continues the one before."""
    lines: list[str] = []
    for raw in text.splitlines():
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw.strip():
            lines.append(raw)
    return lines


def _unescaped(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _moment(value: str, where: str) -> date | datetime:
    """20261224 -> a date; 20261224T090000[Z] -> a (naive) date and time."""
    value = value.strip().rstrip("Z")
    try:
        if "T" in value:
            return datetime.strptime(value, "%Y%m%dT%H%M%S")
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise CalendarFileError(_("{where}: {value!r} is not a date of the form 20261224")
            .format(where=where, value=value)) from None


def _span(event: dict[str, str], where: str) -> ClosedSpan:
    """The days an event's properties close (see the module's notes on DTEND)."""
    if "DTSTART" not in event:
        raise CalendarFileError(_("{where}: an event has no DTSTART").format(where=where))
    start = _moment(event["DTSTART"], where)
    name = _unescaped(event.get("SUMMARY", "")).strip() or "Closed"
    first = start.date() if isinstance(start, datetime) else start
    if "DTEND" in event:
        end = _moment(event["DTEND"], where)
        if isinstance(end, datetime):
            last = (end - timedelta(microseconds=1)).date() if end > start else end.date()
        else:
            last = end - timedelta(days=1)
    elif "DURATION" in event and (found := _DURATION.match(event["DURATION"].strip())):
        days = int(found.group(1) or 0) * 7 + int(found.group(2) or 0)
        last = first + timedelta(days=max(days, 1) - 1)
    else:
        last = first
    return ClosedSpan(first, max(first, last), name.splitlines()[0])


def read_ics(text: str, source: str) -> ReadCalendar:
    """The all-day (and timed) events of an iCalendar text as closures."""
    lines = _unfolded(text)
    if not lines or lines[0].strip().upper() != "BEGIN:VCALENDAR":
        raise CalendarFileError(_("{source} is not an iCalendar file (it does not begin with "
                                  "BEGIN:VCALENDAR)").format(source=source))
    spans, repeating = [], 0
    event: dict[str, str] | None = None
    for line in lines:
        head, _colon, value = line.partition(":")
        key = head.split(";")[0].strip().upper()
        if key == "BEGIN" and value.strip().upper() == "VEVENT":
            event = {}
        elif key == "END" and value.strip().upper() == "VEVENT" and event is not None:
            if "RRULE" in event:
                repeating += 1
            else:
                spans.append(_span(event, f"{source}, event {len(spans) + repeating + 1}"))
            event = None
        elif event is not None:
            event.setdefault(key, value)
    return ReadCalendar(spans, repeating)


def _day(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CalendarFileError(_("{where}: {text!r} is not a date; write it as YYYY-MM-DD")
            .format(where=where, text=text.strip())) from None


def read_csv(text: str, source: str) -> ReadCalendar:
    """`date,name` or `date,to,name` lines (a first line that is not a date is a header;
    an empty `to`, as a spreadsheet writes a blank cell, is a single day)."""
    spans = []
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        where = f"{source} line {number}"
        if number == 1 and not re.match(r"^\d{4}-\d{2}-\d{2}$", cells[0]):
            continue  # the header
        if len(cells) not in (2, 3):
            raise CalendarFileError(_("{where}: write date,name or date,to,name (found {count} "
                                      "values)").format(where=where, count=len(cells)))
        first = _day(cells[0], where)
        last = _day(cells[1], where) if len(cells) == 3 and cells[1] else first
        if last < first:
            raise CalendarFileError(_("{where}: {last} is before {first}; write the first day, "
                                      "then the last").format(where=where, last=last, first=first))
        spans.append(ClosedSpan(first, last, cells[-1]))
    return ReadCalendar(spans)


def read_calendar_file(path: Path) -> ReadCalendar:
    """The closures in `path`: iCalendar when it begins so (or is named .ics), else CSV.
    CalendarFileError in one line for a file that cannot be read or is neither."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CalendarFileError(_("{path} is not a calendar: it is not text (an .ics or CSV file "
                                  "is)").format(path=path)) from None
    except OSError as error:
        raise CalendarFileError(_("{path} cannot be read: {error}")
            .format(path=path, error=error.strerror)) from None
    if path.suffix.lower() == ".ics" or text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        found = read_ics(text, str(path))
    else:
        found = read_csv(text, str(path))
    if not found.spans and not found.repeating:
        raise CalendarFileError(_("{path} holds no closed day (an .ics file's events, or CSV lines"
                                  " of date,name or date,to,name)").format(path=path))
    return found
