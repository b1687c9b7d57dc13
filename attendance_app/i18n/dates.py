"""Dates and times as the user's region writes them (04.12.2026, 4 dic 2026, Dec 4, 2026),
or ISO 8601 (2026-12-04, 14:05) for those who set locale.iso_dates.

Babel holds CLDR's formats for every region, so nothing depends on the operating system's
locale being installed (a Debian machine often has only C.UTF-8).
"""

from __future__ import annotations

from datetime import date, datetime, time

from babel import dates as cldr

_region = "en_US"
_iso = False


def use_region(region: str, iso_dates: bool) -> None:
    """Write dates and times in `region`'s format (a Babel locale name), or ISO 8601."""
    global _region, _iso
    _region, _iso = region, iso_dates


def region() -> str:
    """The locale dates and times are written in now."""
    return _region


def iso_dates() -> bool:
    """Whether dates are written as ISO 8601 whatever the region."""
    return _iso


def day_text(day: date, length: str = "medium") -> str:
    """A date: "Dec 4, 2026", "04.12.2026" (medium) or "12/4/26" (short)."""
    if _iso:
        return day.isoformat()
    return cldr.format_date(day, length, locale=_region)


def weekday_and_day_text(day: date) -> str:
    """A date with its weekday, as a heading: "Friday, December 4, 2026", "Freitag,
    4. Dezember 2026"; "Friday 2026-12-04" in ISO (the weekday still in the language)."""
    if _iso:
        return f"{cldr.format_date(day, 'EEEE', locale=_region)} {day.isoformat()}"
    return cldr.format_date(day, "full", locale=_region)


def time_text(moment: time | datetime, seconds: bool = False) -> str:
    """A time of day: "9:05 AM", "09:05" (or with seconds)."""
    if _iso:
        return moment.strftime("%H:%M:%S" if seconds else "%H:%M")
    clock = moment.time() if isinstance(moment, datetime) else moment
    return cldr.format_time(clock, "medium" if seconds else "short", locale=_region)


def moment_text(moment: datetime, seconds: bool = False) -> str:
    """A date and a time: "Dec 4, 2026 9:05 AM", "04.12.2026 09:05"."""
    return f"{day_text(moment.date())} {time_text(moment, seconds)}"


def month_text(year: int, month: int) -> str:
    """A month and its year: "December 2026", "Dezember 2026", "2026-12" in ISO."""
    if _iso:
        return f"{year:04d}-{month:02d}"
    return cldr.format_skeleton("yMMMM", date(year, month, 1), locale=_region)
