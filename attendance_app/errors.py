"""Problems a person must act on: the one root of the errors a person can fix, and the
convention for warnings that must reach the window as well as the terminal.

Errors. AttendanceError is the root of the errors a person can fix: a bad setting, a
missing camera, an unreadable photo, a locked workbook. The command line reports any of
them in one line (`error: ...`, exit code 1) and lets every other exception show its
traceback, because that one is a bug.

This module imports only the standard library, so that every layer can use it.

The independent libraries (enrolment, exports) import nothing of attendance_app (DESIGN.md,
checked by the import-linter contracts in pyproject.toml), so their errors cannot derive
from AttendanceError; `library_errors_reported` turns them into one at the command line's
edge.

Warnings, one convention for the window and the terminal. The app says what went wrong with plain `log.warning(...)` (workbook locked, server
unreachable, a file moved aside); the terminal prints it, and the window shows every
WARNING record of the app's loggers in its notice area (gui/notices.py), whoever logged
it and from whichever thread, so a new warning needs nothing more to be seen there.

Some problems end by themselves (the workbook is closed in Excel, the server answers
again), and their notice must then go. For those, tag the warning and its recovery with
the same key, through `extra`:

    log.warning("%s", message, extra=notice("workbook", path))
    log.info("workbook %s is writable again", path, extra=resolves("workbook", path))

A tagged warning replaces the notice with the same key (one notice per problem, however
often it is logged); a record that `resolves` a key removes that notice; it is information (log.info), not a
warning. An untagged warning is its own key: shown once, dismissed by the user. The
record's level is the notice's: log.info(..., extra=notice(...)) is information,
log.warning a warning, log.error(..., extra=notice(...)) an error.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager


class AttendanceError(Exception):
    """An error whose message alone tells the person what to do; never a bug."""


LIBRARY_ERRORS = (("enrolment.values", "StoreError"), ("exports.errors", "WorkbookError"))
"""(module, class) of the independent libraries' errors a person can fix (a name already
taken, a workbook open in Excel). Named, not imported: a command that never loaded the
library cannot have raised its error, and need not load it to catch it."""


def _library_error(error: Exception) -> bool:
    for module_name, class_name in LIBRARY_ERRORS:
        module = sys.modules.get(module_name)
        if module is not None and isinstance(error, getattr(module, class_name)):
            return True
    return False


@contextmanager
def library_errors_reported() -> Iterator[None]:
    """Raise the libraries' own expected errors (LIBRARY_ERRORS) as an AttendanceError with
    the same message, chained to the original; every other exception passes unchanged."""
    try:
        yield
    except AttendanceError:
        raise
    except Exception as error:
        if not _library_error(error):
            raise
        raise AttendanceError(str(error)) from error


APP_LOGGERS = ("attendance_app", "enrolment", "exports", "trackers")
"""The top-level packages whose warnings are the app's (not a library's)."""


def notice(*parts: object) -> dict[str, object]:
    """`extra` for a warning about a problem that can end, named by `parts` (e.g. the
    kind of problem and the file or server it is about)."""
    return {"notice": ":".join(str(part) for part in parts)}


def resolves(*parts: object) -> dict[str, object]:
    """`extra` for the record saying the problem `notice(*parts)` named has ended."""
    return {**notice(*parts), "resolved": True}


def is_app_warning(record: logging.LogRecord) -> bool:
    """Whether `record` is a notice of the app that the user should see: any warning of
    its loggers, and a tagged information or error (`notice`/`resolves`), such as "the
    workbook is writable again". Untagged errors are the worker's failures, which the
    window reports on its own."""
    if record.name.split(".", 1)[0] not in APP_LOGGERS:
        return False
    tagged = isinstance(getattr(record, "notice", None), str)
    return record.levelno == logging.WARNING or (
        tagged and record.levelno in (logging.INFO, logging.ERROR))


def key_of(record: logging.LogRecord) -> str:
    """The notice `record` is about: its tag, else its own text."""
    tag = getattr(record, "notice", None)
    return tag if isinstance(tag, str) else record.getMessage()


def resolves_notice(record: logging.LogRecord) -> bool:
    """Whether `record` says its notice's problem has ended."""
    return getattr(record, "resolved", False) is True
