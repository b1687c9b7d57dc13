"""The `export` command: every month written with progress, --since selecting months, a
workbook whose rows the journal lacks kept, and a --since after the last event or in the
future refused. The real command line in a child process on real files.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from attendance_app.records.journal import Journal
from exports import ExcelWorkbook
from tests.support.faults_support import cli
from tests.support.journals import fill_journal, journal_ids, workbook_ids


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
        assert workbook_ids(tmp_path / name) == journal_ids(journal, month) != []
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
