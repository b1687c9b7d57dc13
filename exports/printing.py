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
from exports.words import N_, _, day_name, month_name, standalone_month

DEFAULT_SITE = N_("Attendance")
"""The heading of printed pages when the site has no name (shown translated)."""
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
        return cls(site_heading(site), period_words(days))


def site_heading(site: str) -> str:
    """The site's name as printed pages are headed; "Attendance" in the workbook's
    language when the site has none."""
    return site.strip() or _(DEFAULT_SITE)


def period_words(days: Sequence[date]) -> str:
    """The period `days` cover, as a reader would write it at the top of a page."""
    if not days:
        return ""
    first, last = min(days), max(days)
    if first == last:
        # Translators: a one-day report's period, "Friday 4 December 2026".
        return _("{weekday} {day} {month} {year}").format(
            weekday=day_name(first), day=first.day, month=month_name(first), year=first.year)
    if (first.year, first.month) == (last.year, last.month) and first.day == 1 \
            and (last + timedelta(days=1)).day == 1:
        # Translators: a month's report's period, "December 2026".
        return _("{month} {year}").format(month=standalone_month(first), year=first.year)
    # Translators: a report's period, "1 December 2026 to 4 January 2027".
    return _("{first_day} {first_month} {first_year} to {last_day} {last_month} "
             "{last_year}").format(first_day=first.day, first_month=month_name(first),
                                   first_year=first.year, last_day=last.day,
                                   last_month=month_name(last), last_year=last.year)


def _escaped(text: str) -> str:
    """Text shown as written in a header: '&' starts a code there, '&&' is an '&'."""
    return text.replace("&", "&&")


def _frame(sheet: WriteOnlyWorksheet, heading: Heading) -> None:
    """Header, footer, margins, grid lines and the header row on every page."""
    header = sheet.HeaderFooter.oddHeader
    header.left.text, header.left.font = _escaped(heading.site), "-,Bold"
    header.center.text = _escaped(f"{sheet.title} · {heading.period}")
    # Translators: {date} is where the printing date goes.
    header.right.text = _escaped(_("Printed {date}")).format(date="&D")
    # Translators: at the foot of a printed page, "Page 2 of 5".
    sheet.HeaderFooter.oddFooter.center.text = _escaped(_("Page {page} of {pages}")).format(
        page="&P", pages="&N")
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

