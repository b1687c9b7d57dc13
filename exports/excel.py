"""The attendance workbook: an export of the journal that can always be rebuilt.

Every row carries its journal event id and only ids past the largest one already in
the sheet are added, so exporting the same events twice never duplicates a row. The
file is replaced atomically, never edited in place, and a file that is not ours is
never touched: it is reported, and the caller may move it aside and rebuild.
"""

from __future__ import annotations

import gc
import os
import stat
import sys
from collections.abc import Iterable
from datetime import datetime
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook, load_workbook

from exports.atomic import replace_atomically
from exports.errors import WorkbookCorrupt, WorkbookError, WorkbookLocked
from exports.rows import AttendanceRow
from exports.sheets import append_rows, new_workbook, read_rows, write_summary
from exports.summary import daily_summary

_RETRY = "rows are kept and written on the next save"


class ExcelWorkbook:
    """The .xlsx file at `path`: an Attendance sheet plus a Daily summary sheet."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def append(self, rows: Iterable[AttendanceRow]) -> int:
        """Add the rows newer than the workbook's last event id; returns how many.

        Starts a new workbook if there is none. When nothing is new the file is not
        rewritten, so an up-to-date workbook can stay open in a viewer.
        """
        self._check_replaceable()
        book, existing = self._load() if self.path.exists() else (new_workbook(), [])
        last = max((row.event_id for row in existing), default=0)
        new = [row for row in rows if row.event_id > last]
        if not new:
            return 0
        append_rows(book, new)
        write_summary(book, daily_summary([*existing, *new]))
        self._save(book)
        return len(new)

    def rebuild(self, rows: Iterable[AttendanceRow]) -> int:
        """Replace the workbook with one holding exactly `rows`; returns how many.

        The existing file is not read, so this works even over a damaged one; callers
        move that aside first (move_aside) if its contents might still be wanted.
        """
        self._check_replaceable()
        rows = list(rows)
        book = new_workbook()
        append_rows(book, rows)
        write_summary(book, daily_summary(rows))
        self._save(book)
        return len(rows)

    def last_event_id(self) -> int:
        """The largest event id in the workbook, 0 if there is no workbook yet."""
        return max((row.event_id for row in self.read_rows()), default=0)

    def read_rows(self) -> list[AttendanceRow]:
        """The Attendance rows in sheet order; empty if there is no workbook yet."""
        return self._load()[1] if self.path.exists() else []

    def _check_replaceable(self) -> None:
        """Refuse early, before any work, if the file or its folder may not be replaced."""
        folder = self.path.parent
        if not folder.is_dir():
            raise WorkbookError(f"folder {folder} for workbook {self.path.name} does not exist: "
                                f"create it or choose another workbook path; {_RETRY}")
        if _marked_read_only(folder):
            raise WorkbookLocked(f"folder {folder} of workbook {self.path.name} is read-only: "
                                 f"make it writable; {_RETRY}")
        if self.path.exists() and _marked_read_only(self.path):
            raise self._locked()

    def _load(self) -> tuple[Workbook, list[AttendanceRow]]:
        """Open the existing file and read its rows; WorkbookCorrupt if it is not ours."""
        try:
            stream = self.path.open("rb")
        except PermissionError as error:
            raise self._locked() from error
        except OSError as error:
            raise WorkbookError(f"workbook {self.path} cannot be opened ({error.strerror}): "
                                f"check that it is a file; {_RETRY}") from error
        with stream:
            try:
                # Read from the open file so openpyxl does not judge it by its extension.
                book = load_workbook(stream)
                return book, read_rows(book)
            # A damaged file surfaces as any of a dozen exception types from zipfile,
            # the XML parser and openpyxl itself; all mean "not a workbook we can extend".
            except Exception as error:
                raise WorkbookCorrupt(
                    f"workbook {self.path} is damaged or not an attendance workbook: "
                    "move it aside or delete it; the app rebuilds it from the journal"
                ) from error

    def _save(self, book: Workbook) -> None:
        """Atomically replace the file with `book`, turning OS errors into workbook errors.

        The workbook is serialised in memory first, so a value openpyxl refuses fails
        before any file is created.
        """
        buffer = BytesIO()
        try:
            _serialise(book, buffer)
            replace_atomically(self.path, buffer.getvalue())
        except PermissionError as error:
            raise self._locked() from error
        except OSError as error:
            raise WorkbookError(f"workbook {self.path} could not be saved ({error.strerror}): "
                                f"check free disk space and the path; {_RETRY}") from error

    def _locked(self) -> WorkbookLocked:
        """The error for a workbook that exists but may not be read or replaced now."""
        return WorkbookLocked(f"workbook {self.path} is locked (open in another program?): "
                              f"close it; {_RETRY}")


def _serialise(book: Workbook, buffer: BytesIO) -> None:
    """book.save(buffer), quietly failing on a full disk.

    openpyxl spools each sheet through a temporary file, so even an in-memory save can
    meet a full disk. The half-written sheet streams it abandons then print tracebacks
    when garbage-collected; they are collected here, with that report silenced, so the
    user sees only the one-line error.
    """
    try:
        book.save(buffer)
    except OSError as error:
        report = sys.unraisablehook
        sys.unraisablehook = lambda unraisable: None
        try:
            error.__traceback__ = None
            gc.collect()
        finally:
            sys.unraisablehook = report
        raise


def move_aside(path: Path) -> Path:
    """Rename a damaged workbook to <stem>.corrupt-YYYYmmdd-HHMMSS<suffix>; returns the new path.

    The user's data may still be recoverable from it, so it is never overwritten: a
    counter is added if that name is taken. (Only this function makes such names, so
    checking before renaming is enough; POSIX rename itself would overwrite.)
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.corrupt-{stamp}{path.suffix}")
    attempt = 1
    while target.exists():
        attempt += 1
        target = path.with_name(f"{path.stem}.corrupt-{stamp}-{attempt}{path.suffix}")
    try:
        path.rename(target)
    except OSError as error:
        raise WorkbookError(f"damaged workbook {path} cannot be moved aside ({error.strerror}): "
                            "move or delete it by hand") from error
    return target


def _marked_read_only(path: Path) -> bool:
    """Whether `path` may not be written, or its owner has marked it read-only.

    On Windows, Excel locks an open workbook and the replace fails with PermissionError;
    on Linux nothing locks it, so users mark the file (or folder) read-only instead.
    os.access alone misses that when running as root (as in CI), which may write
    anything, so the owner-write bit is checked too. Windows sets the read-only flag
    on customised folders without making them read-only, so there folders are trusted
    to os.access.
    """
    if not os.access(path, os.W_OK):
        return True
    if os.name == "nt" and path.is_dir():
        return False
    return not path.stat().st_mode & stat.S_IWUSR
