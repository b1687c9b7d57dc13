"""Month arithmetic of the workbooks, which keep one file per month ('YYYY-MM')."""

from __future__ import annotations

import calendar
from datetime import date


def days_of(month: str) -> list[date]:
    """Every calendar day of `month` ('YYYY-MM')."""
    year, number = int(month[:4]), int(month[5:7])
    return [date(year, number, day) for day in range(1, calendar.monthrange(year, number)[1] + 1)]


def months_between(first: date, last: date) -> list[str]:
    """'YYYY-MM' of every month from `first` to `last`, both included."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
