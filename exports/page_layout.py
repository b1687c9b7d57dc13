"""Where a sheet's pages break when printed: paper, margins, and the Timesheet's paging.

Pure arithmetic on column widths and row counts, so the rules can be checked without a
printer. Sizes are in points (1/72 inch). The paper is the smaller of A4 and Letter in
each direction, so a page laid out here fits on either, whichever the printer holds.

Column widths are in Excel's unit, characters of the default font's digit (Calibri 11:
7 pixels wide, plus 5 pixels of padding, at 96 pixels per inch); rows are Excel's
default 15 points high. LibreOffice draws the same sheet a little narrower, never wider.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

FONT_POINTS = 11
"""The size the sheets' text is written in (openpyxl's default font, Calibri 11)."""
SMALLEST_PRINTED_POINTS = 8
"""The Timesheet is never printed smaller than this: text under 8 points is hard to read."""
ROW_POINTS = 15.0
PAPER_LONG, PAPER_SHORT = 792.0, 595.0  # Letter's 11 inch long side, A4's 210 mm short side
MARGIN_SIDE, MARGIN_END, MARGIN_HEADER = 0.4, 0.75, 0.3
"""Margins in inches: left and right, top and bottom, and the header's and footer's
distance from the paper's edge (inside the top and bottom margins)."""


def column_points(width: float) -> float:
    """The printed width at 100 % of a column `width` characters wide."""
    return (7 * width + 5) * 0.75


def usable_width(landscape: bool) -> float:
    """The width between the side margins."""
    return (PAPER_LONG if landscape else PAPER_SHORT) - 2 * 72 * MARGIN_SIDE


def usable_height(landscape: bool) -> float:
    """The height between the top and bottom margins."""
    return (PAPER_SHORT if landscape else PAPER_LONG) - 2 * 72 * MARGIN_END


def is_wide(widths: Sequence[float]) -> bool:
    """Whether columns of these widths are wider than a portrait page: print landscape."""
    return sum(column_points(width) for width in widths) > usable_width(landscape=False)


SMALLEST_SCALE = math.ceil(100 * SMALLEST_PRINTED_POINTS / FONT_POINTS)
"""The smallest print scale in percent that keeps the text SMALLEST_PRINTED_POINTS high."""


def fitting_scale(widths: Sequence[float], landscape: bool) -> int:
    """The print scale in percent (100 at most) at which columns of these widths fill
    the page's width; under SMALLEST_SCALE, fitting them would print too small to read."""
    whole = sum(column_points(width) for width in widths)
    return min(100, math.floor(100 * usable_width(landscape) / whole)) if whole else 100


@dataclass(frozen=True)
class TimesheetPaging:
    """How the Timesheet is cut into pages.

    scale: the print scale in percent (the text prints at FONT_POINTS * scale / 100);
    day_pages: the days (as 0-based indexes into the month's days) on each page across,
    the totals columns after the last; people_pages: the people on each page down, as
    (first, last) 0-based indexes into the sheet's lines; names: how many columns say
    who (name, person, and group at a site with groups). Every page repeats the header
    row and the name columns.
    """

    scale: int
    day_pages: list[range]
    people_pages: list[range]
    names: int = 2

    @property
    def column_breaks(self) -> list[int]:
        """The 1-based columns after which a new page starts (the name columns first)."""
        return [self.names + pages.stop for pages in self.day_pages[:-1]]

    @property
    def row_breaks(self) -> list[int]:
        """The 1-based sheet rows after which a new page starts (the header is row 1)."""
        return [1 + pages.stop for pages in self.people_pages[:-1]]


def _split(count: int, parts: int) -> list[range]:
    """`count` items in `parts` consecutive runs whose lengths differ by one at most."""
    size, extra = divmod(count, parts)
    runs, start = [], 0
    for part in range(parts):
        stop = start + size + (part < extra)
        runs.append(range(start, stop))
        start = stop
    return runs


def _day_pages(names: float, days: Sequence[float], totals: float,
               room: float) -> list[range]:
    """The fewest even runs of days whose pages fit `room` with the name columns on
    each and the totals after the last run."""
    for parts in range(1, max(1, len(days)) + 1):
        runs = _split(len(days), parts)
        widths = [names + sum(days[index] for index in run) for run in runs]
        widths[-1] += totals
        if all(width <= room for width in widths):
            return runs
    return [range(index, index + 1) for index in range(len(days))]


def _people_pages(group_sizes: Sequence[int], per_page: int) -> list[range]:
    """Pages of at most `per_page` people, as even as can be (136 people at 43 a page:
    34 a page, not a last page of 7); each group (consecutive lines) starts a page."""
    pages, start = [], 0
    for size in group_sizes:
        runs = _split(size, max(1, -(-size // per_page)))
        pages += [range(start + run.start, start + run.stop) for run in runs if run]
        start += size
    return pages or [range(0, 0)]


def page_timesheet(names: Sequence[float], days: Sequence[float], totals: Sequence[float],
                   group_sizes: Sequence[int], lines: int = 1) -> TimesheetPaging:
    """The Timesheet's pages, landscape, for columns of these widths (characters): the
    name columns, one per day, the totals; and people in consecutive groups of
    `group_sizes` (each group starts a new page), each person's row `lines` lines high
    (2 when a day's cell holds an arrival above a departure).

    The whole width on one page if it fits at 100 % or scaled down no smaller than
    SMALLEST_PRINTED_POINTS; otherwise at that smallest size, the days split evenly over
    as few pages across as fit (1-16 and 17-31 for a month of short day texts).
    """
    name_points = sum(column_points(width) for width in names)
    day_points = [column_points(width) for width in days]
    total_points = sum(column_points(width) for width in totals)
    whole = name_points + sum(day_points) + total_points
    scale = max(SMALLEST_SCALE, min(100, math.floor(100 * usable_width(True) / whole)))
    room = usable_width(True) * 100 / scale
    day_pages = _day_pages(name_points, day_points, total_points, room)
    rows = int((usable_height(True) * 100 / scale - ROW_POINTS) // (ROW_POINTS * lines))
    return TimesheetPaging(scale, day_pages, _people_pages(group_sizes, max(1, rows)),
                           len(names))
