"""A month's workbook is not written again when the file is as the app saved it from the
same inputs (records.workbook_inputs): `report --day` at a big site rewrote 111,000 rows
only to print a day. Any change to what the workbook shows (a row, a void, a name, the
hours, the site's name) or to the file itself writes it again, and `export` always does.

Real SQLite journals and real .xlsx files; "not written" is told by the file's inode and
modification time, which any save (a new file renamed into place) changes.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import load_workbook

from attendance_app.records.journal import Journal
from attendance_app.records.workbook_inputs import canonical
from attendance_app.records.workbook_sync import WorkbookSync
from exports import RosterEntry
from exports.hours import EVERY_DAY, Hours, NamedGroup, Schedule
from attendance_app.types import Void
from tests.support.journals import arrival

NOVEMBER = "2026-11"


def _state(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns


def _door(journal: Journal, path: Path, names: dict[int, str], grace: int = 0,
          site: str = "School") -> WorkbookSync:
    """A WorkbookSync as a new process builds one, reading names and hours as they are."""
    schedule = Schedule.of_groups(Hours(EVERY_DAY, time(8, 30), grace), [
        NamedGroup("Class", Hours(EVERY_DAY, time(8, 0), grace), frozenset({1, 2}))])
    return WorkbookSync(journal, path,
                        lambda: [RosterEntry(key, name, date(2026, 9, 1))
                                 for key, name in names.items()],
                        lambda: schedule, site)


def test_a_month_saved_from_the_same_inputs_is_not_written_again(
        journal: Journal, tmp_path: Path) -> None:
    names = {1: "Ada", 2: "Bob"}
    for person in (1, 2):
        journal.record(arrival(datetime(2026, 11, 2, 8, person), person))
    main = tmp_path / "attendance.xlsx"
    assert _door(journal, main, names).flush()  # the door's save
    saved = _state(main)

    path, rows = _door(journal, main, names).write_month(NOVEMBER)  # `report`, another process
    assert (path, rows, _state(main)) == (main, 2, saved)

    for change in ({"names": {1: "Ada Lovelace", 2: "Bob"}}, {"grace": 5},
                   {"site": "Example School"}):
        door = _door(journal, main, **{"names": names, **change})
        door.write_month(NOVEMBER)
        assert _state(main) != saved, change
        saved = _state(main)
        door.write_month(NOVEMBER)  # and then, from the same inputs, not again
        assert _state(main) == saved, change
    assert load_workbook(main)["Attendance"]["B2"].value == "Ada"  # the last names given

    journal.record(arrival(datetime(2026, 11, 3, 8, 0), 1))  # a new row
    _door(journal, main, names, site="Example School").write_month(NOVEMBER)
    assert _state(main) != saved
    saved = _state(main)
    journal.void(1, Void(datetime(2026, 11, 3, 9, 0), "secretary", "someone else"))
    _door(journal, main, names, site="Example School").write_month(NOVEMBER)
    assert _state(main) != saved


def test_a_file_changed_since_the_save_or_an_export_is_written_again(
        journal: Journal, tmp_path: Path) -> None:
    names = {1: "Ada"}
    journal.record(arrival(datetime(2026, 11, 2, 8, 0), 1))
    main = tmp_path / "attendance.xlsx"
    assert _door(journal, main, names).flush()
    saved = _state(main)
    os.utime(main, ns=(saved[1], saved[1] + 1_000_000_000))  # opened and saved elsewhere
    _door(journal, main, names).write_month(NOVEMBER)
    assert _state(main) != saved
    saved = _state(main)
    _door(journal, main, names).export()  # the repair command rewrites whatever it finds
    assert _state(main) != saved


def test_sets_and_mappings_count_by_content_not_by_the_order_they_were_built_in() -> None:
    one = {"b": frozenset({3, 1, 2}), "a": [1, {2: "x", 1: "y"}]}
    other = {"a": [1, {1: "y", 2: "x"}], "b": frozenset([2, 3, 1])}
    assert repr(canonical(one)) == repr(canonical(other))
    assert repr(canonical(one)) != repr(canonical({**other, "b": frozenset({1, 2})}))
