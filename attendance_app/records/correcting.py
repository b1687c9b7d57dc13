"""The rules of the three corrections, shared by `attendance-app arrival add|correct`,
`void undo` and the window: what is refused (in one line saying what to do) and what is
appended (attendance_app.records.corrections).

Who made a correction is the name given (--by, or the window's), else the OS user, as for
a void. A time in the future is refused (a correction records what happened), and so is a
hand-added arrival on a day the person already has one, unless forced: with one row per
day the second would change nothing but the count of rows, and is usually a slip.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from attendance_app.i18n import _, dates
from attendance_app.records.corrections import ADD, CORRECT, UNDO_VOID, Correcting
from attendance_app.records.voiding import VoidRefused, check_reason, current_user, describe_row
from attendance_app.types import AttendanceEvent
from enrolment import FaceStore

TIME_FORMAT = "%Y-%m-%d %H:%M"


class CorrectionRefused(Exception):
    """The correction cannot be made (unknown person or row, a time in the future, a row
    that is not void, a duplicate arrival); the message says why, in one line."""


class DuplicateArrival(CorrectionRefused):
    """The person already has an arrival that day: the window asks whether to add another
    (the command line needs --force)."""


@dataclass(frozen=True)
class Corrected:
    """What a correction did: the row as it now reads, the action, and the months
    (`YYYY-MM`) whose workbooks show it (two when a time moved to another month)."""

    event: AttendanceEvent
    action: str
    months: tuple[str, ...]


def parse_time(text: str) -> datetime:
    """'2026-12-04 08:55' -> that local time; CorrectionRefused naming the form otherwise
    (25:00, 2026-02-30, a missing time)."""
    try:
        return datetime.strptime(text.strip(), TIME_FORMAT)
    except ValueError:
        raise CorrectionRefused(_('"{text}" is not a time: write it as "YYYY-MM-DD HH:MM", e.g. '
                                  '"2026-12-04 08:55" (hours 00-23)').format(text=text)) from None


def _reason(reason: str) -> str:
    try:
        return check_reason(reason)
    except VoidRefused as refusal:
        raise CorrectionRefused(str(refusal).replace("the row is wrong", "you correct it")
                                ) from None


def _not_future(at: datetime, now: datetime) -> None:
    if at > now:
        raise CorrectionRefused(_("{time} is in the future (it is now {now}); a correction "
                                  "records what happened").format(time=dates.moment_text(at),
                                                                  now=dates.moment_text(now)))


def _known(journal: Correcting, event_id: int) -> AttendanceEvent:
    event = journal.event(event_id)
    if event is None:
        raise CorrectionRefused(_("no attendance row has event id {id}; the workbook's \"Event "
                                  "ID\" column shows each row's id").format(id=event_id))
    return event


def _month(moment: datetime) -> str:
    return f"{moment:%Y-%m}"


def add_arrival(journal: Correcting, store: FaceStore, name: str, at: datetime,
                reason: str, by: str | None = None, force: bool = False,
                now: datetime | None = None) -> Corrected:
    """Add the arrival of enrolled `name` at `at` by hand, because of `reason`."""
    reason = _reason(reason)
    now = (now or datetime.now()).replace(microsecond=0)
    person = store.find(name)
    if person is None:
        raise CorrectionRefused(_('no one called "{name}" is enrolled; `attendance-app people` '
                                  "shows who is").format(name=name))
    _not_future(at, now)
    same_day = [event for event in journal.events_on(at.date())
                if event.person_id == person.person_id and event.void is None]
    if same_day and not force:
        raise DuplicateArrival(_("{name} already has an arrival on {day}: {row}; add --force to "
                                 "add another").format(name=person.name,
                                                       day=dates.day_text(at.date()),
                                                       row=describe_row(same_day[0])))
    event = journal.add_by_hand(
        AttendanceEvent(at, person.person_id, person.name, "", 0.0, "in"),
        now, by or current_user(), reason)
    return Corrected(event, ADD, (_month(at),))


def undo_void(journal: Correcting, event_id: int, reason: str, by: str | None = None,
              now: datetime | None = None) -> Corrected:
    """Undo the void of row `event_id`, because of `reason`: it counts again."""
    reason = _reason(reason)
    event = _known(journal, event_id)
    if event.void is None:
        raise CorrectionRefused(_("{row} is not void; nothing to undo").format(
            row=describe_row(event)))
    journal.append((now or datetime.now()).replace(microsecond=0), by or current_user(),
                   UNDO_VOID, event_id, reason)
    return Corrected(_known(journal, event_id), UNDO_VOID, (_month(event.timestamp),))


def correct_time(journal: Correcting, event_id: int, at: datetime, reason: str,
                 by: str | None = None, now: datetime | None = None) -> Corrected:
    """Give row `event_id` the time `at`, because of `reason`; the original stays."""
    reason = _reason(reason)
    now = (now or datetime.now()).replace(microsecond=0)
    event = _known(journal, event_id)
    _not_future(at, now)
    if event.void is not None:
        raise CorrectionRefused(_("{row} is void; undo the void first (`attendance-app void "
                                  "undo`)").format(row=describe_row(event)))
    if at == event.timestamp.replace(second=0) and event.timestamp.second == 0:
        raise CorrectionRefused(_("{row} has that time already; nothing to do").format(
            row=describe_row(event)))
    journal.append(now, by or current_user(), CORRECT, event_id, reason, new_time=at)
    months = tuple(dict.fromkeys((_month(event.timestamp), _month(at))))
    return Corrected(_known(journal, event_id), CORRECT, months)
