"""One attendance workbook file: an export of the journal that can always be rebuilt.

A workbook is always written whole from the journal's events of its period, never
edited in place, so exporting the same events twice can never duplicate a row, and every
row carries its journal event id. The file is replaced atomically, and a file that is not
ours is never touched: it is reported, and the caller may move it aside and rebuild.
"""

from __future__ import annotations

import errno
import gc
import os
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.writer.excel import ExcelWriter

from exports.atomic import replace_atomically
from exports.audit import AuditLine
from exports.errors import WorkbookBusy, WorkbookCorrupt, WorkbookError, WorkbookLocked
from exports.owner_only import tighten
from exports.printing import DEFAULT_SITE
from exports.reports import PeriodReport, period_report
from exports.rows import AttendanceRow
from exports.save_lock import FolderBusy
from exports.sheet_cache import SheetCache
from exports.sheets import build_workbook, read_rows
from exports.tables import Table
from exports.words import _
from exports.zip_parts import PartArchive


class ExcelWorkbook:
    """The .xlsx file at `path`: the Attendance sheet of one period plus its reports."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def write(self, rows: Iterable[AttendanceRow], report: PeriodReport | None = None,
              site: str = DEFAULT_SITE, audit: Sequence[AuditLine] | None = None,
              first: Sequence[Table] = (), cache: SheetCache | None = None) -> int:
        """Replace the workbook with one holding exactly `rows` and `report` (and with
        `audit`, an Audit sheet of the corrections; `first`, tables before the others;
        `cache`: this file's sheets as this process last wrote them, exports.sheet_cache);
        returns rows. Its printed pages are headed with `site` (exports.printing).

        Without a report, the reports cover the days the rows fall on, with nobody
        enrolled (so nobody is absent) and no start time. The existing file is not read,
        so this works even over a damaged one; callers move that aside first
        (move_aside) if its contents might still be wanted.
        """
        self.check_replaceable()
        rows = list(rows)
        if report is None:
            report = period_report(rows, [], sorted({row.timestamp.date() for row in rows}), None)
        self._save(lambda: build_workbook(rows, report, site, audit, first, cache), cache)
        return len(rows)

    def read_rows(self) -> list[AttendanceRow]:
        """The Attendance rows in sheet order; empty if there is no workbook (yet, or any
        more: another process may have moved it aside a moment ago)."""
        stream = self._open_stream()
        if stream is None:
            return []
        with stream:
            try:
                # Read from the open file so openpyxl does not judge it by its extension.
                book = load_workbook(stream, read_only=True)
                try:
                    return read_rows(book)
                finally:
                    book.close()
            # A damaged file surfaces as any of a dozen exception types from zipfile,
            # the XML parser and openpyxl itself; all mean "not a workbook of ours".
            except Exception as error:
                raise WorkbookCorrupt(_(
                    "workbook {path} is damaged or not an attendance workbook: move it aside "
                    "or delete it; the app rebuilds it from the journal").format(path=self.path)
                ) from error

    def check_replaceable(self) -> None:
        """Refuse early, before any work, if the file or its folder may not be replaced,
        or a spreadsheet program has it open."""
        folder = self.path.parent
        if not folder.is_dir():
            raise WorkbookError(_(
                "folder {folder} for workbook {name} does not exist: create it or choose "
                "another workbook path; rows are kept and written on the next save").format(
                folder=folder, name=self.path.name))
        if _marked_read_only(folder):
            raise WorkbookLocked(_(
                "folder {folder} of workbook {name} is read-only: make it writable; rows are "
                "kept and written on the next save").format(folder=folder, name=self.path.name))
        if self.path.exists() and _marked_read_only(self.path):
            raise self._locked()
        lock = open_elsewhere(self.path)
        if lock is not None:
            raise WorkbookLocked(_(
                "workbook {path} is open in a spreadsheet program (lock file {lock}): close it "
                "there, or delete {lock} if no program has it open; rows are kept and written "
                "on the next save").format(path=self.path, lock=lock.name))

    def _open_stream(self) -> BinaryIO | None:
        """The file opened for reading; None if there is none."""
        try:
            return self.path.open("rb")
        except FileNotFoundError:
            return None
        except PermissionError as error:
            raise self._locked() from error
        except OSError as error:
            raise WorkbookError(_(
                "workbook {path} cannot be opened ({error}): check that it is a file; rows are "
                "kept and written on the next save").format(path=self.path,
                                                           error=error.strerror)) from error

    def _save(self, build: Callable[[], Workbook], cache: SheetCache | None = None) -> None:
        """Atomically replace the file with the workbook `build` makes, turning OS errors
        into workbook errors.

        The workbook is serialised in memory first, so a value openpyxl refuses fails
        before any file is created.
        """
        buffer = BytesIO()
        try:
            _serialise(build, buffer, cache)
            replace_atomically(self.path, buffer.getvalue())
        except PermissionError as error:
            raise self._locked() from error
        except FolderBusy as error:
            raise WorkbookBusy(_(
                "workbook {path} is busy: {error}; try again in a moment; rows are kept and "
                "written on the next save").format(path=self.path, error=error.strerror)
            ) from error
        except OSError as error:
            raise WorkbookError(_(
                "workbook {path} could not be saved ({error}): check free disk space and the "
                "path; rows are kept and written on the next save").format(
                path=self.path, error=error.strerror)) from error

    def _locked(self) -> WorkbookLocked:
        """The error for a workbook that exists but may not be read or replaced now."""
        return WorkbookLocked(_("workbook {path} is locked (open in another program?): close "
                                "it; rows are kept and written on the next save").format(
                                    path=self.path))


def _os_error_behind(error: BaseException) -> OSError | None:
    """The OS error behind a failed save, or None if it is not one. openpyxl writes with
    lxml when it is installed, and lxml reports a write the OS refused as its own
    SerialisationError ("IO_ENOSPC", "IO_EFBIG"), or, closing the broken stream after it,
    as an LxmlSyntaxError whose context is that error; the chain is searched for either."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError):
            return seen
        message = str(seen)
        if type(seen).__module__ == "lxml.etree" and message.startswith("IO_"):
            code = getattr(errno, message.removeprefix("IO_"), errno.EIO)
            return OSError(code, os.strerror(code))
        seen = seen.__cause__ or seen.__context__
    return None


def _save_book(book: Workbook, buffer: BytesIO, cache: SheetCache | None) -> None:
    """What book.save(buffer) does (the time it was modified, openpyxl's writer), with
    the parts compressed at zip_parts.ZIP_LEVEL, the sheets' rows in pieces when `cache`
    kept them (exports.zip_parts)."""
    archive = PartArchive(buffer, {} if cache is None else cache.parts, allowZip64=True)
    book.properties.modified = datetime.now(UTC).replace(tzinfo=None)
    try:
        ExcelWriter(book, archive).save()  # closes the archive
        if cache is not None and cache.parts:  # their files hold a marker, not the rows
            raise RuntimeError(f"sheets {sorted(cache.parts)} were not written from memory")
    except BaseException:
        if cache is not None:
            cache.forget()
        raise


def _serialise(build: Callable[[], Workbook], buffer: BytesIO,
               cache: SheetCache | None = None) -> None:
    """build().save(buffer), quietly failing on a full disk.

    openpyxl spools each write-only sheet through a temporary file as rows are added,
    so even an in-memory save can meet a full disk. The half-written sheet streams it abandons then print tracebacks
    when garbage-collected; they are collected here, with that report silenced, so the
    user sees only the one-line error.
    """
    try:
        try:
            _save_book(build(), buffer, cache)
        except Exception as error:
            failure = _os_error_behind(error)
            if failure is None:
                raise
            raise failure from error
    except OSError as error:
        report = sys.unraisablehook
        sys.unraisablehook = lambda unraisable: None
        try:
            chained: BaseException | None = error
            while chained is not None:  # lxml's error behind it holds the streams' frames too
                chained.__traceback__ = None
                chained = chained.__cause__ or chained.__context__
            gc.collect()
        finally:
            sys.unraisablehook = report
        raise


def move_aside(path: Path, reason: str = "corrupt") -> Path:
    """Rename a workbook about to be replaced to <stem>.<reason>-YYYYmmdd-HHMMSS<suffix>.

    Used for a damaged workbook ("corrupt") and for one holding rows the journal does not
    have ("replaced"): the user's data may still be wanted, so it is never overwritten,
    and a counter is added if that name is taken. (Only this function makes such names,
    so checking before renaming is enough; POSIX rename itself would overwrite.) Returns
    the new path.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{reason}-{stamp}{path.suffix}")
    attempt = 1
    while target.exists():
        attempt += 1
        target = path.with_name(f"{path.stem}.{reason}-{stamp}-{attempt}{path.suffix}")
    try:
        path.rename(target)
        tighten(target)  # the copy keeps people's rows: owner-only, as the workbook
    except OSError as error:
        raise WorkbookError(_("workbook {path} cannot be moved aside ({error}): move or "
                              "delete it by hand").format(path=path, error=error.strerror)
                            ) from error
    return target


def open_elsewhere(path: Path) -> Path | None:
    """The lock file a spreadsheet program keeps beside `path` while it has it open, if any.

    LibreOffice writes `.~lock.<name>#`; Excel writes `~$<name>` (with the name's first
    two characters dropped when it is long), also on network shares seen from Linux.
    Replacing the file under such a program would leave its user editing a stale copy
    that overwrites ours when saved, so the save waits instead. A lock left by a crashed
    program is removed by that program's next start, or by hand (the warning says so).
    """
    for name in (f".~lock.{path.name}#", f"~${path.name}", f"~${path.name[2:]}"):
        lock = path.with_name(name)
        if lock.is_file():
            return lock
    return None


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
