"""The tables a workbook (or a set of CSV files) holds, independent of the file format.

Each table is a title, its columns and its lines of plain values (dates, times, numbers,
text); exports.sheets turns them into styled sheets and exports.csv_files into CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from exports.by_group import NO_GROUP
from exports.reports import CLOSED, LEAVE, AbsentLine, ExcusedLine, PeriodReport, TimesheetLine
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
    explains the column to readers (a comment on its header cell); `wrap`: its text
    wraps within the width (long words, such as a void's reason, print whole);
    `on_paper`: False for a column for checking, not for reading, left off the printed
    pages (such columns come last); `stacked`: a separator the sheet shows as a line
    break, so "08:12–16:30" prints as 08:12 above 16:30 in a narrow column (a CSV file
    keeps the text as it is)."""

    title: str
    width: float
    number_format: str = "General"
    note: str = ""
    wrap: bool = False
    on_paper: bool = True
    stacked: str = ""


@dataclass(frozen=True)
class PeopleByDays:
    """A table of people by days (`names` columns saying who, repeated on every printed
    page, one per day, then the totals), printed in pages that keep its text readable
    (exports.page_layout): `group_sizes` are the consecutive runs of its lines that each
    start a page (one run of everybody at a site without groups), `days` how many day
    columns it has, `lines` how many lines high a row may be (2 when its days hold an
    arrival above a departure)."""

    group_sizes: tuple[int, ...]
    days: int
    lines: int = 1
    names: int = 2


@dataclass(frozen=True)
class Table:
    """One sheet's worth of lines under a header of columns.

    struck_by: the index of a column whose value, when present, marks its line void: a
    sheet shows that line struck through (a CSV file has only the value). paged: how a
    people-by-days table is cut into printed pages; None for a list, which prints at its
    page's width. shaded: cell texts a sheet fills with a colour (RGB hex), so a closed
    day reads as a grey column; legend: what its cells mean, printed at the foot of
    every page (a CSV file has neither)."""

    title: str
    columns: Sequence[Column]
    lines: Iterable[Sequence[object]]
    struck_by: int | None = None
    paged: PeopleByDays | None = None
    shaded: Mapping[str, str] = field(default_factory=dict)
    legend: str = ""


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
           "settings are logged.", on_paper=False),
    Column(EVENT_ID, 10, "General",
           "The app's own number for this event (its journal id): it lets the app rebuild "
           "this workbook without ever writing an event twice.", on_paper=False),
)
VOID = "Voided (not counted)"
VOID_COLUMN = Column(VOID, 40, "General",
                     "Filled in for a row found wrong (someone else was taken for this "
                     "person): why, who marked it and when. The row stays here for the "
                     "record, struck through, and no other sheet counts it. Filter this "
                     "column to (Blanks) to see only the rows that count.", wrap=True)
EXPRESSION = "Expression at arrival"
EXPRESSION_COLUMN = Column(EXPRESSION, 20, "General",
                           "The facial expression a small classifier (trained on FER2013) "
                           "read from one frame at arrival, with its probability: a guess "
                           "about a picture, right about two times in three, not a measure "
                           "of how anybody feels. Filled in only while the setting "
                           "analytics.emotion is on.")
AGE = "Age (estimate)"
AGE_COLUMN = Column(AGE, 15, "0",
                    "The age in years a small model (Cydral's, from dlib-models) estimated "
                    "from one frame at arrival: an estimate, often several years off, not "
                    "the person's age. Filled in only while analytics.age_gender is on.")
GENDER = "Gender (estimate)"
GENDER_COLUMN = Column(GENDER, 18, "General",
                       "The same model's guess between its two classes, female and male, "
                       "with its probability: a guess from a picture, not what the person "
                       "says. Filled in only while analytics.age_gender is on.")
CORRECTION = "Corrected by hand"
CORRECTION_COLUMN = Column(CORRECTION, 40, "General",
                           "Filled in for a row added or corrected by hand: what was done "
                           "(a corrected row shows its new time, this column the time the "
                           "camera logged), by whom and why. The Audit sheet lists every "
                           "correction of the month.", wrap=True)
VOIDED_AT = 5
"""Where the void column goes, and after it the expression, age and gender columns: after
Event, among the columns people read (the columns for checking stay at the right end).
Only months holding a voided row, or a row with an expression or estimates, have them."""
LEGACY_TITLES = {"Distance": MATCH}
"""Header titles of earlier workbooks -> today's: those files read back the same."""
SUMMARY_COLUMNS = (
    _DATE, _NAME, _PERSON,
    Column("First seen", 12, "hh:mm:ss"),
    Column("Last seen", 12, "hh:mm:ss"),
    Column("Events", 9),
)
DAYS_COLUMNS = (_DATE, Column("Present", 10), Column("Absent", 10), Column("Late", 10),
                Column("Excused", 10, "General", "People on leave that day (the Absent sheet "
                                                 "says why): expected, not absent."),
                Column("Closed", 24, "General", "The name of the site's closed day (a "
                                                "holiday): nobody is expected; who came anyway "
                                                "counts as present, never late."))
STATUS_COLUMN = Column("Status", 30, "General", '"absent", or "excused" with the reason of '
                                                "the person's leave.", wrap=True)
ABSENT_COLUMNS = (_DATE, _NAME, _PERSON, STATUS_COLUMN)
EXCUSED = "excused"
LATE_COLUMNS = (_DATE, _NAME, _PERSON, Column("Arrived", 12, "hh:mm:ss"),
                Column("Minutes late", 13))
_TIMESHEET_TOTALS = (Column("Days present", 13), Column("Days late", 11),
                     Column("Hours", 9, "0.0"))
GROUP_COLUMN = Column("Group", 16)
"""Last on the Absent, Late arrivals and Timesheet sheets (and CSV files) of a site with
groups (issue 25): one file per report, each line saying its person's groups, rather than
a file per group, which would list a person in two groups twice in a count."""


def _groups_of(report: PeriodReport) -> dict[int, str]:
    """Each grouped person's groups, "3A, Choir"; people in no group are left out."""
    found: dict[int, list[str]] = {}
    for group in report.schedule.groups:
        for person in group.members:
            found.setdefault(person, []).append(group.name)
    return {person: ", ".join(names) for person, names in found.items()}


def _timesheet_runs(report: PeriodReport) -> list[tuple[str, list[TimesheetLine]]]:
    """The Timesheet's lines per group (each group its own printed pages), people in no
    group last; a person in two groups is on both groups' pages. One run of everybody at
    a site without groups."""
    if not report.schedule.groups:
        return [("", report.timesheet)]
    grouped = frozenset().union(*(group.members for group in report.schedule.groups))
    runs = [(group.name, [line for line in report.timesheet if line.person_id in group.members])
            for group in report.schedule.groups]
    runs.append((NO_GROUP, [line for line in report.timesheet if line.person_id not in grouped]))
    return [(name, lines) for name, lines in runs if lines]


_UNTIL = "–"
"""Between a day's first arrival and last departure in the Timesheet: "08:12–16:30"."""


TIMESHEET_LEGEND = (f'Each day: the first arrival ("08:12", or "08:12–16:30" with the last '
                    f'departure); "absent": expected and did not come; "{LEAVE}": on leave '
                    f'(excused; the Absent sheet says why); "{CLOSED}": the site or the '
                    "person's group was closed (a closed day's header note names it); "
                    "empty: not expected.")


PRINTED_LEGEND = (f'absent: expected, did not come · {LEAVE}: on leave (excused) · {CLOSED}: '
                  "a closed day · empty: not expected")
"""The Timesheet's legend at the foot of its printed pages (a header's text is short)."""


def _timesheet_columns(report: PeriodReport) -> tuple[Column, ...]:
    """Name (its note the legend of the day cells), person, one column per day as wide as
    its texts and its title ("Mon 02") need ("08:12" and "absent"; a day the site is
    closed has the closure's name in its note), the totals: narrow days let half a month
    fit a printed page's width at a readable size. Once departures are logged, a day's
    "08:12–16:30" is shown as two lines in the same narrow column (rather than a column
    twice as wide, which printed a month four pages across): a person's in and out stay
    together, as on a paper time card."""
    texts = [text for line in report.timesheet for text in line.days.values()]
    stacked = any(_UNTIL in text for text in texts)
    day_width = max((len(part) for text in [*texts, "Mon 01"] for part in text.split(_UNTIL))) + 1
    longest = max((len(line.name) for line in report.timesheet), default=0)
    name = Column(_NAME.title, min(_NAME.width, max(12, longest + 2)), note=TIMESHEET_LEGEND)
    return (name, _PERSON,
            *(Column(f"{day:%a %d}", day_width,
                     note=f"Closed: {report.closed[day]}" if day in report.closed else "",
                     wrap=stacked, stacked=_UNTIL if stacked else "")
              for day in report.days),
            *_TIMESHEET_TOTALS)


def _status(line: AbsentLine | ExcusedLine) -> str:
    """'absent', or 'excused: <the leave's reason>'."""
    return f"{EXCUSED}: {line.reason}" if isinstance(line, ExcusedLine) else "absent"


def _attendance(rows: Sequence[AttendanceRow]) -> Table:
    """Every event; with the void column when a row of them is void, the correction column
    when one was added or corrected by hand, and the expression
    column, the age and gender columns, when a row of them has one."""
    optional: list[tuple[Column, Callable[[AttendanceRow], object]]] = []
    if any(row.void is not None for row in rows):
        optional.append((VOID_COLUMN, lambda row: row.void))
    if any(row.correction is not None for row in rows):
        optional.append((CORRECTION_COLUMN, lambda row: row.correction))
    if any(row.expression is not None for row in rows):
        optional.append((EXPRESSION_COLUMN, lambda row: row.expression))
    if any(row.age is not None for row in rows):
        optional += [(AGE_COLUMN, lambda row: row.age), (GENDER_COLUMN, lambda row: row.gender)]
    columns = (*ATTENDANCE_COLUMNS[:VOIDED_AT], *(column for column, _ in optional),
               *ATTENDANCE_COLUMNS[VOIDED_AT:])
    lines = [(row.timestamp, row.name, row.person_id, row.camera, row.kind,
              *(value(row) for _, value in optional), row.distance, row.event_id)
             for row in rows]
    voids = bool(optional) and optional[0][0] is VOID_COLUMN
    return Table(ATTENDANCE, columns, lines, struck_by=VOIDED_AT if voids else None)


def tables(rows: Sequence[AttendanceRow], report: PeriodReport) -> list[Table]:
    """The events, then the reports of their period, in the order a reader meets them.

    Attendance (every event, a voided one struck through), Daily summary (who came each
    day), Days (present, absent, late and excused per open day; the site's closed days
    with their names), Absent (the absent and the excused, a Status column saying which,
    with the leave's reason: one list for whoever phones round), Late arrivals (only when
    a start time is set or groups exist) and Timesheet (one row per person, one column per
    day: "08:12", "08:12–16:30", or "absent" on a day others came; at a site with groups,
    group after group, each starting a printed page; a Group column last on the lists and
    third on the Timesheet, where it is printed on every page beside the names, since a
    page's header cannot say which group the page is of).
    Voided events count in no report.
    """
    late_on = report.reports_late
    found = [
        _attendance(rows),
        Table(SUMMARY, SUMMARY_COLUMNS,
              ((line.day, line.name, line.person_id, line.first_seen, line.last_seen,
                line.events) for line in report.daily)),
        Table(DAYS, DAYS_COLUMNS,
              ((t.day, t.present, t.absent, t.late if late_on else None, t.excused, t.closed)
               for t in report.totals)),
    ]
    groups = _groups_of(report) if report.schedule.groups else None
    extra = (GROUP_COLUMN,) if groups is not None else ()
    away = sorted([*report.absent, *report.excused],
                  key=lambda line: (line.day, line.name.casefold(), line.person_id))
    found.append(Table(ABSENT, (*ABSENT_COLUMNS, *extra),
                       ((line.day, line.name, line.person_id, _status(line),
                         *(() if groups is None else (groups.get(line.person_id, NO_GROUP),)))
                        for line in away)))
    if late_on:
        found.append(Table(LATE, (*LATE_COLUMNS, *extra),
                           ((line.day, line.name, line.person_id, line.arrived, line.minutes_late,
                             *(() if groups is None else (groups.get(line.person_id, NO_GROUP),)))
                            for line in report.late)))
    runs = _timesheet_runs(report)
    name, person, *days_and_totals = _timesheet_columns(report)
    group_column = () if groups is None else (  # as narrow as its names: on every page
        replace(GROUP_COLUMN, width=min(GROUP_COLUMN.width,
                                        max((len(group) for group, _ in runs), default=5) + 2)),)
    found.append(Table(
        TIMESHEET, (name, person, *group_column, *days_and_totals),
        ((line.name, line.person_id, *(() if groups is None else (group,)),
          *(line.days.get(day) for day in report.days),
          line.days_present, line.days_late if late_on else None, line.hours)
         for group, lines in runs for line in lines),
        paged=PeopleByDays(tuple(len(lines) for _, lines in runs) or (0,), len(report.days),
                           2 if days_and_totals[0].stacked else 1,
                           2 + len(group_column)),
        shaded={CLOSED: "D9D9D9", LEAVE: "FFF2CC"}, legend=PRINTED_LEGEND))
    return found
