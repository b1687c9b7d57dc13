"""The tables' words and formats in the workbook's language and region (issue 27, point 3).

exports.tables keeps its sheet names, column titles and the reports' own words in English
(N_: marked for the catalog); a table is made in the language of the moment, through
these helpers, when a workbook or CSV file is written. What the app reads back (the
Event column's "in"/"out") is read in any shipped language (exports.words.every_language).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from exports.reports import ABSENT_DAY, CLOSED, LEAVE
from exports.words import N_, _, date_number_format, day_name, every_language, time_number_format

DAY, MOMENT, CLOCK = "[date]", "[date and time]", "[time]"
"""A column's number format for a date, a date and time, a time of day: the region's
(exports.words), chosen when a table is made (shown)."""
DAY_WORDS = {
    # Translators: a Timesheet day a person was expected and did not come (a short word).
    ABSENT_DAY: N_("absent"),
    # Translators: a Timesheet day a person was on leave (excused; a short word).
    LEAVE: N_("leave"),
    # Translators: a Timesheet day the site or the person's group was closed (a short word).
    CLOSED: N_("closed"),
}
# Translators: the Event column of an Attendance row: the person came in, or went out.
_KINDS = {"in": N_("in"), "out": N_("out")}


@dataclass(frozen=True)
class Column:
    """A column's title, its width in characters and how its values are shown; `note`
    explains the column to readers (a comment on its header cell); `wrap`: its text
    wraps within the width (long words, such as a void's reason, print whole);
    `on_paper`: False for a column for checking, not for reading, left off the printed
    pages (such columns come last); `stacked`: a separator the sheet shows as a line
    break, so "08:12–16:30" prints as 08:12 above 16:30 in a narrow column (a CSV file
    keeps the text as it is)."""

    title: str
    width: float
    number_format: str = "General"
    note: str = ""
    wrap: bool = False
    on_paper: bool = True
    stacked: str = ""


def shown(columns: Sequence[Column]) -> tuple[Column, ...]:
    """`columns` as the workbook shows them now: titles and notes in its language, dates
    and times in its region's number formats. Tables are made when a workbook is written,
    so a language chosen at start (or changed since) is the one its sheets show. A column
    is as wide as its translated title (bold: two more), and holds its dates ("12/31/2026
    11:59:59 PM" is as long as its format), so no header is cut and no date shows ####."""
    found = []
    for column in columns:
        title, shown_format = _(column.title), number_format(column.number_format)
        width = column.width if title == column.title else max(column.width, len(title) + 2)
        if shown_format != column.number_format:
            width = max(width, len(shown_format) + 1)
        found.append(replace(column, title=title, width=width, number_format=shown_format,
                             note=_(column.note) if column.note else ""))
    return tuple(found)


def number_format(kind: str) -> str:
    """The Excel number format for DAY, MOMENT or CLOCK in the region now; any other
    format as it is."""
    if kind == DAY:
        return date_number_format()
    if kind == MOMENT:
        return f"{date_number_format()} {time_number_format(seconds=True)}"
    if kind == CLOCK:
        return time_number_format(seconds=True)
    return kind


def kind_text(kind: str) -> str:
    """An event's kind ("in", "out") as the Attendance sheet shows it."""
    return _(_KINDS[kind]) if kind in _KINDS else kind


def kind_read(text: str) -> str:
    """An Event cell read back, in whichever language it was written: "in" or "out"."""
    for kind in _KINDS:
        if text in every_language(kind):
            return kind
    return text


def timesheet_legend() -> str:
    """What a Timesheet day cell may hold: the note on its Name header."""
    return _('Each day: the first arrival ("08:12", or "08:12–16:30" with the last departure); '
             '"{absent}": expected and did not come; "{leave}": on leave (excused; the Absent '
             'sheet says why); "{closed}": the site or the person\'s group was closed (a closed '
             "day's header note names it); empty: not expected.").format(
        absent=_(DAY_WORDS[ABSENT_DAY]), leave=_(DAY_WORDS[LEAVE]),
        closed=_(DAY_WORDS[CLOSED]))


def printed_legend() -> str:
    """The Timesheet's legend at the foot of its printed pages (a header's text is short)."""
    return _("{absent}: expected, did not come · {leave}: on leave (excused) · {closed}: a "
             "closed day · empty: not expected").format(
        absent=_(DAY_WORDS[ABSENT_DAY]), leave=_(DAY_WORDS[LEAVE]),
        closed=_(DAY_WORDS[CLOSED]))


def day_title(day: date) -> str:
    """A Timesheet day's column title: its week day, short, and its day of the month."""
    # Translators: a Timesheet column's title, e.g. "Mon 02": keep it short.
    return _("{weekday} {day:02d}").format(weekday=day_name(day, "abbreviated"), day=day.day)


def day_text(text: str) -> str:
    """A Timesheet day cell in the workbook's language ("08:12" stays as it is)."""
    return _(DAY_WORDS[text]) if text in DAY_WORDS else text
