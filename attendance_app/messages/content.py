"""What each message says: the JSON of an arrival, an unknown visitor, the daily summary
and a test, and the e-mail text made from a summary.

Only names, times, the camera's name and counts leave the computer: never a face, an
encoding, a distance or a file path (docs/privacy.md says so to the people concerned).

The summary lists its people per group ("groups": one entry per group, each with its own
present, absent and late; "No group" for people in none). A site without groups has one,
"Everyone", with the site's figures as `report --day` prints them; a receiver written for
it keeps working when a site has several.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from attendance_app import local_time
from attendance_app.i18n import _, dates
from attendance_app.records.reporting import day_counts
from attendance_app.types import AttendanceEvent
from exports import PeriodReport
from exports.by_group import group_days
from exports.hours import late_text


def arrival(event: AttendanceEvent) -> dict[str, Any]:
    """An attendance row just committed: who, when (with its UTC offset), where, in/out."""
    return {"person": event.name, "person_id": event.person_id,
            "time": event.moment.isoformat(), "camera": event.camera,
            "direction": event.kind, "row": event.uid}


def unknown_visitor(when: datetime, camera: str) -> dict[str, Any]:
    """A face that matched nobody enrolled left the camera's view: when it was first seen."""
    return {"time": local_time.aware(when.replace(microsecond=0)).isoformat(),
            "camera": camera}


def test_message(site: str) -> dict[str, Any]:
    """`attendance-app messages test`: says which door sent it."""
    return {"text": _("A test message from the attendance app at {site}.").format(site=site),
            "time": local_time.now().isoformat(), "camera": site}


def day_summary(report: PeriodReport, day: date, site: str) -> dict[str, Any]:
    """The figures of `day` from its report (as `report --day` computes them), one entry
    per group (exports.by_group: "Everyone" at a site without groups), the excused (on
    leave) apart from the absent. A day nobody came, or the site's closed day, is
    "closed" (its name in "closed_as" when the calendar closes it): nobody is absent."""
    totals = next((t for t in report.totals if t.day == day), None)
    groups = [{
        "group": group.group, "present": group.present, "absent": group.absent,
        "excused": [{"name": line.name, "reason": line.reason} for line in group.excused],
        "late": [{"name": line.name, "arrived": line.arrived.strftime("%H:%M"),
                  "minutes_late": line.minutes_late}
                 for line in sorted(group.late, key=lambda line: line.name)],
        "closed": group.closed,
    } for group in group_days(report, day)]
    return {"day": day.isoformat(), "camera": site,
            "closed": totals is None or day in report.closed,
            "closed_as": report.closed.get(day), "groups": groups}


def summary_email(payload: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of a daily summary: every name, never cut short."""
    day = dates.weekday_and_day_text(date.fromisoformat(payload["day"]))
    subject = _("Attendance {day}: {camera}").format(day=day, camera=payload["camera"])
    if payload["closed"]:
        if payload.get("closed_as"):
            return subject, _("{day}: closed ({name}).").format(
                day=day, name=payload["closed_as"]) + "\n"
        return subject, _("{day}: nobody came (closed?), so nobody is absent.").format(
            day=day) + "\n"
    lines = []
    for group in payload["groups"]:
        if group.get("closed"):
            lines.append(f"{group['group']}: " + _("closed ({name})").format(name=group["closed"]))
            continue
        excused = group.get("excused", [])
        lines.append(f"{group['group']}: " + day_counts(
            len(group["present"]), len(group["absent"]), len(excused), len(group["late"])))
        lines.append("  " + _("Absent: {people}").format(
            people=", ".join(group["absent"]) or _("nobody")))
        if excused:
            lines.append("  " + _("Excused: {people}").format(people=", ".join(
                f"{line['name']} ({line['reason']})" for line in excused)))
        lines.append("  " + _("Late: {people}").format(people=", ".join(
            _("{name} ({late}, at {time})").format(name=late["name"], time=late["arrived"],
                                                   late=late_text(late["minutes_late"]))
            for late in group["late"]) or _("nobody")))
    return subject, "\n".join(lines) + "\n"


def email_of(payload: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of a message sent by e-mail: a summary or a test."""
    if payload["kind"] == "summary":
        return summary_email(payload)
    return _("Attendance app: test message"), payload.get("text", "") + "\n"
