"""GET /api/report: one day's present, absent, late (with minutes) and excused, per group.

The figures are the reports' own (exports.reports.period_report over the day's events as
corrected, each person under their current name; exports.group_filter for one group;
exports.by_group for the lists per group), so the API, `attendance-app report --day` and
the workbook's report sheets say the same. Nothing is written: no workbook, no CSV.
"""

from __future__ import annotations

from datetime import date

from attendance_app.records.corrections import is_by_hand
from attendance_app.records.workbook_sync import to_row
from attendance_app.web.api.errors import ApiError
from attendance_app.web.api.sources import ApiSources
from exports import period_report, with_current_names
from exports.by_group import GroupDay, group_days
from exports.group_filter import only_group


def parse_day(text: str) -> date:
    """`day` as a date; ApiError 422 saying how to write it."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ApiError(422, f"day={text!r} is not a day: write it as YYYY-MM-DD, "
                            "e.g. 2026-12-05") from None


def _group_json(group: GroupDay) -> dict:
    return {
        "group": group.group,
        "closed": group.closed,
        "present": group.present,
        "absent": group.absent,
        "late": [{"person": line.name, "person_id": line.person_id,
                  "arrived": line.arrived.isoformat(timespec="seconds"),
                  "minutes_late": line.minutes_late} for line in group.late],
        "excused": [{"person": line.name, "person_id": line.person_id, "reason": line.reason}
                    for line in group.excused],
    }


def day_report(sources: ApiSources, day: date, group: str | None) -> dict:
    """The report of `day` (of `group` alone when given; ApiError 422 for a group the
    site does not have) as JSON."""
    roster = sources.roster()
    rows = with_current_names([to_row(event) for event in sources.events_on(day)], roster)
    report = period_report(rows, roster, [day], sources.schedule())
    if group is not None:
        try:
            rows, report = only_group(rows, report, group)
        except ValueError as error:
            raise ApiError(422, str(error)) from None
    totals = next((t for t in report.totals if t.day == day), None)
    return {
        "day": day.isoformat(),
        "group": group,
        "closed": report.closed.get(day),
        "reports_late": report.reports_late,
        "totals": None if totals is None else {
            "present": totals.present, "absent": totals.absent, "late": totals.late,
            "excused": totals.excused},
        "groups": [_group_json(each) for each in group_days(report, day)],
        "by_hand": sum(1 for row in rows if row.void is None and is_by_hand(row.camera)),
    }
