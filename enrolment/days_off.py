"""The calendar: closed days (the site's or a group's) and each person's leave, kept in the
face store's file beside the groups (store_schema.CALENDAR_SCHEMA).

In the face store rather than the journal because, like groups, they are about the
roster (who is expected when), not about what the camera saw: a person forgotten or a
group deleted takes their leave or closures with them in the same transaction, and a
backup of the roster is one file. Days are plain dates, both ends included; what they
mean for reports is exports.days_off's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from enrolment.groups import GroupBook
from enrolment.values import StoreError

if TYPE_CHECKING:
    from enrolment.store import FaceStore

MAX_TEXT = 200
"""A holiday's name or a leave's reason longer than this is a pasted paragraph."""


@dataclass(frozen=True)
class Closure:
    """Days the site (group None) or one group is closed, first to last included."""

    closure_id: int
    first: date
    last: date
    name: str
    group: str | None


@dataclass(frozen=True)
class LeaveEntry:
    """A person's leave, first to last day included, and why."""

    leave_id: int
    person_id: int
    person: str
    first: date
    last: date
    reason: str


def check_text(text: str, what: str) -> str:
    """`text` stripped, or StoreError when empty, on several lines or too long."""
    text = text.strip()
    if not text:
        raise StoreError(f"give the {what}; it is shown in the reports")
    if len(text) > MAX_TEXT or any(ord(ch) < 32 for ch in text):
        raise StoreError(f"the {what} must be one line of at most {MAX_TEXT} characters")
    return text


def check_span(first: date, last: date) -> None:
    """StoreError when `last` is before `first`."""
    if last < first:
        raise StoreError(f"it would end ({last}) before it starts ({first}); give the first "
                         "day, then the last")


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


_CLOSURE = """
    SELECT c.id, c.first_day, c.last_day, c.name, g.name
    FROM closed_days c LEFT JOIN groups g ON g.id = c.group_id
"""
_LEAVE = """
    SELECT l.id, l.person_id, p.name, l.first_day, l.last_day, l.reason
    FROM leave l JOIN people p ON p.id = l.person_id
"""


def _closure(row: tuple[int, str, str, str, str | None]) -> Closure:
    return Closure(row[0], date.fromisoformat(row[1]), date.fromisoformat(row[2]), row[3], row[4])


def _leave(row: tuple[int, int, str, str, str, str]) -> LeaveEntry:
    return LeaveEntry(row[0], row[1], row[2], date.fromisoformat(row[3]),
                      date.fromisoformat(row[4]), row[5])


class DaysOffBook:
    """The closed days and leave of the face store `store`, through the store's own
    connections as enrolment.groups.GroupBook does (foreign keys on, one-line errors)."""

    def __init__(self, store: FaceStore) -> None:
        self.store = store

    def _group_id(self, group: str | None) -> int | None:
        return None if group is None else GroupBook(self.store).require(group).group_id

    def closures(self, year: int | None = None) -> list[Closure]:
        """Every closure (of `year`: touching it), by first day, the site's first."""
        where, values = "", ()
        if year is not None:
            where, values = " WHERE c.first_day <= ? AND c.last_day >= ?", (
                f"{year}-12-31", f"{year}-01-01")
        with self.store._open() as db:  # noqa: SLF001
            rows = db.execute(f"{_CLOSURE}{where} ORDER BY c.first_day, g.name IS NOT NULL,"
                              " g.name, c.id", values).fetchall()
        return [_closure(row) for row in rows]

    def overlapping(self, first: date, last: date, group: str | None) -> list[Closure]:
        """The closures of the same scope (the site, or that group) touching first..last."""
        group_id = self._group_id(group)
        with self.store._open() as db:  # noqa: SLF001
            rows = db.execute(f"{_CLOSURE} WHERE c.first_day <= ? AND c.last_day >= ? AND"
                              " c.group_id IS ? ORDER BY c.first_day",
                              (last.isoformat(), first.isoformat(), group_id)).fetchall()
        return [_closure(row) for row in rows]

    def checked_closure(self, first: date, last: date, name: str,
                        group: str | None) -> tuple[str, int | None]:
        """(the name stripped, the group's id) of a closure that may be added; StoreError
        saying why not (a bad span or name, an unknown group, days closed already)."""
        check_span(first, last)
        name = check_text(name, "holiday's name")
        group_id = self._group_id(group)
        clash = self.overlapping(first, last, group)
        if clash:
            raise StoreError(f"{clash[0].first} to {clash[0].last} is closed already "
                             f"({clash[0].name}); remove it first to change it")
        return name, group_id

    def close(self, first: date, last: date, name: str, group: str | None = None) -> Closure:
        """Add a closure; refuses one touching a closure of the same scope (it would be
        counted twice, and `holiday remove` could not tell which is meant)."""
        name, group_id = self.checked_closure(first, last, name, group)
        with self.store._open() as db, db:  # noqa: SLF001
            cursor = db.execute("INSERT INTO closed_days (first_day, last_day, name, group_id,"
                                " created_at) VALUES (?, ?, ?, ?, ?)",
                                (first.isoformat(), last.isoformat(), name, group_id, _now()))
            row = db.execute(f"{_CLOSURE} WHERE c.id = ?", (cursor.lastrowid,)).fetchone()
        return _closure(row)

    def holding(self, day: date, group: str | None = None) -> Closure:
        """The closure of that scope holding `day`; StoreError if none."""
        found = self.overlapping(day, day, group)
        if not found:
            scope = "the site" if group is None else f"group {group}"
            raise StoreError(f"{day} is not a closed day of {scope}; `holiday list` shows them")
        return found[0]

    def reopen(self, day: date, group: str | None = None) -> Closure:
        """Remove the closure of that scope holding `day` (all its days); StoreError if none."""
        found = self.holding(day, group)
        with self.store._open() as db, db:  # noqa: SLF001
            db.execute("DELETE FROM closed_days WHERE id = ?", (found.closure_id,))
        return found

    def changed_since(self, counter: int) -> tuple[int, list[tuple[date, date]] | None]:
        """(the newest change's number, the spans (first, last) of the closures and leave
        added or removed after change `counter`); None for the spans when the log no
        longer reaches back to `counter` (every month may have changed)."""
        with self.store._open() as db:  # noqa: SLF001
            newest, oldest = db.execute("SELECT COALESCE(MAX(counter), 0), MIN(counter)"
                                        " FROM calendar_log").fetchone()
            rows = db.execute("SELECT first_day, last_day FROM calendar_log WHERE counter > ?",
                              (counter,)).fetchall()
        if oldest is not None and oldest > counter + 1 and counter < newest:
            return newest, None
        return newest, [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in rows]

    def closure(self, closure_id: int) -> Closure | None:
        """The closure numbered `closure_id`, or None."""
        with self.store._open() as db:  # noqa: SLF001
            row = db.execute(f"{_CLOSURE} WHERE c.id = ?", (closure_id,)).fetchone()
        return None if row is None else _closure(row)

    def entry(self, leave_id: int) -> LeaveEntry:
        """The leave numbered `leave_id`; StoreError naming the command listing them."""
        with self.store._open() as db:  # noqa: SLF001
            row = db.execute(f"{_LEAVE} WHERE l.id = ?", (leave_id,)).fetchone()
        if row is None:
            raise StoreError(f"there is no leave number {leave_id}; `leave list` shows them")
        return _leave(row)

    def person_id(self, person: str) -> int:
        """The id of enrolled `person`; StoreError naming the command listing them."""
        found = self.store.find(person)
        if found is None:
            raise StoreError(f"nobody called {person!r} is enrolled; the people command lists "
                             "who is")
        return found.person_id

    def leave(self, person: str | None = None) -> list[LeaveEntry]:
        """Every leave (of `person`), by first day."""
        where, values = "", ()
        if person is not None:
            where, values = " WHERE l.person_id = ?", (self.person_id(person),)
        with self.store._open() as db:  # noqa: SLF001
            rows = db.execute(f"{_LEAVE}{where} ORDER BY l.first_day, p.name, l.id",
                              values).fetchall()
        return [_leave(row) for row in rows]

    def add_leave(self, person: str, first: date, last: date, reason: str) -> LeaveEntry:
        """Give enrolled `person` leave from `first` to `last` for `reason`."""
        check_span(first, last)
        reason = check_text(reason, "reason")
        person_id = self.person_id(person)
        with self.store._open() as db, db:  # noqa: SLF001
            cursor = db.execute("INSERT INTO leave (person_id, first_day, last_day, reason,"
                                " created_at) VALUES (?, ?, ?, ?, ?)",
                                (person_id, first.isoformat(), last.isoformat(), reason,
                                 _now()))
        return self.entry(cursor.lastrowid or 0)

    def remove_leave(self, leave_id: int) -> LeaveEntry:
        """Remove the leave numbered `leave_id` (`leave list` shows the numbers)."""
        entry = self.entry(leave_id)
        with self.store._open() as db, db:  # noqa: SLF001
            db.execute("DELETE FROM leave WHERE id = ?", (leave_id,))
        return entry
