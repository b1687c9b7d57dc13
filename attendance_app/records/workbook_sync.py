"""Keeping the workbooks equal to the journal: one file per month, only the changed month
rewritten.

Layout, for a workbook path of `attendance.xlsx`: that file holds the latest month with
events (the one people open day to day), and every earlier month is kept in
`attendance-YYYY-MM.xlsx` beside it. A save rewrites only the month that got new events,
so its cost is bounded by one month of rows however long the journal grows; when the
first event of a new month arrives, the month before is written to its own file.

The journal stays the source of truth: a locked, deleted or damaged workbook only delays
rows. A damaged workbook, and one holding rows the journal does not have (an older
journal was deleted, emptied or replaced), is moved aside (never overwritten) and
rebuilt: every write of a month file first reads the file it replaces, unless it is the
file this process last saved or checked there, so no path (a run, the window, export,
report, void) rewrites a workbook with fewer rows than it holds.

A row voided after it was written (by this process or another, e.g. `attendance-app
void` beside a running app) is noticed at the next flush, which rewrites its month with
the row struck through; a start compares which rows the main file shows void too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date, time
from pathlib import Path

from attendance_app.errors import notice, resolves
from attendance_app.i18n import _, ngettext
from attendance_app.records.corrections import Correcting
from attendance_app.records.journal import Journal, month_bounds, month_of
from attendance_app.records.months import days_of, months_between
from attendance_app.records.row_words import void_words
from attendance_app.records.saved_files import (
    held,
    last_saved,
    remember_saved,
    saved_holding,
    saved_inputs,
    signature_of,
)
from attendance_app.records.workbook_inputs import inputs_of
from attendance_app.types import AttendanceEvent
from enrolment import StoreError
from exports import (
    AttendanceRow,
    ExcelWorkbook,
    RosterEntry,
    WorkbookCorrupt,
    WorkbookError,
    move_aside,
    period_report,
    with_current_names,
)
from exports.atomic import remove_leftovers
from exports.hours import Schedule
from exports.sheet_cache import SheetCache

log = logging.getLogger(__name__)

Roster = Callable[[], Iterable[RosterEntry]]
CalendarChanges = Callable[[int], tuple[int, "list[tuple[date, date]] | None"]]
"""enrolment.DaysOffBook.changed_since of the calendar the reports read: (the newest
change, the spans of the closures and leave added or removed after a change; None: all)."""
Progress = Callable[[str, Path, int], None]  # after each file export writes: month, file, rows


def to_row(event: AttendanceEvent) -> AttendanceRow:
    """The workbook's view of a committed event: a repeat in the central log is shown as
    not counted, as a voided row is, with the words saying why."""
    assert event.event_id is not None, "only committed events are exported"
    return AttendanceRow(event.event_id, event.timestamp, event.name, event.person_id,
                         event.camera, event.distance, event.kind,
                         event.repeat if event.void is None else void_words(event.void),
                         None if event.expression is None else event.expression.describe(),
                         event.moment.utcoffset(),
                         None if event.age_gender is None else event.age_gender.age,
                         None if event.age_gender is None else event.age_gender.gender_words(),
                         event.correction)


class WorkbookSync:
    """Writes the journal's events into the month workbooks, synchronously.

    roster: the enrolled people, for the Absent report; hours: whom to expect when,
    read at each save (a Schedule from the groups), or a bare start time for everyone
    (None: lateness not reported); site: the name printed at the top of every page;
    calendar: which closed days and leave changed since a flush (None: not watched), so a
    written month whose calendar changed is rewritten at the next flush.
    flush() brings the files up to date and is what the background WorkbookWriter calls;
    notify() and close() let the recorder use this class directly where waiting for the
    save is wanted (tests, one-shot commands).
    """

    def __init__(self, journal: Journal, workbook_path: Path, roster: Roster = tuple,
                 hours: Callable[[], Schedule] | time | None = None, site: str = "",
                 calendar: CalendarChanges | None = None) -> None:
        self.journal = journal
        self.calendar = calendar
        self._calendar_cursor = 0  # the newest calendar change taken into account
        self.site = site
        self.path = Path(workbook_path)
        self.roster = roster
        self.hours = hours
        for leftover in remove_leftovers(self.path):
            log.info("removed %s, left by an interrupted save", leftover.name)
        self._warned: str | None = None
        # Journal id up to which events have been read; None until the first flush has
        # compared the main file with the journal.
        self._cursor: int | None = None
        self._void_cursor = 0  # the newest void taken into account (Journal.last_void_id)
        self._correction_cursor = 0  # and the newest correction (records.corrections)
        self._due: set[str] = set()  # months read but not yet written
        self._latest: str | None = None  # the month the main file holds
        self._latest_rows: list[AttendanceRow] = []  # that month's events, kept in memory
        # Each month file as this process last saved it, or read it and found every row
        # of it in the journal: a file that differs is read again before it is replaced.
        self._vetted: dict[Path, tuple[int, int, int]] = {}
        self._sheets = SheetCache()  # the month as the writer last wrote it (write_month)

    def path_for(self, month: str, latest: bool) -> Path:
        """The file of `month`: the main file for the latest month, else its own."""
        if latest:
            return self.path
        return self.path.with_name(f"{self.path.stem}-{month}{self.path.suffix}")

    def notify(self) -> None:
        """A new event is in the journal: write it now."""
        self.flush()

    def close(self) -> None:
        """End of a run: write what is waiting (there is no thread to stop here)."""
        self.flush()

    def flush(self) -> bool:
        """Write every month whose events the files lack; False (with a warning) if it can't."""
        try:
            self._bring_up_to_date()
        except (WorkbookError, OSError, StoreError) as error:  # StoreError: the journal
            message = str(error)
            if message != self._warned:
                log.warning("%s", message, extra=notice("workbook", self.path))
                self._warned = message
            return False
        if self._warned is not None:
            # Shown in the window when the notice goes: in the user's language.
            log.info(_("workbook {path} is writable again; waiting rows were written")
                     .format(path=self.path), extra=resolves("workbook", self.path))
            self._warned = None
        return True

    def _bring_up_to_date(self) -> None:
        """Write the months that got events since the last flush.

        Only the new events are read from the journal (a range of ids); the latest
        month's rows are kept in memory, so a flush costs writing one month's file.
        """
        if self._cursor is None:
            self._start()
        else:
            self._read_new_events()
            self._read_new_voids()
        if self._latest is not None and not self._is_vetted(self.path):
            self._due.add(self._latest)  # deleted, replaced or damaged since our last save
        for month in sorted(self._due):
            rows = self._latest_rows if month == self._latest else None
            self.write_month(month, self._latest, rows, copies=rows is not None)
            self._due.discard(month)

    def _read_new_events(self) -> None:
        """Take the events recorded since the last flush into memory and mark their months."""
        new = [to_row(event) for event in self.journal.events_after(self._cursor or 0)]
        if not new:
            return
        self._cursor = new[-1].event_id
        months = {month_of(row.timestamp) for row in new}
        self._due |= months
        latest = max(months | {self._latest or ""})
        if latest == self._latest:
            known = self._latest_rows[-1].event_id if self._latest_rows else 0
            self._latest_rows.extend(row for row in new
                                     if month_of(row.timestamp) == latest and row.event_id > known)
            return
        if self._latest is not None:
            self._due.add(self._latest)  # a new month began: the old one moves to its own file
        self._latest = latest
        self._latest_rows = [to_row(event) for event in self.journal.events_in_month(latest)]
        # Events recorded since `new` was read are in that month already: read past them.
        self._cursor = max(self._cursor, *(row.event_id for row in self._latest_rows))

    def _read_new_voids(self) -> None:
        """Mark the months of the rows voided since the last flush for rewriting; the
        latest month's rows in memory are read again (voids are rare, a month is what a
        save costs anyway)."""
        self._void_cursor, voided = self.journal.voided_after(self._void_cursor)
        months = {month_of(event.timestamp) for event in voided}
        if isinstance(self.journal, Correcting):  # a time, a void undone: the same
            self._correction_cursor, corrected = self.journal.corrected_after(
                self._correction_cursor)
            months |= corrected
        if self._latest in months:
            self._latest_rows = [to_row(e) for e in self.journal.events_in_month(self._latest)]
            self._cursor = max([self._cursor or 0, *(row.event_id for row in self._latest_rows)])
        self._due |= months | self._calendar_months()

    def _calendar_months(self) -> set[str]:
        """The written months whose closed days or leave changed since the last flush (by
        a command beside this process, or another door's change pulled into the copy):
        their rows are as they were, their counts not."""
        if self.calendar is None:
            return set()
        self._calendar_cursor, spans = self.calendar(self._calendar_cursor)
        if spans == []:
            return set()  # the usual flush: one indexed read of the store, no more
        if spans is None:
            months = set(self.journal.month_totals())
        else:
            months = {month for first, last in spans for month in months_between(first, last)}
        latest = self.journal.latest_month()
        return {month for month in months if self.path_for(month, month == latest).exists()}

    def _start(self) -> None:
        """The first flush of this process: compare the main file with the journal and
        write what differs. The latest month is written unless the main file already
        equals it; the month the main file held is written to its own file if a new
        month began before that one got there (the app was stopped in between). A main
        file as the app last saved it is compared by what that save held
        (records.saved_files), without reading it."""
        self._void_cursor = self.journal.last_void_id()
        if self.calendar is not None:
            self._calendar_cursor = self.calendar(0)[0]
        if isinstance(self.journal, Correcting):
            self._correction_cursor = self.journal.corrected_after(0)[0]
        cursor, latest = self.journal.last_id(), self.journal.latest_month()
        if latest is None:
            self._cursor = cursor
            return
        holding = self._saved_holding(self.path)
        if holding is None:
            rows = self._check_file(self.path)  # (an early layout's file held every month)
            holding, months = held(rows), {month_of(row.timestamp) for row in rows}
        else:
            months = {holding.split(":")[0]} - {"-"}
        self._latest = latest
        self._latest_rows = [to_row(e) for e in self.journal.events_in_month(latest)]
        self._cursor = max([cursor, *(row.event_id for row in self._latest_rows)])
        self._due = {month for month in months - {latest}
                     if not self.path_for(month, latest=False).exists()}
        if holding != held(self._latest_rows):
            self._due.add(latest)

    def _saved_holding(self, path: Path) -> str | None:
        """What the file at `path` holds (saved_files.held) when it is as the app last
        saved it from this journal and that is known; else None (read it)."""
        signature = signature_of(path)
        if signature is None or not isinstance(self.journal, Journal) \
                or signature != last_saved(self.journal, path):
            return None
        holding = saved_holding(self.journal, path)
        if holding is not None:
            self._vetted[path] = signature
        return holding

    def _is_vetted(self, path: Path) -> bool:
        """Whether `path` is as this process last saved or checked it (or absent, as it
        was then), or as the app last saved it from this journal (records.saved_files):
        replacing it then drops nothing."""
        signature = signature_of(path)
        return signature == self._vetted.get(path) or (
            signature is not None and isinstance(self.journal, Journal)
            and signature == last_saved(self.journal, path))

    def vouch(self, path: Path, rows: Sequence[AttendanceRow] | None = None,
              inputs: str | None = None) -> None:
        """Let the file at `path`, as it is now, be replaced without being read first:
        this process just saved it or found every row of it in the journal (`rows`: the
        rows it holds), or the caller knows its rows are there under other ids (`journal
        rebuild` read them in)."""
        signature = signature_of(path)
        if signature is not None:
            self._vetted[path] = signature
            if isinstance(self.journal, Journal):  # (the central log keeps no such facts)
                remember_saved(self.journal, path, signature,
                               None if rows is None else held(rows), inputs)

    def _check_file(self, path: Path) -> list[AttendanceRow]:
        """The rows of the workbook at `path` before it is rewritten; a damaged one, or one
        holding rows the journal lacks (which a rewrite would drop), is moved aside first,
        with a warning, and [] returned. WorkbookError if it cannot be read at all."""
        try:
            rows = ExcelWorkbook(path).read_rows()
        except WorkbookCorrupt as error:
            moved = move_aside(path)
            log.warning(_("{error}; moved it to {path} and rebuilt it from the journal")
                        .format(error=error, path=moved))
            return []
        if not self._in_journal(rows):
            moved = move_aside(path, "replaced")
            log.warning(ngettext(
                "workbook {path} holds {count} row that is not in the journal (was it deleted "
                "or replaced?); kept it as {kept} and rebuilt it from the journal; to bring "
                "that row back: attendance-app journal rebuild",
                "workbook {path} holds {count} rows that are not in the journal (was it "
                "deleted or replaced?); kept it as {kept} and rebuilt it from the journal; to "
                "bring those rows back: attendance-app journal rebuild",
                len(rows)).format(path=path, count=len(rows), kept=moved.name))
            return []
        self.vouch(path, rows if len({month_of(row.timestamp) for row in rows}) < 2 else None)
        return rows

    def _in_journal(self, rows: Sequence[AttendanceRow]) -> bool:
        """Whether every row is an event of the journal (same id, time and person)."""
        known: dict[int, tuple[object, int]] = {}
        for month in {month_of(row.timestamp) for row in rows}:
            known.update((event.event_id or 0, (event.timestamp, event.person_id))
                         for event in self.journal.events_in_month(month))
        return all(known.get(row.event_id) == (row.timestamp, row.person_id)
                   or self._corrected_since(row) for row in rows)

    def _corrected_since(self, row: AttendanceRow) -> bool:
        """Whether `row` is an event of the journal whose time was corrected after the file
        was written (records.corrections): the file shows the time it had then."""
        if not isinstance(self.journal, Correcting):
            return False
        event = self.journal.event(row.event_id)
        return (event is not None and event.person_id == row.person_id
                and event.correction is not None)

    def schedule(self) -> Schedule | time | None:
        """The hours the reports follow now (the groups as they are at this save)."""
        return self.hours() if callable(self.hours) else self.hours

    def write_month(self, month: str, latest: str | None = None,
                    rows: list[AttendanceRow] | None = None, force: bool = False,
                    copies: bool = False) -> tuple[Path, int]:
        """Rewrite the file of `month`, unless it is as the app last saved it from the
        same inputs (records.workbook_inputs) and not `force`; returns it and how many
        rows it holds. latest: the journal's latest month, and rows: the month's events,
        when the caller already has them; otherwise they are read from the journal.
        copies: keep what this save wrote, for the next save of the file to copy what is
        alike (the writer's, which saves the same month often; exports.sheet_cache)."""
        latest = latest or self.journal.latest_month()
        path = self.path_for(month, month == latest)
        saved = self._sheets.of(path) if copies else None
        if rows is None:
            rows = [to_row(event) for event in self.journal.events_in_month(month)]
        roster, schedule = list(self.roster()), self.schedule()
        rows = with_current_names(rows, roster)  # the Attendance sheet too: renames show
        audit = (self.journal.audit_between(*month_bounds(month))
                 if isinstance(self.journal, Correcting) else None)
        inputs = inputs_of(rows, roster, schedule, self.site, audit)
        if not force and isinstance(self.journal, Journal) and signature_of(path) is not None \
                and self._is_vetted(path) and saved_inputs(self.journal, path) == inputs:
            return path, len(rows)  # as the app saved it from the same rows, names, hours
        if path != self.path:
            remove_leftovers(path)
        if not self._is_vetted(path):
            self._check_file(path)  # keeps a file holding rows the rewrite would drop
        report = period_report(rows, roster, days_of(month), schedule,
                               None if saved is None else saved.report_days)
        ExcelWorkbook(path).write(rows, report, self.site, audit, cache=saved)
        self.vouch(path, rows, inputs)
        return path, len(rows)

    def rewrite_month(self, month: str) -> Path:
        """Write the file of `month` again from the journal now, after a row of it was
        voided or corrected; returns the file. WorkbookError when it cannot be written now:
        the journal has the change, and the next export (or start) writes it."""
        path, _ = self.write_month(month)
        return path

    def export(self, since: date | None = None, progress: Progress | None = None) -> int:
        """Rewrite every month file from the journal (from the month of `since` on), even
        one as the app saved it (a newer version may lay it out anew); returns the rows
        written. A file holding rows the journal lacks is kept beside first (`_check_file`).
        With an empty journal, writes an empty main file."""
        totals = self.journal.month_totals()
        if not totals:
            if not self._is_vetted(self.path):
                self._check_file(self.path)
            ExcelWorkbook(self.path).write([], site=self.site)
            self.vouch(self.path, [])
            return 0
        latest = max(totals)
        months = [month for month in sorted(totals) if since is None or month >= month_of(since)]
        written = 0
        for month in months:
            path, rows = self.write_month(month, latest, force=True)  # keeps rows it would drop
            written += rows
            if progress is not None:
                progress(month, path, rows)
        self._cursor, self._latest, self._due = None, None, set()  # the next flush starts afresh
        return written
