"""The tables a workbook (or a set of CSV files) holds, independent of the file format.

Each table is a title, its columns and its lines of plain values (dates, times, numbers,
text); exports.sheets turns them into styled sheets and exports.csv_files into CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from exports.by_group import NO_GROUP
from exports.reports import CLOSED, LEAVE, AbsentLine, ExcusedLine, PeriodReport, TimesheetLine
from exports.rows import AttendanceRow
from exports.shown import (
    CLOCK,
    DAY,
    DAY_WORDS,
    MOMENT,
    Column,
    day_text,
    day_title,
    kind_text,
    printed_legend,
    shown,
    timesheet_legend,
)
from exports.words import N_, _

# Sheet names (in English: the workbook's language when a table is made, see Table.key).
ATTENDANCE = N_("Attendance")
SUMMARY = N_("Daily summary")
DAYS = N_("Days")
ABSENT = N_("Absent")
LATE = N_("Late arrivals")
TIMESHEET = N_("Timesheet")


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
    key: str = ""
    """The title in English, whatever the workbook's language (`title` is the shown,
    translated one): what names a table's CSV file, so scripts find it."""


_DATE = Column(N_("Date"), 12, DAY)
_NAME = Column(N_("Name"), 28)
_PERSON = Column(N_("Person ID"), 11)
MATCH = N_("Match (lower is closer)")
EVENT_ID = N_("Event ID")
ATTENDANCE_COLUMNS = (
    Column(N_("Date and time"), 20, MOMENT),
    _NAME,
    _PERSON,
    Column(N_("Camera"), 16),
    Column(N_("Event"), 9),
    # For checking, not for reading: at the right end, each with a note on its header.
    Column(MATCH, 24, "0.000",
           N_("How far this face was from the person's enrolled faces (the face distance): "
           "lower is a closer match. Only faces closer than the match tolerance in the "
           "settings are logged."), on_paper=False),
    Column(EVENT_ID, 10, "General",
           N_("The app's own number for this event (its journal id): it lets the app rebuild "
           "this workbook without ever writing an event twice."), on_paper=False),
)
VOID = N_("Voided (not counted)")
VOID_COLUMN = Column(VOID, 40, "General",
                     N_("Filled in for a row found wrong (someone else was taken for this "
                     "person): why, who marked it and when. The row stays here for the "
                     "record, struck through, and no other sheet counts it. Filter this "
                     "column to (Blanks) to see only the rows that count."), wrap=True)
EXPRESSION = N_("Expression at arrival")
EXPRESSION_COLUMN = Column(EXPRESSION, 20, "General",
                           N_("The facial expression a small classifier (trained on FER2013) "
                           "read from one frame at arrival, with its probability: a guess "
                           "about a picture, right about two times in three, not a measure "
                           "of how anybody feels. Filled in only while the setting "
                           "analytics.emotion is on."))
AGE = N_("Age (estimate)")
AGE_COLUMN = Column(AGE, 15, "0",
                    N_("The age in years a small model (Cydral's, from dlib-models) estimated "
                    "from one frame at arrival: an estimate, often several years off, not "
                    "the person's age. Filled in only while analytics.age_gender is on."))
GENDER = N_("Gender (estimate)")
GENDER_COLUMN = Column(GENDER, 18, "General",
                       N_("The same model's guess between its two classes, female and male, "
                       "with its probability: a guess from a picture, not what the person "
                       "says. Filled in only while analytics.age_gender is on."))
CORRECTION = N_("Corrected by hand")
CORRECTION_COLUMN = Column(CORRECTION, 40, "General",
                           N_("Filled in for a row added or corrected by hand: what was done "
                           "(a corrected row shows its new time, this column the time the "
                           "camera logged), by whom and why. The Audit sheet lists every "
                           "correction of the month."), wrap=True)
VOIDED_AT = 5
"""Where the void column goes, and after it the expression, age and gender columns: after
Event, among the columns people read (the columns for checking stay at the right end).
Only months holding a voided row, or a row with an expression or estimates, have them."""
LEGACY_TITLES = {"Distance": MATCH}
"""Header titles of earlier workbooks -> today's: those files read back the same."""
SUMMARY_COLUMNS = (
    _DATE, _NAME, _PERSON,
    Column(N_("First seen"), 12, CLOCK),
    Column(N_("Last seen"), 12, CLOCK),
    Column(N_("Events"), 9),
)
DAYS_COLUMNS = (_DATE, Column(N_("Present"), 10), Column(N_("Absent"), 10),
                Column(N_("Late"), 10),
                Column(N_("Excused"), 10, "General", N_("People on leave that day (the Absent "
                                                        "sheet says why): expected, not "
                                                        "absent.")),
                Column(N_("Closed"), 24, "General", N_("The name of the site's closed day (a "
                                                       "holiday): nobody is expected; who came "
                                                       "anyway counts as present, never late.")))
STATUS_COLUMN = Column(N_("Status"), 30, "General", N_('"absent", or "excused" with the reason '
                                                       "of the person's leave."), wrap=True)
ABSENT_COLUMNS = (_DATE, _NAME, _PERSON, STATUS_COLUMN)
LATE_COLUMNS = (_DATE, _NAME, _PERSON, Column(N_("Arrived"), 12, CLOCK),
                Column(N_("Minutes late"), 13))
_TIMESHEET_TOTALS = (Column(N_("Days present"), 13), Column(N_("Days late"), 11),
                     Column(N_("Hours"), 9, "0.0"))
GROUP_COLUMN = Column(N_("Group"), 16)
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



def _timesheet_columns(report: PeriodReport) -> tuple[Column, ...]:
    """Name (its note the legend of the day cells), person, one column per day as wide as
    its texts and its title ("Mon 02") need ("08:12" and "absent" in the workbook's
    language; a day the site is closed has the closure's name in its note), the totals:
    narrow days let half a month fit a printed page's width at a readable size. Once
    departures are logged, a day's "08:12–16:30" is shown as two lines in the same narrow
    column (rather than a column twice as wide, which printed a month four pages across):
    a person's in and out stay together, as on a paper time card."""
    texts = [day_text(text) for line in report.timesheet for text in line.days.values()]
    titles = [day_title(day) for day in report.days]
    stacked = any(_UNTIL in text for text in texts)
    day_width = max(len(part) for text in [*texts, *titles, "Mon 01"]
                    for part in text.split(_UNTIL)) + 1
    longest = max((len(line.name) for line in report.timesheet), default=0)
    name_title = _(_NAME.title)
    name = Column(name_title, min(_NAME.width, max(12, longest + 2, len(name_title) + 2)),
                  note=timesheet_legend())
    return (name, *shown((_PERSON,)),
            *(Column(title, day_width,
                     note=(_("Closed: {name}").format(name=report.closed[day])
                           if day in report.closed else ""),
                     wrap=stacked, stacked=_UNTIL if stacked else "")
              for day, title in zip(report.days, titles, strict=True)),
            *shown(_TIMESHEET_TOTALS))


def _status(line: AbsentLine | ExcusedLine) -> str:
    """'absent', or 'excused: <the leave's reason>', in the workbook's language."""
    if isinstance(line, ExcusedLine):
        return _("excused: {reason}").format(reason=line.reason)
    return _("absent")


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
    columns = (*ATTENDANCE_COLUMNS[:VOIDED_AT], *(column for column, _value in optional),
               *ATTENDANCE_COLUMNS[VOIDED_AT:])
    lines = [(row.timestamp, row.name, row.person_id, row.camera, kind_text(row.kind),
              *(value(row) for _column, value in optional), row.distance, row.event_id)
             for row in rows]
    voids = bool(optional) and optional[0][0] is VOID_COLUMN
    return Table(_(ATTENDANCE), shown(columns), lines, struck_by=VOIDED_AT if voids else None,
                 key=ATTENDANCE)


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
        Table(_(SUMMARY), shown(SUMMARY_COLUMNS),
              ((line.day, line.name, line.person_id, line.first_seen, line.last_seen,
                line.events) for line in report.daily), key=SUMMARY),
        Table(_(DAYS), shown(DAYS_COLUMNS),
              ((t.day, t.present, t.absent, t.late if late_on else None, t.excused, t.closed)
               for t in report.totals), key=DAYS),
    ]
    groups = _groups_of(report) if report.schedule.groups else None
    extra = shown((GROUP_COLUMN,)) if groups is not None else ()
    no_group = _(NO_GROUP)
    away = sorted([*report.absent, *report.excused],
                  key=lambda line: (line.day, line.name.casefold(), line.person_id))
    found.append(Table(_(ABSENT), (*shown(ABSENT_COLUMNS), *extra),
                       ((line.day, line.name, line.person_id, _status(line),
                         *(() if groups is None else (groups.get(line.person_id, no_group),)))
                        for line in away), key=ABSENT))
    if late_on:
        found.append(Table(_(LATE), (*shown(LATE_COLUMNS), *extra),
                           ((line.day, line.name, line.person_id, line.arrived, line.minutes_late,
                             *(() if groups is None else (groups.get(line.person_id, no_group),)))
                            for line in report.late), key=LATE))
    runs = _timesheet_runs(report)
    name, person, *days_and_totals = _timesheet_columns(report)
    runs = [(no_group if group == NO_GROUP else group, lines) for group, lines in runs]
    group_column = () if groups is None else (  # as narrow as its names: on every page
        replace(extra[0], width=min(GROUP_COLUMN.width,
                                    max(len(extra[0].title),
                                        *(len(group) for group, _lines in runs)) + 2)),)
    found.append(Table(
        _(TIMESHEET), (name, person, *group_column, *days_and_totals),
        ((line.name, line.person_id, *(() if groups is None else (group,)),
          *(day_text(line.days[day]) if day in line.days else None for day in report.days),
          line.days_present, line.days_late if late_on else None, line.hours)
         for group, lines in runs for line in lines),
        paged=PeopleByDays(tuple(len(lines) for _group, lines in runs) or (0,),
                           len(report.days),
                           2 if days_and_totals[0].stacked else 1,
                           2 + len(group_column)),
        shaded={_(DAY_WORDS[CLOSED]): "D9D9D9", _(DAY_WORDS[LEAVE]): "FFF2CC"},
        legend=printed_legend(), key=TIMESHEET))
    return found
