"""The tables a workbook (or a set of CSV files) holds, independent of the file format.

Each table is a title, its columns and its lines of plain values (dates, times, numbers,
text); exports.sheets turns them into styled sheets and exports.csv_files into CSV.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from exports.reports import PeriodReport
from exports.rows import AttendanceRow

ATTENDANCE = "Attendance"
SUMMARY = "Daily summary"
DAYS = "Days"
ABSENT = "Absent"
LATE = "Late arrivals"
TIMESHEET = "Timesheet"


@dataclass(frozen=True)
class Column:
    """A column's title, its width in characters and how its values are shown; `note`
    explains the column to readers (a comment on its header cell)."""

    title: str
    width: float
    number_format: str = "General"
    note: str = ""


@dataclass(frozen=True)
class Table:
    """One sheet's worth of lines under a header of columns."""

    title: str
    columns: Sequence[Column]
    lines: Iterable[Sequence[object]]


_DATE = Column("Date", 12, "yyyy-mm-dd")
_NAME = Column("Name", 28)
_PERSON = Column("Person ID", 11)
MATCH = "Match (lower is closer)"
EVENT_ID = "Event ID"
ATTENDANCE_COLUMNS = (
    Column("Date and time", 20, "yyyy-mm-dd hh:mm:ss"),
    _NAME,
    _PERSON,
    Column("Camera", 16),
    Column("Event", 9),
    # For checking, not for reading: at the right end, each with a note on its header.
    Column(MATCH, 24, "0.000",
           "How far this face was from the person's enrolled faces (the face distance): "
           "lower is a closer match. Only faces closer than the match tolerance in the "
           "settings are logged."),
    Column(EVENT_ID, 10, "General",
           "The app's own number for this event (its journal id): it lets the app rebuild "
           "this workbook without ever writing an event twice."),
)
LEGACY_TITLES = {"Distance": MATCH}
"""Header titles of earlier workbooks -> today's: those files read back the same."""
SUMMARY_COLUMNS = (
    _DATE, _NAME, _PERSON,
    Column("First seen", 12, "hh:mm:ss"),
    Column("Last seen", 12, "hh:mm:ss"),
    Column("Events", 9),
)
DAYS_COLUMNS = (_DATE, Column("Present", 10), Column("Absent", 10), Column("Late", 10))
ABSENT_COLUMNS = (_DATE, _NAME, _PERSON)
LATE_COLUMNS = (_DATE, _NAME, _PERSON, Column("Arrived", 12, "hh:mm:ss"),
                Column("Minutes late", 13))
_TIMESHEET_TOTALS = (Column("Days present", 13), Column("Days late", 11),
                     Column("Hours", 9, "0.0"))


def _timesheet_columns(days: Sequence[date]) -> tuple[Column, ...]:
    return (_NAME, _PERSON, *(Column(f"{day:%a %d}", 12) for day in days), *_TIMESHEET_TOTALS)


def tables(rows: Sequence[AttendanceRow], report: PeriodReport) -> list[Table]:
    """The events, then the reports of their period, in the order a reader meets them.

    Attendance (every event), Daily summary (who came each day), Days (present, absent
    and late per open day), Absent, Late arrivals (only when a start time is set) and
    Timesheet (one row per person, one column per day: "08:12", "08:12–16:30", or
    "absent" on a day others came).
    """
    late_on = report.start_time is not None
    found = [
        Table(ATTENDANCE, ATTENDANCE_COLUMNS,
              ((row.timestamp, row.name, row.person_id, row.camera, row.kind, row.distance,
                row.event_id) for row in rows)),
        Table(SUMMARY, SUMMARY_COLUMNS,
              ((line.day, line.name, line.person_id, line.first_seen, line.last_seen,
                line.events) for line in report.daily)),
        Table(DAYS, DAYS_COLUMNS,
              ((t.day, t.present, t.absent, t.late if late_on else None) for t in report.totals)),
        Table(ABSENT, ABSENT_COLUMNS,
              ((line.day, line.name, line.person_id) for line in report.absent)),
    ]
    if late_on:
        found.append(Table(LATE, LATE_COLUMNS,
                           ((line.day, line.name, line.person_id, line.arrived, line.minutes_late)
                            for line in report.late)))
    found.append(Table(
        TIMESHEET, _timesheet_columns(report.days),
        ((line.name, line.person_id,
          *(line.days.get(day) for day in report.days),
          line.days_present, line.days_late if late_on else None, line.hours)
         for line in report.timesheet)))
    return found
