"""A year of records: one workbook per month written in the background, reports that add
up, and a journal that answers today's questions from its index.

Every test works on real files: a real SQLite journal, real .xlsx files read back with
openpyxl, real CSV files, the real command line in a child process.
"""

from __future__ import annotations

import csv
import logging
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from attendance_app.records.journal import Journal
from attendance_app.records.policy import AttendancePolicy
from attendance_app.records.recorder import AttendanceRecorder
from attendance_app.records.workbook_sync import WorkbookSync
from attendance_app.records.workbook_writer import WorkbookWriter
from attendance_app.types import AttendanceEvent
from enrolment import FaceStore, NewEncoding
from exports import ExcelWorkbook, RosterEntry, period_report
from tests.support.faults_support import cli
from tests.support.journals import fill_journal


def _event(when: datetime, person_id: int, kind: str = "in") -> AttendanceEvent:
    return AttendanceEvent(when, person_id, f"Person {person_id}", "Front door", 0.4, kind)


def _ids(path: Path) -> list[int]:
    return [row.event_id for row in ExcelWorkbook(path).read_rows()]


def _journal_ids(journal: Journal, month: str) -> list[int]:
    return [event.event_id or 0 for event in journal.events_in_month(month)]


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal.sqlite3")


# --- one file per month ---------------------------------------------------------------


def test_latest_month_is_the_main_file_and_earlier_months_get_their_own(
        journal: Journal, tmp_path: Path) -> None:
    for when in (datetime(2026, 10, 30, 8, 0), datetime(2026, 10, 30, 8, 5)):
        journal.record(_event(when, 1 + when.minute))
    sync = WorkbookSync(journal, tmp_path / "attendance.xlsx")
    assert sync.flush()
    assert _ids(tmp_path / "attendance.xlsx") == [1, 2]

    journal.record(_event(datetime(2026, 11, 2, 8, 0), 1))  # the first event of a new month
    assert sync.flush()

    assert _ids(tmp_path / "attendance.xlsx") == [3]
    assert _ids(tmp_path / "attendance-2026-10.xlsx") == [1, 2]
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        "attendance-2026-10.xlsx", "attendance.xlsx"]


def test_a_workbook_of_the_old_single_file_layout_is_split_into_months(
        journal: Journal, tmp_path: Path) -> None:
    """Upgrading: the one workbook held every month; the first start files each month."""
    for day in (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 2)):
        journal.record(_event(datetime.combine(day, clock(8)), 1))
    main = tmp_path / "attendance.xlsx"
    ExcelWorkbook(main).write([row for row in _all_rows(journal)])

    assert WorkbookSync(journal, main).flush()

    assert _ids(main) == [3]
    assert _ids(tmp_path / "attendance-2026-09.xlsx") == [1]
    assert _ids(tmp_path / "attendance-2026-10.xlsx") == [2]


def _all_rows(journal: Journal) -> list:
    from attendance_app.records.workbook_sync import to_row
    return [to_row(event) for event in journal.events()]


def test_nothing_new_leaves_the_workbook_file_untouched(journal: Journal, tmp_path: Path) -> None:
    """An up-to-date workbook stays open in a viewer undisturbed, also across restarts."""
    journal.record(_event(datetime(2026, 11, 2, 8, 0), 1))
    main = tmp_path / "attendance.xlsx"
    assert WorkbookSync(journal, main).flush()
    before = main.stat().st_ino, main.read_bytes()

    again = WorkbookSync(journal, main)  # a restart
    assert again.flush() and again.flush()

    assert (main.stat().st_ino, main.read_bytes()) == before


def test_rows_from_a_run_and_an_export_are_never_duplicated(journal: Journal, tmp_path: Path) -> None:
    main = tmp_path / "attendance.xlsx"
    app = WorkbookSync(journal, main)
    journal.record(_event(datetime(2026, 11, 2, 8, 0), 1))
    assert app.flush()

    result = cli("export", "--data-dir", str(tmp_path))  # a second writer, another process
    assert result.returncode == 0, result.stderr
    journal.record(_event(datetime(2026, 11, 2, 8, 5), 2))
    assert app.flush()
    assert cli("export", "--data-dir", str(tmp_path)).returncode == 0

    assert _ids(main) == _journal_ids(journal, "2026-11") == [1, 2]


def test_a_workbook_with_rows_the_journal_lacks_is_kept_beside_and_rebuilt(
        journal: Journal, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The journal was deleted and started again: the old workbook's rows are not lost."""
    main = tmp_path / "attendance.xlsx"
    old = Journal(tmp_path / "old.sqlite3")
    for minute in (0, 5):
        old.record(_event(datetime(2026, 11, 2, 8, minute), 7))
    assert WorkbookSync(old, main).flush()
    old_bytes = main.read_bytes()
    journal.record(_event(datetime(2026, 11, 3, 9, 0), 1))  # id 1 again, another event

    assert WorkbookSync(journal, main).flush()

    kept = list(tmp_path.glob("attendance.replaced-*.xlsx"))
    assert len(kept) == 1 and kept[0].read_bytes() == old_bytes
    assert _ids(main) == [1] and ExcelWorkbook(main).read_rows()[0].person_id == 1
    assert any("not in the journal" in r.getMessage() for r in caplog.records)


# --- the writer thread ----------------------------------------------------------------


class GatedSync(WorkbookSync):
    """A real WorkbookSync whose saves wait at a gate: a save that takes as long as the
    test likes."""

    def __init__(self, journal: Journal, path: Path) -> None:
        super().__init__(journal, path)
        self.gate = threading.Event()
        self.saving = threading.Event()

    def flush(self) -> bool:
        self.saving.set()
        self.gate.wait(30)
        return super().flush()


def test_recording_never_waits_for_a_slow_save(journal: Journal, tmp_path: Path) -> None:
    main = tmp_path / "attendance.xlsx"
    sync = GatedSync(journal, main)
    writer = WorkbookWriter(sync, settle_seconds=0)
    recorder = AttendanceRecorder(journal, writer, AttendancePolicy(), "Front door")
    assert sync.saving.wait(10)  # the writer is stuck in a save

    events = [recorder.record(person, f"Person {person}", 0.4) for person in (1, 2, 3)]

    assert all(e is not None for e in events), "recorded while the save hangs"
    assert [e.event_id for e in journal.events()] == [1, 2, 3]
    assert not main.exists()
    sync.gate.set()
    assert writer.flush(timeout=30)
    assert _ids(main) == [1, 2, 3]
    writer.close()


@pytest.mark.parametrize("lock_name", [".~lock.attendance.xlsx#", "~$attendance.xlsx"],
                         ids=["LibreOffice", "Excel"])
def test_a_workbook_open_in_a_spreadsheet_program_waits_for_it(
        journal: Journal, tmp_path: Path, lock_name: str, caplog: pytest.LogCaptureFixture) -> None:
    main = tmp_path / "attendance.xlsx"
    journal.record(_event(datetime(2026, 11, 2, 8, 0), 1))
    writer = WorkbookWriter(WorkbookSync(journal, main), settle_seconds=0)
    assert writer.flush(timeout=30)
    before = main.read_bytes()
    lock = tmp_path / lock_name
    lock.write_text(",someone,desk,24.11.2026 08:00,file:///home/someone/.config/libreoffice/4;")

    journal.record(_event(datetime(2026, 11, 2, 8, 5), 2))
    assert not writer.flush(timeout=30)

    assert main.read_bytes() == before, "a workbook open elsewhere is left alone"
    warning = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING][-1]
    assert lock_name in warning and "close it" in warning and "\n" not in warning
    lock.unlink()
    assert writer.flush(timeout=30)
    assert _ids(main) == [1, 2]
    writer.close()


KILLED_WRITER = """
import sys
from datetime import datetime
from pathlib import Path
from attendance_app.types import AttendanceEvent
from attendance_app.records.journal import Journal
from attendance_app.records.workbook_sync import WorkbookSync
from attendance_app.records.workbook_writer import WorkbookWriter
folder = Path(sys.argv[1])
journal = Journal(folder / "journal.sqlite3")
writer = WorkbookWriter(WorkbookSync(journal, folder / "attendance.xlsx"), settle_seconds=0)
writer.flush()
event = journal.record(AttendanceEvent(datetime(2026, 11, 28, 9, 0), 9999, "Last One",
                                       "Front door", 0.4, "in"))
writer.notify()
print(event.event_id, flush=True)
sys.stdin.readline()  # killed while the save of that event runs
"""


def test_killed_mid_save_the_event_is_in_the_journal_and_the_next_start_writes_it(
        tmp_path: Path) -> None:
    fill_journal(tmp_path / "journal.sqlite3", 10_000, people=500, first=date(2026, 11, 2))
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(tmp_path)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    last_id = int(child.stdout.readline())
    time.sleep(0.3)  # a 10,000-row month takes about a second to save: kill inside it
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    journal = Journal(tmp_path / "journal.sqlite3")
    assert journal.last_id() == last_id
    main = tmp_path / "attendance.xlsx"
    assert last_id not in _ids(main), "the kill was meant to land inside that save"
    writer = WorkbookWriter(WorkbookSync(journal, main))  # the next start
    assert writer.flush(timeout=60)
    writer.close()
    assert _ids(main) == _journal_ids(journal, "2026-11") and _ids(main)[-1] == last_id
    assert not list(tmp_path.glob(".*.tmp"))


def test_closing_the_writer_writes_what_is_waiting(journal: Journal, tmp_path: Path) -> None:
    main = tmp_path / "attendance.xlsx"
    recorder = AttendanceRecorder(journal, WorkbookWriter(WorkbookSync(journal, main)),
                                  AttendancePolicy(), "Front door")
    recorder.record(1, "Person 1", 0.4)
    recorder.close()
    assert _ids(main) == [1]


# --- reports --------------------------------------------------------------------------


def _known_week() -> tuple[list, list[RosterEntry]]:
    """Four people over Mon 2 to Wed 4 November 2026, start time 08:30.

    Ada: in 08:10, out 12:00, in 13:00, out 17:00 on the 2nd (7 h 50 min); in 08:25 on the 3rd.
    Bob: in 08:31:10 on the 2nd (1 minute late), nothing on the 3rd, in 08:30:59 on the 4th.
    Cyd: enrolled on the 3rd, in 09:00 on the 4th (30 minutes late).
    Dan: enrolled, never came. Nobody came on the 1st (a Sunday).
    """
    def at(day: int, hh: int, mm: int, ss: int = 0) -> datetime:
        return datetime(2026, 11, day, hh, mm, ss)

    events = [(at(2, 8, 10), 1, "Ada", "in"), (at(2, 8, 31, 10), 2, "Bob", "in"),
              (at(2, 12, 0), 1, "Ada", "out"), (at(2, 13, 0), 1, "Ada", "in"),
              (at(2, 17, 0), 1, "Ada", "out"), (at(3, 8, 25), 1, "Ada", "in"),
              (at(4, 8, 30, 59), 2, "Bob", "in"), (at(4, 9, 0), 3, "Cyd", "in")]
    from exports import AttendanceRow
    rows = [AttendanceRow(number, when, name, person, "Front door", 0.4, kind)
            for number, (when, person, name, kind) in enumerate(events, start=1)]
    roster = [RosterEntry(1, "Ada", date(2026, 10, 1)), RosterEntry(2, "Bob", date(2026, 10, 1)),
              RosterEntry(3, "Cyd", date(2026, 11, 3)), RosterEntry(4, "Dan", date(2026, 10, 1))]
    return rows, roster


def test_absent_late_and_timesheet_figures_on_a_known_week() -> None:
    rows, roster = _known_week()
    days = [date(2026, 11, d) for d in range(1, 5)]
    report = period_report(rows, roster, days, clock(8, 30))

    assert report.open_days == days[1:]
    assert [(t.day.day, t.present, t.absent, t.late) for t in report.totals] == [
        (2, 2, 1, 1), (3, 1, 3, 0), (4, 2, 2, 1)]
    assert [(a.day.day, a.name) for a in report.absent] == [
        (2, "Dan"), (3, "Bob"), (3, "Cyd"), (3, "Dan"), (4, "Ada"), (4, "Dan")]
    assert [(l.day.day, l.name, l.minutes_late) for l in report.late] == [(2, "Bob", 1), (4, "Cyd", 30)]
    sheet = {line.name: line for line in report.timesheet}
    assert sheet["Ada"].days == {days[1]: "08:10–17:00", days[2]: "08:25", days[3]: "absent"}
    assert sheet["Ada"].hours == 7.83 and sheet["Ada"].days_present == 2
    assert sheet["Bob"].days == {days[1]: "08:31", days[2]: "absent", days[3]: "08:30"}
    assert sheet["Bob"].hours is None and sheet["Bob"].days_late == 1
    assert sheet["Cyd"].days == {days[2]: "absent", days[3]: "09:00"}
    assert sheet["Dan"].days_present == 0 and set(sheet["Dan"].days.values()) == {"absent"}


def test_the_month_workbook_holds_the_reports(tmp_path: Path) -> None:
    rows, roster = _known_week()
    days = [date(2026, 11, d) for d in range(1, 31)]
    path = tmp_path / "attendance.xlsx"
    ExcelWorkbook(path).write(rows, period_report(rows, roster, days, clock(8, 30)))

    book = load_workbook(path)
    assert book.sheetnames == ["Attendance", "Daily summary", "Days", "Absent", "Late arrivals",
                               "Timesheet"]
    late = list(book["Late arrivals"].iter_rows(min_row=2, values_only=True))
    assert late == [(datetime(2026, 11, 2), "Bob", 2, clock(8, 31, 10), 1),
                    (datetime(2026, 11, 4), "Cyd", 3, clock(9, 0), 30)]
    timesheet = book["Timesheet"]
    header = [cell.value for cell in timesheet[1]]
    assert header[:4] == ["Name", "Person ID", "Sun 01", "Mon 02"] and len(header) == 2 + 30 + 3
    ada = [cell.value for cell in timesheet[2]]
    assert ada[0] == "Ada" and ada[3] == "08:10–17:00" and ada[-3:] == [2, 0, 7.83]
    assert timesheet.freeze_panes == "A2" and timesheet.auto_filter.ref == "A1:AI5"
    for sheet in book:  # on paper: landscape, all columns on one page width, header repeated
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"


def _store_with(folder: Path, names: list[str]) -> None:
    store = FaceStore(folder / "faces.sqlite3")
    vectors = np.random.default_rng(7).normal(size=(len(names), 128))
    for name, vector in zip(names, vectors, strict=True):
        store.enrol(name, [NewEncoding(vector, "test")])


def test_report_command_for_a_day_prints_and_writes_csv(tmp_path: Path) -> None:
    _store_with(tmp_path, ["Ada", "Bob", "Cyd"])
    journal = Journal(tmp_path / "journal.sqlite3")
    today = date.today()
    for person, name, when in ((1, "Ada", clock(8, 10)), (3, "Cyd", clock(9, 5))):
        journal.record(AttendanceEvent(datetime.combine(today, when), person, name, "Door", 0.4, "in"))
    config = tmp_path / "config.yaml"
    config.write_text('attendance:\n  start_time: "08:30"\n')

    result = cli("report", "--day", today.isoformat(), "--csv", str(tmp_path / "csv"),
                 "--data-dir", str(tmp_path), "--config", str(config))

    assert result.returncode == 0, result.stderr
    assert "2 present, 1 absent, 1 late" in result.stdout
    assert "Absent: Bob" in result.stdout and "Cyd (35 min)" in result.stdout
    absent = tmp_path / "csv" / f"attendance-{today.isoformat()}-absent.csv"
    with absent.open(encoding="utf-8-sig", newline="") as stream:
        assert list(csv.reader(stream)) == [["Date", "Name", "Person ID"],
                                            [today.isoformat(), "Bob", "2"]]
    book = load_workbook(tmp_path / "attendance.xlsx")
    assert [r[1] for r in book["Absent"].iter_rows(min_row=2, values_only=True)] == ["Bob"]


def test_report_of_a_month_without_events_says_so(tmp_path: Path) -> None:
    result = cli("report", "--month", "2020-02", "--data-dir", str(tmp_path))
    assert result.returncode == 1 and "No attendance events in February 2020" in result.stdout
    assert not list(tmp_path.glob("*.xlsx"))


def test_csv_keeps_formula_text_inert_and_names_readable(tmp_path: Path) -> None:
    from exports import AttendanceRow, write_csv_reports
    rows = [AttendanceRow(1, datetime(2026, 11, 2, 8, 0), "=HYPERLINK(\"x\")", 1, "Door", 0.4, "in"),
            AttendanceRow(2, datetime(2026, 11, 2, 8, 1), "Zoë Łukasz", 2, "Door", 0.4, "in")]
    days = [date(2026, 11, 2)]
    written = write_csv_reports(tmp_path, "t", rows, period_report(rows, [], days, None))

    events = tmp_path / "t-attendance.csv"
    assert events in written
    with events.open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream))
    assert lines[1][:2] == ["2026-11-02 08:00:00", "'=HYPERLINK(\"x\")"]
    assert lines[2][1] == "Zoë Łukasz"


# --- export ---------------------------------------------------------------------------


def test_export_writes_every_month_with_progress_and_since_selects_months(tmp_path: Path) -> None:
    days = fill_journal(tmp_path / "journal.sqlite3", 500, people=10, first=date(2026, 9, 1))
    assert {day.month for day in days} == {9, 10, 11}

    result = cli("export", "--data-dir", str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "Wrote 500 attendance rows to 3 workbooks" in result.stdout
    assert [line.split(":")[0].strip() for line in result.stderr.splitlines()] == [
        "attendance-2026-09.xlsx", "attendance-2026-10.xlsx", "attendance.xlsx"]
    journal = Journal(tmp_path / "journal.sqlite3")
    for name, month in (("attendance-2026-09.xlsx", "2026-09"),
                        ("attendance-2026-10.xlsx", "2026-10"), ("attendance.xlsx", "2026-11")):
        assert _ids(tmp_path / name) == _journal_ids(journal, month) != []
    september = (tmp_path / "attendance-2026-09.xlsx").read_bytes()

    partial = cli("export", "--since", "2026-10-15", "--data-dir", str(tmp_path))
    assert partial.returncode == 0 and "2 workbooks" in partial.stdout
    assert (tmp_path / "attendance-2026-09.xlsx").read_bytes() == september


def test_export_since_after_the_last_event_leaves_the_workbooks(tmp_path: Path) -> None:
    fill_journal(tmp_path / "journal.sqlite3", 20, people=10, first=date(2026, 9, 1))
    assert cli("export", "--data-dir", str(tmp_path)).returncode == 0
    before = (tmp_path / "attendance.xlsx").read_bytes()

    result = cli("export", "--since", "2026-10-01", "--data-dir", str(tmp_path))

    assert result.returncode == 1 and "left as they are" in result.stderr
    assert result.stderr.startswith("error: ")
    assert (tmp_path / "attendance.xlsx").read_bytes() == before


# --- the journal answers from its index ----------------------------------------------


def _plan(path: Path, sql: str, *args: object) -> str:
    with closing(sqlite3.connect(path)) as db:
        return " ".join(row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", args))


def test_todays_and_a_months_events_are_read_through_the_time_index(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    fill_journal(path, 2_000, people=100)
    journal = Journal(path)
    day = journal.events()[-1].timestamp.date()

    today = journal.events_on(day)

    assert len(today) == 100 and all(e.timestamp.date() == day for e in today)
    assert [e.event_id for e in today] == sorted(e.event_id for e in today)
    plan = _plan(path, "SELECT * FROM events INDEXED BY events_by_time"
                       " WHERE timestamp >= ? AND timestamp < ? ORDER BY id", "a", "b")
    assert "USING INDEX events_by_time" in plan
    assert _plan(path, "SELECT * FROM events WHERE id > ? ORDER BY id", 5).count("SCAN") == 0


def test_start_time_setting_is_checked(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("attendance:\n  start_time: \"8h30\"\n")
    result = cli("people", "--config", str(config), "--data-dir", str(tmp_path))
    assert result.returncode == 1
    assert "line 2" in result.stderr and "attendance.start_time" in result.stderr
    assert "HH:MM" in result.stderr



def test_export_keeps_a_workbook_whose_rows_the_journal_lacks(tmp_path: Path) -> None:
    """The journal was deleted: exporting again must not wipe the workbook's rows."""
    fill_journal(tmp_path / "journal.sqlite3", 30, people=10, first=date(2026, 11, 2))
    assert cli("export", "--data-dir", str(tmp_path)).returncode == 0
    before = (tmp_path / "attendance.xlsx").read_bytes()
    (tmp_path / "journal.sqlite3").unlink()

    result = cli("export", "--data-dir", str(tmp_path))

    assert result.returncode == 0, result.stderr
    kept = list(tmp_path.glob("attendance.replaced-*.xlsx"))
    assert len(kept) == 1 and kept[0].read_bytes() == before
    assert "kept it as" in result.stderr and "\n" not in result.stderr.strip().splitlines()[0]
    assert ExcelWorkbook(tmp_path / "attendance.xlsx").read_rows() == []


def test_export_since_a_future_date_is_an_error(tmp_path: Path) -> None:
    tomorrow = date.today() + timedelta(days=1)
    result = cli("export", "--since", tomorrow.isoformat(), "--data-dir", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: --since") and "future" in result.stderr
    assert not list(tmp_path.glob("*.xlsx"))
