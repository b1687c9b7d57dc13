"""The calendar of a door with a central database: read from its roster copy, written on
the server.

SharedDaysOffBook is a DaysOffBook over the door's SharedFaceStore, so `holiday list`,
`leave list`, the Calendar dialog and the reports read the copy's closed days and leave
as they read a door's own, offline too. Its writes are checked against the copy first
(the same one-line refusals as a door alone), go to the server (central.calendar_server)
and are then pulled back, as groups are (central.group_book): the copy only ever holds
what the server holds, and a write says in one line (DatabaseError) when the server
cannot be reached.
"""

from __future__ import annotations

from datetime import date

from attendance_app.central.calendar_server import CentralCalendar
from attendance_app.central.replica import SharedFaceStore
from attendance_app.i18n import _
from enrolment import Closure, DaysOffBook, FaceStore, GroupBook, LeaveEntry, StoreError
from enrolment.days_off import check_span, check_text


class SharedDaysOffBook(DaysOffBook):
    """The site's calendar as door `copy` holds it; writes through its server."""

    def __init__(self, copy: SharedFaceStore) -> None:
        super().__init__(copy)
        self.copy = copy
        self.server = CentralCalendar(copy.roster.database)

    def _site_checked(self) -> None:
        self.copy.check_site(self.copy.roster.site())  # never write to another site

    def close(self, first: date, last: date, name: str, group: str | None = None) -> Closure:
        name, group_id = self.checked_closure(first, last, name, group)
        self._site_checked()
        closure_id = self.server.close(first, last, name, group_id)
        self.copy.pull()
        closure = self.closure(closure_id)
        if closure is None:  # removed at another door between the write and the pull
            raise StoreError(_("the closure was removed at another door meanwhile; `holiday list` "
                               "shows the closed days"))
        return closure

    def reopen(self, day: date, group: str | None = None) -> Closure:
        closure = self.holding(day, group)
        self._site_checked()
        self.server.reopen(closure.closure_id)  # removed meanwhile elsewhere: gone all the same
        self.copy.pull()
        return closure

    def add_leave(self, person: str, first: date, last: date, reason: str) -> LeaveEntry:
        check_span(first, last)
        reason = check_text(reason, "reason")
        person_id = self.person_id(person)
        self._site_checked()
        leave_id = self.server.add_leave(person_id, first, last, reason)
        self.copy.pull()
        return self.entry(leave_id)

    def remove_leave(self, leave_id: int) -> LeaveEntry:
        entry = self.entry(leave_id)
        self._site_checked()
        self.server.remove_leave(leave_id)
        self.copy.pull()
        return entry


def days_off_book(store: FaceStore) -> DaysOffBook:
    """The calendar of `store`: a door's own, or the site's when `store` is a roster copy."""
    return SharedDaysOffBook(store) if isinstance(store, SharedFaceStore) else DaysOffBook(store)


def send_calendar(local: FaceStore, copy: SharedFaceStore) -> tuple[int, int]:
    """Make the closed days and leave of a door's own face store `local` the site's (the
    people and groups were sent first, `database send-people`), then pull `copy`;
    (closures sent, leaves sent). A closure touching one of the site's of the same scope
    is the site's already and is left out, as `holiday import` does; a leave the site
    holds already (same person, days and reason) is left out, so sending twice adds
    nothing; an entry whose person or group the site does not know is left out."""
    here, site = DaysOffBook(local), SharedDaysOffBook(copy)
    groups, closures = GroupBook(copy), 0
    for closure in here.closures():
        group = None if closure.group is None else groups.find(closure.group)
        if closure.group is not None and group is None:
            continue
        if not site.overlapping(closure.first, closure.last, closure.group):
            site.server.close(closure.first, closure.last, closure.name,
                              None if group is None else group.group_id)
            closures += 1
    known = {(e.person, e.first, e.last, e.reason) for e in site.leave()}
    leaves = 0
    for entry in here.leave():
        person = copy.find(entry.person)
        if person is None or (person.name, entry.first, entry.last, entry.reason) in known:
            continue
        site.server.add_leave(person.person_id, entry.first, entry.last, entry.reason)
        leaves += 1
    copy.pull()
    return closures, leaves
