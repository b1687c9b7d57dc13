"""Voiding a wrong attendance row: "that was not X".

A void deletes nothing. The row stays in the journal for the record, with who voided it
(the OS user name), when and why (Journal.void adds that mark); the workbook shows it
struck through, and neither the reports nor the once-a-day/cooldown policy count it. The
faces that produced the row become negatives of X in the face store (kept with the row
when it was written, see attendance_app.recognition.evidence), so that the gallery does not give X's
name to that face again.

The faces are marked first and the void committed second: marking again changes
nothing, so if the journal cannot be written in between (a full disk), voiding again
mends it. The other order would leave a void that cannot be repeated ("already void")
and faces that teach nothing.

With a central database a row's void may be undone on the server (`void undo`, at any
door), which the door's own journal never hears: its row stays void there. So the check
reads the row as the site's log has it, and a row whose void was undone there is voided
again there (a "void again" line of its audit trail: the server keeps one void per row).

Shared by `attendance-app void` (cli/void.py) and the desktop app's today list.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from attendance_app.i18n import _, dates
from attendance_app.records.corrections import VOID_AGAIN
from attendance_app.records.journal import Journal, month_of
from attendance_app.types import AttendanceEvent, Void
from enrolment import FaceStore

if TYPE_CHECKING:
    from attendance_app.records.workbooks import Workbooks

MAX_REASON_CHARS = 200
"""A reason is a short note shown beside the row (in the workbook's void column)."""


class VoidRefused(Exception):
    """The row cannot be voided (no such row, void already, no reason); the message says
    what to do, in one line."""


@dataclass(frozen=True)
class Voided:
    """A row just voided (its `void` set) and how many of its faces became negatives of
    its person (0: none were kept for it, so the app learnt nothing from it)."""

    event: AttendanceEvent
    faces: int


class SiteLog(Protocol):
    """The site's log as voiding asks it (central.records.CentralJournal): a door's row's
    number there, the row as corrected there, and a correction appended there."""

    def number_of(self, event: AttendanceEvent) -> int | None: ...

    def event(self, seq: int) -> AttendanceEvent | None: ...

    def append(self, made_at: datetime, by: str, action: str, event_id: int,
               reason: str, new_time: datetime | None = None) -> None: ...


def current_user() -> str:
    """The name of whoever is logged in to the computer: who voided the row. getpass
    reads the environment, then the password database, and may find neither (a service
    without a home); the void is still made."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown user"


def check_reason(reason: str) -> str:
    """The reason without surrounding spaces, or VoidRefused saying what to write."""
    reason = reason.strip()
    if not reason:
        raise VoidRefused(_('say why the row is wrong, e.g. "not Ada: a visitor"'))
    if len(reason) > MAX_REASON_CHARS or any(ord(ch) < 32 for ch in reason):
        raise VoidRefused(_("write the reason on one line of at most {most} characters (this "
                            "one has {count})").format(most=MAX_REASON_CHARS, count=len(reason)))
    return reason


def describe_row(event: AttendanceEvent) -> str:
    """'event 12 (Ada Lovelace, 2026-11-24 09:12:03)': a row as people find it again."""
    return _("event {id} ({name}, {moment})").format(
        id=event.event_id, name=event.name, moment=dates.moment_text(event.timestamp, seconds=True))


def _undone_on_site(site: SiteLog | None, event: AttendanceEvent) -> int | None:
    """The number in the site's log of `event` (a row void in the door's journal) when its
    void was undone there, else None (no site's log, or the row is void there too or has
    not reached it). Only a void row is looked up: voiding any other needs no server."""
    if site is None or event.void is None:
        return None
    number = site.number_of(event)
    current = None if number is None else site.event(number)
    return number if current is not None and current.void is None else None


def void_event(journal: Journal, store: FaceStore, event_id: int, reason: str,
               by: str | None = None, now: datetime | None = None,
               site: SiteLog | None = None) -> Voided:
    """Void row `event_id` of `journal` (the door's) because of `reason`, by `by`
    (default: the OS user) at `now`; its faces in `store` become negatives of its person.
    With a central database (`site`, the site's log), a row whose void was undone there is
    voided again there.

    VoidRefused for an unknown id, a row void already, or an empty reason; JournalError
    and StoreError (one line each) when a file cannot be written; with `site`, the central
    database's error when a row void at the door cannot be looked up there.
    """
    reason = check_reason(reason)
    event = journal.event(event_id)
    if event is None:
        raise VoidRefused(_("no attendance row has event id {id}; the workbook's \"Event ID\" "
                            "column shows each row's id").format(id=event_id))
    again = _undone_on_site(site, event)
    if event.void is not None and again is None:
        raise VoidRefused(_("{row} is void already: {void}; nothing to do, no report counts it")
                          .format(row=describe_row(event), void=event.void.describe()))
    faces = store.void_event_faces(event_id, event.timestamp)
    mark = Void((now or datetime.now()).replace(microsecond=0), by or current_user(), reason)
    if site is not None and again is not None:
        site.append(mark.at, mark.by, VOID_AGAIN, again, mark.reason)
    elif not journal.void(event_id, mark):  # voided meanwhile, by another window or command
        raise VoidRefused(_("{row} was voided meanwhile; nothing to do").format(
            row=describe_row(event)))
    return Voided(replace(event, void=mark), faces)


def rewrite_workbook(workspace: Workbooks, event: AttendanceEvent) -> Path:
    """Rewrite the month workbook of the voided `event` from the journal, showing it
    struck through; returns the file. WorkbookError when it cannot be written now (the
    void is in the journal already; see WorkbookSync.rewrite_month for when it follows)."""
    return workspace.workbook_sync(workspace.journal()).rewrite_month(month_of(event.timestamp))
