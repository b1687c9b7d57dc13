"""A journal deleted, emptied or taken from another data folder never costs the workbook.

Issue 20: with `journal.sqlite3` missing, empty or foreign, the next `run` overwrote the
month's workbook (18 people became 1 after one arrival) with no copy and no word. Here
the fault is made for real (the file deleted, an empty journal, another folder's journal)
and a real `run --headless` on a real photo of an enrolled person logs one arrival: the
old workbook must be kept, every row of it, with one warning line naming the way back,
and `journal rebuild` must then bring its rows back beside the new one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from attendance_app.records.journal import Journal
from attendance_app.records.workbook_sync import WorkbookSync
from exports import AttendanceRow, ExcelWorkbook
from tests.support.faults_support import cli
from tests.support.journals import PUPILS, fill_this_morning


@pytest.fixture(scope="module")
def enrolled(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A face store with obama enrolled (made once: enrolling loads the face models)."""
    data = tmp_path_factory.mktemp("enrolled")
    result = cli("enrol", "obama", str(faces_dir / "enrol" / "obama" / "obama.jpg"),
                 "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    return data / "faces.sqlite3"


def rows(path: Path) -> list[AttendanceRow]:
    return ExcelWorkbook(path).read_rows()


def _journal_gone(journal: Path, elsewhere: Path) -> None:
    journal.unlink()


def _journal_empty(journal: Path, elsewhere: Path) -> None:
    journal.unlink()
    Journal(journal)


def _journal_foreign(journal: Path, elsewhere: Path) -> None:
    """Another data folder's journal, with three rows of its own (ids 1 to 3 again)."""
    fill_this_morning(Journal(elsewhere), 3, first_id=500, who="Visitor")
    shutil.copy(elsewhere, journal)


@pytest.mark.parametrize("fault", [_journal_gone, _journal_empty, _journal_foreign],
                         ids=["deleted", "empty", "foreign"])
def test_run_keeps_the_workbook_when_the_journal_was_lost(
        fault, enrolled: Path, faces_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(enrolled, data / "faces.sqlite3")
    workbook, journal = data / "attendance.xlsx", data / "journal.sqlite3"
    fill_this_morning(Journal(journal), PUPILS)
    assert WorkbookSync(Journal(journal), workbook).flush()
    before = workbook.read_bytes()
    assert len(rows(workbook)) == PUPILS

    fault(journal, tmp_path / "other.sqlite3")
    photo = faces_dir / "probe" / "obama" / "obama1.jpg"
    result = cli("run", "--headless", "--source", str(photo), "--data-dir", str(data))

    assert result.returncode == 0, result.stderr
    assert " IN " in result.stdout, result.stdout
    kept = list(data.glob("attendance.replaced-*.xlsx"))
    assert len(kept) == 1 and kept[0].read_bytes() == before, "the old workbook, byte for byte"
    assert len(rows(kept[0])) == PUPILS
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1, result.stderr
    assert kept[0].name in warnings[0] and "journal rebuild" in warnings[0]
    logged = Journal(journal).events()
    assert [(row.event_id, row.name) for row in rows(workbook)] == [
        (event.event_id, event.name) for event in logged]

    rebuilt = cli("journal", "rebuild", "--data-dir", str(data))  # the way back
    assert rebuilt.returncode == 0, rebuilt.stderr
    names = sorted(event.name for event in Journal(journal).events())
    assert names == sorted([f"Pupil {n}" for n in range(1, PUPILS + 1)]
                           + [event.name for event in logged])
    assert sorted(row.name for row in rows(workbook)) == names
