"""How a sheet prints: a title and page numbers on every page, the header row (and the
Timesheet's name columns) repeated, the page turned and scaled so the text stays readable.

People print the month's sheets to sign, pin up or file, often from LibreOffice or Excel
with no setting changed, so the page setup is written into the workbook itself. The
header says whose and which sheet it is (site, sheet, month or day); the footer numbers
the pages ("Page 2 of 5"), so a dropped pile can be put back in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break

from exports.page_layout import (
    MARGIN_END,
    MARGIN_HEADER,
    MARGIN_SIDE,
    SMALLEST_SCALE,
    TimesheetPaging,
    fitting_scale,
    is_wide,
)

DEFAULT_SITE = "Attendance"
_LAST_ROW, _LAST_COLUMN = 1_048_575, 16_383  # a break runs across the whole sheet


@dataclass(frozen=True)
class Heading:
    """What every printed page is headed with: the site and the period's words."""

    site: str
    period: str

    @classmethod
    def of(cls, site: str, days: Sequence[date]) -> Heading:
        """The heading of a report over `days`: one day in full ("Friday 4 December
        2026"), a calendar month as "December 2026", any other run first to last."""
        return cls(site.strip() or DEFAULT_SITE, period_words(days))


def period_words(days: Sequence[date]) -> str:
    """The period `days` cover, as a reader would write it at the top of a page."""
    if not days:
        return ""
    first, last = min(days), max(days)
    if first == last:
        return f"{first:%A} {first.day} {first:%B %Y}"
    if (first.year, first.month) == (last.year, last.month) and first.day == 1 \
            and (last + timedelta(days=1)).day == 1:
        return f"{first:%B %Y}"
    return f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"


def _escaped(text: str) -> str:
    """Text shown as written in a header: '&' starts a code there, '&&' is an '&'."""
    return text.replace("&", "&&")


def _frame(sheet: WriteOnlyWorksheet, heading: Heading) -> None:
    """Header, footer, margins, grid lines and the header row on every page."""
    header = sheet.HeaderFooter.oddHeader
    header.left.text, header.left.font = _escaped(heading.site), "-,Bold"
    header.center.text = _escaped(f"{sheet.title} · {heading.period}")
    header.right.text = "Printed &D"
    sheet.HeaderFooter.oddFooter.center.text = "Page &P of &N"
    margins = sheet.page_margins
    margins.left = margins.right = MARGIN_SIDE
    margins.top = margins.bottom = MARGIN_END
    margins.header = margins.footer = MARGIN_HEADER
    sheet.print_options.gridLines = True
    sheet.print_title_rows = "1:1"


def print_fitted(sheet: WriteOnlyWorksheet, widths: Sequence[float], heading: Heading,
                 printed: int | None = None) -> None:
    """Set up a list sheet: its first `printed` columns (all when None; the columns after
    them are for checking, not for reading, and stay on screen only), landscape when they
    are wider than a portrait page, as many pages down as its rows need.

    They are fitted to one page's width when that keeps the text SMALLEST_PRINTED_POINTS
    or larger; a list too wide for that (the Attendance sheet with a void's reason, a
    correction and the estimates) prints at that smallest size instead, its columns
    running on to a second page across, with the first two (when and who) repeated there,
    which follows the first.
    Call before the sheet's first row is written (the fit flag is written with its top)."""
    _frame(sheet, heading)
    shown = list(widths[:printed] if printed is not None else widths)
    if len(shown) < len(widths):
        sheet.print_area = f"A1:{get_column_letter(len(shown))}{_LAST_ROW + 1}"
    landscape = is_wide(shown)
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    if fitting_scale(shown, landscape) >= SMALLEST_SCALE:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        return
    sheet.page_setup.scale = SMALLEST_SCALE
    sheet.page_setup.pageOrder = "overThenDown"  # a page's last columns follow it
    sheet.sheet_properties.pageSetUpPr.fitToPage = False
    sheet.print_title_cols = "A:B"


def print_paged(sheet: WriteOnlyWorksheet, paging: TimesheetPaging, heading: Heading) -> None:
    """Set up the Timesheet: landscape at paging's scale, with its breaks, the header row
    and the columns saying who (name, person, and group at a site with groups) on every
    page, pages read across then down (so a page of people's first half of the month is
    followed by their second half). Fit-to-page is off: it would shrink the text and
    spreadsheet programs ignore set breaks under it."""
    _frame(sheet, heading)
    sheet.print_title_cols = f"A:{get_column_letter(paging.names)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.scale = paging.scale
    sheet.page_setup.pageOrder = "overThenDown"
    sheet.sheet_properties.pageSetUpPr.fitToPage = False
    for row in paging.row_breaks:
        sheet.row_breaks.append(Break(id=row, max=_LAST_COLUMN))
    for column in paging.column_breaks:
        sheet.col_breaks.append(Break(id=column, max=_LAST_ROW))

