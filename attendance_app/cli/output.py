"""How every command speaks to people: warnings and failures as one line on stderr, the
commands it suggests as they must be typed here, and names lined up in a terminal.

Imports nothing of the app but its log file (a few standard modules), so each command
module can use it without loading more; what it prints to people is in the log too."""

from __future__ import annotations

import logging
import os
import sys
import unicodedata

from attendance_app.app.log_file import file_only


def warn(message: str) -> None:
    """One line on stderr about something that went wrong while the command still did its
    job (a photo skipped among others); on stderr, so it is not mixed into output people
    may pipe elsewhere."""
    from attendance_app.i18n import _

    print(_("warning: {message}").format(message=message), file=sys.stderr, flush=True)
    file_only(logging.WARNING, f"warning: {message}")


def fail(message: str) -> None:
    """One line on stderr saying why the command did not do its job (it exits with 1)."""
    from attendance_app.i18n import _

    print(_("error: {message}").format(message=message), file=sys.stderr, flush=True)
    file_only(logging.ERROR, f"error: {message}")


def as_typed(arguments: str) -> str:
    """`attendance-app ARGUMENTS` as it must be typed here: through `uv run` when the app was
    started that way (uv sets UV for the programs it runs), so a printed hint can be copied
    and run as it is."""
    return f"{'uv run ' if os.environ.get('UV') else ''}attendance-app {arguments}"


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (CJK) characters take two, combining marks
    none, so names in Chinese, Japanese or Korean keep the table in line."""
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def padded(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` terminal columns."""
    return text + " " * max(0, width - display_width(text))
