"""The one root of the errors a person can fix: a bad setting, a missing camera, an
unreadable photo, a locked workbook. The command line reports any of them in one line
(`error: ...`, exit code 1) and lets every other exception show its traceback, because
that one is a bug.

This module imports nothing, so that every layer can derive its errors from it.

The independent libraries (enrolment, exports) import nothing of attendance_app (DESIGN.md,
checked by the import-linter contracts in pyproject.toml), so their errors cannot derive
from AttendanceError; `library_errors_reported` turns them into one at the command line's
edge.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


class AttendanceError(Exception):
    """An error whose message alone tells the person what to do; never a bug."""


LIBRARY_ERRORS = (("enrolment.store", "StoreError"), ("exports.errors", "WorkbookError"))
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
