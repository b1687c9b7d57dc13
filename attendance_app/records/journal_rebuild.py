"""`attendance-app journal rebuild`: the attendance rows back from the workbooks into a new
journal, so that a deleted, emptied or replaced `journal.sqlite3` costs nothing.

Sources, all in the workbook's folder (for `attendance.xlsx`): the main file, the month
files `attendance-YYYY-MM.xlsx`, the copies the app kept aside when it met a workbook
holding rows its journal lacked (`attendance.replaced-DATE-TIME.xlsx`,
`attendance-YYYY-MM.replaced-DATE-TIME.xlsx`), and the current journal's own rows.
Damaged copies (`.corrupt-…`) are not read. A row found in several of them (the same
time, name, camera and kind) is taken once; if any copy shows it void, it
stays void.

Each row keeps its time, camera, match distance, kind (in/out), void mark (reason, who,
when: read back from the "Voided" column's words), expression, age and gender. Its person
is found by name among the people enrolled now (letter case and spacing aside); a name
nobody enrolled has is kept as text with a negative Person ID, one per name (-1, -2, … in
order of first appearance), which no enrolled person can have: reports list them, nobody
is counted absent for them, and they never match a face.

Event IDs are kept when no two rows claim the same one (the usual case: the workbooks of
one journal), so the workbooks stay in step with the new journal; otherwise (rows of an
old journal and of a new one, which both began at 1) every row is numbered again in time
order. The current journal, when it holds rows, is moved aside as
`journal.replaced-DATE-TIME.sqlite3`, never deleted, and the new one is built beside
before it takes its place. Then the workbooks are written again from the new journal.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from attendance_app.i18n import _
from attendance_app.records.journal import Journal
from attendance_app.types import AgeGender, AttendanceEvent, Expression, Void
from enrolment.names import name_key
from enrolment.sqlite_files import aside_name
from exports import AttendanceRow, ExcelWorkbook, WorkbookError

_VOID_WORDS = re.compile(r"(?s)(?P<reason>.*) \(voided by (?P<by>.*), "
                         r"(?P<at>\d{4}-\d{2}-\d{2} \d{2}:\d{2})\)")
"""Void.describe() as the workbook shows it: 'reason (voided by NAME, YYYY-MM-DD HH:MM)'."""
_EXPRESSION_WORDS = re.compile(r"(?P<label>\S+) (?P<percent>\d{1,3})%")
"""Expression.describe(): 'happy 87%'."""
UNKNOWN_VOIDER = "unknown (from the workbook)"


class RebuildRefused(Exception):
    """The journal cannot be rebuilt (nothing to read, a central database); one line."""


@dataclass
class Recovered:
    """What the sources gave: the events (void and expression included, ids as found),
    the files read, and the files that could not be read with why."""

    events: list[AttendanceEvent] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)


def workbook_files(main: Path) -> list[Path]:
    """The workbooks of `main`'s set in its folder, in name order: `main` itself, its
    month files and the `.replaced-…` copies of either."""
    pattern = re.compile(rf"{re.escape(main.stem)}(-\d{{4}}-\d{{2}})?"
                         rf"(\.replaced-\d{{8}}-\d{{6}}(-\d+)?)?{re.escape(main.suffix)}")
    try:
        names = sorted(entry.name for entry in os.scandir(main.parent) if entry.is_file())
    except OSError:
        return []
    return [main.parent / name for name in names if pattern.fullmatch(name)]


def void_from_words(words: str, when: datetime) -> Void:
    """The void mark behind the words of the "Voided" column. Words of another form (a
    hand edit, a central log's "repeat", a workbook written in another language than
    English: records.row_words) keep the row void with those words as the reason, marked
    at the row's own time by an unknown user."""
    found = _VOID_WORDS.fullmatch(words)
    if found is None:
        return Void(when, UNKNOWN_VOIDER, words)
    return Void(datetime.strptime(found["at"], "%Y-%m-%d %H:%M"), found["by"], found["reason"])


def expression_from_words(words: str | None) -> Expression | None:
    """The expression behind 'happy 87%'; None for an empty cell or other words."""
    found = None if words is None else _EXPRESSION_WORDS.fullmatch(words)
    if found is None:
        return None
    return Expression(found["label"], int(found["percent"]) / 100)


def age_gender_from(age: float | None, words: str | None) -> AgeGender | None:
    """The estimate behind an age and 'male 97%'; None when either cell is empty or other
    words."""
    found = None if words is None else _EXPRESSION_WORDS.fullmatch(words)
    if age is None or found is None:
        return None
    return AgeGender(age, found["label"], int(found["percent"]) / 100)


def _event(row: AttendanceRow) -> AttendanceEvent:
    return AttendanceEvent(row.timestamp, row.person_id, row.name, row.camera, row.distance,
                           row.kind, row.event_id,
                           None if row.void is None else void_from_words(row.void, row.timestamp),
                           expression_from_words(row.expression),
                           age_gender=age_gender_from(row.age, row.gender))


def _same_row(event: AttendanceEvent) -> tuple[object, ...]:
    """What makes two copies one row: the policy never logs a person twice in a second
    at one camera, so time, name, camera and kind pick out one arrival. (Not the Person
    ID: a rebuild changes it for names no longer enrolled, and a second rebuild meets
    both.)"""
    return (event.timestamp, name_key(event.name), event.camera, event.kind)


def recover(main: Path, journal: Journal | None) -> Recovered:
    """Every row of the workbooks of `main` and of `journal` (if any), each once."""
    found = Recovered()
    sources: list[Iterable[AttendanceEvent]] = []
    if journal is not None:
        sources.append(journal.events())
    for path in workbook_files(main):
        try:
            rows = ExcelWorkbook(path).read_rows()
        except WorkbookError as error:
            found.unreadable.append((path, str(error)))
            continue
        found.files.append(path)
        sources.append(_event(row) for row in rows)
    unique: dict[tuple[object, ...], AttendanceEvent] = {}
    for source in sources:
        for event in source:
            kept = unique.setdefault(_same_row(event), event)
            if kept.void is None and event.void is not None:
                unique[_same_row(event)] = replace(kept, void=event.void)
            if kept.expression is None and event.expression is not None:
                unique[_same_row(event)] = replace(unique[_same_row(event)],
                                                   expression=event.expression)
            if kept.age_gender is None and event.age_gender is not None:
                unique[_same_row(event)] = replace(unique[_same_row(event)],
                                                   age_gender=event.age_gender)
    found.events = list(unique.values())
    return found


def match_people(events: list[AttendanceEvent],
                 enrolled: dict[str, int]) -> tuple[list[AttendanceEvent], dict[str, int]]:
    """`events` with the Person ID of whoever is enrolled under each name now (`enrolled`:
    name_key -> id); a name nobody has gets a negative id of its own. Returns the events
    and the names kept as text with their ids."""
    unmatched: dict[str, int] = {}
    names: dict[str, str] = {}
    matched = []
    for event in sorted(events, key=lambda e: (e.timestamp, e.event_id or 0)):
        key = name_key(event.name)
        person_id = enrolled.get(key)
        if person_id is None:
            person_id = unmatched.setdefault(key, -(len(unmatched) + 1))
            names.setdefault(key, event.name)
        matched.append(replace(event, person_id=person_id))
    return matched, {names[key]: person_id for key, person_id in unmatched.items()}


def numbered(events: list[AttendanceEvent]) -> tuple[list[AttendanceEvent], bool]:
    """The events in the order they go into the new journal, with the id each gets, and
    whether the ids found were kept (no two rows claim one id) or renumbered 1… in time
    order."""
    ids = [event.event_id for event in events]
    if None not in ids and len(set(ids)) == len(ids):
        return sorted(events, key=lambda e: e.event_id or 0), True
    in_time = sorted(events, key=lambda e: (e.timestamp, e.event_id or 0))
    return [replace(event, event_id=number) for number, event in enumerate(in_time, 1)], False


def _next_id(path: Path, event_id: int) -> None:
    """Make `event_id` the id the journal at `path` gives its next event (AUTOINCREMENT
    takes the next after sqlite_sequence's; the new journal is not yet in use)."""
    with sqlite3.connect(path) as db:
        if db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'",
                      (event_id - 1,)).rowcount == 0:
            db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?)",
                       (event_id - 1,))
    db.close()


class _NewJournal(Journal):
    """The journal being built, beside the one in use: each commit is not synced to disk
    on its own (that cost about 11 ms a row, 18 minutes for a year of a large school);
    the whole file is synced once before it takes the journal's place, and a rebuild cut
    short leaves only this file, which the next one removes."""

    def _connect(self) -> sqlite3.Connection:
        db = super()._connect()
        db.execute("PRAGMA synchronous = OFF")
        return db


def _sync_to_disk(path: Path) -> None:
    """fsync the file at `path` (opened for writing: Windows syncs only such files)."""
    descriptor = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_journal(path: Path, events: list[AttendanceEvent]) -> None:
    """A new journal at `path` holding `events` with their ids, void marks and
    expressions, through the journal's own record() and void(), synced to disk."""
    journal = _NewJournal(path)
    last = 0
    for event in events:
        assert event.event_id is not None
        if event.event_id != last + 1:
            _next_id(path, event.event_id)
        recorded = journal.record(replace(event, event_id=None, void=None))
        assert recorded.event_id == event.event_id, "ids go in as they were found"
        last = event.event_id
        if event.void is not None:
            journal.void(event.event_id, event.void)
    _sync_to_disk(path)


def move_journal_aside(path: Path) -> Path:
    """Rename the journal at `path` to journal.replaced-YYYYmmdd-HHMMSS.sqlite3 (a
    counter added if taken); returns the new name."""
    target = aside_name(path, "replaced")
    path.rename(target)
    return target


@dataclass(frozen=True)
class Rebuilt:
    """The outcome, for the command to describe."""

    events: list[AttendanceEvent]
    recovered: Recovered
    ids_kept: bool
    unmatched: dict[str, int]
    old_journal: Path | None


def rebuild(journal_path: Path, main: Path, enrolled: dict[str, int]) -> Rebuilt:
    """Build a new journal at `journal_path` from the workbooks of `main` and the current
    journal; the current one, when it holds rows, is kept aside. RebuildRefused when
    there is no row anywhere (nothing is changed then)."""
    current = Journal(journal_path) if journal_path.exists() else None
    recovered = recover(main, current)
    if not recovered.events:
        where = (", ".join(path.name for path in recovered.files)
                 or f"no {main.name} in {main.parent}")
        raise RebuildRefused(_("no attendance rows to rebuild the journal from ({where}); nothing "
                               "was changed").format(where=where))
    events, unmatched = match_people(recovered.events, enrolled)
    events, ids_kept = numbered(events)
    building = journal_path.with_name(f"{journal_path.stem}.rebuilding{journal_path.suffix}")
    building.unlink(missing_ok=True)  # a rebuild stopped halfway: never a journal in use
    try:
        write_journal(building, events)
    except BaseException:
        building.unlink(missing_ok=True)
        raise
    old = None
    if current is not None and (current.last_id() or current.refusals()):
        old = move_journal_aside(journal_path)
    os.replace(building, journal_path)
    return Rebuilt(events, recovered, ids_kept, unmatched, old)
