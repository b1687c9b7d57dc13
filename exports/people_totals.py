"""Each person's totals over a period: the table a term's or a year's report leads with.

The Timesheet already has a column per day; over a range of weeks a reader asks first
"how many days did each pupil miss, how often were they late", so this table says it in
one row per person, sorted by name, with their groups at a site that has them.
"""

from __future__ import annotations

from collections import Counter

from exports.by_group import NO_GROUP
from exports.reports import PeriodReport
from exports.tables import GROUP_COLUMN, Column, Table, shown
from exports.words import N_, _

PEOPLE = N_("People")
PEOPLE_COLUMNS = (
    Column(N_("Name"), 28), Column(N_("Person ID"), 11), Column(N_("Days present"), 13),
    Column(N_("Days absent"), 12),
    Column(N_("Days excused"), 13, "General", N_("The days the person was expected and on "
                                              "leave (the Absent sheet gives the reasons): "
                                              "not absent.")),
    Column(N_("Days late"), 11),
    Column(N_("Minutes late in all"), 19, "General",
           N_("The minutes late of every late arrival of the period, added up (each counted "
           "from the start of that day's hours).")),
)


def people_table(report: PeriodReport) -> Table:
    """One line per person who came or was expected in the period: days present, absent,
    excused (on leave) and late, and the minutes late in all (blank when lateness is not
    reported). A closed day counts in none but present (who came anyway)."""
    absent = Counter(line.person_id for line in report.absent)
    excused = Counter(line.person_id for line in report.excused)
    minutes = Counter()
    for line in report.late:
        minutes[line.person_id] += line.minutes_late
    groups: dict[int, list[str]] = {}
    for group in report.schedule.groups:
        for person in group.members:
            groups.setdefault(person, []).append(group.name)
    late_on = report.reports_late
    extra = shown((GROUP_COLUMN,)) if report.schedule.groups else ()
    people = sorted({line.person_id: line for line in report.timesheet}.values(),
                    key=lambda line: (line.name.casefold(), line.person_id))
    return Table(_(PEOPLE), (*shown(PEOPLE_COLUMNS), *extra), [
        (line.name, line.person_id, line.days_present, absent[line.person_id],
         excused[line.person_id],
         line.days_late if late_on else None, minutes[line.person_id] if late_on else None,
         *((", ".join(groups.get(line.person_id, [])) or _(NO_GROUP),) if extra else ()))
        for line in people], key=PEOPLE)
