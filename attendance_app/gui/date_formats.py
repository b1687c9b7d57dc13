"""Display formats for Qt's date and time boxes, in step with attendance_app.i18n.dates:
the region's (QLocale of the same name, so a box writes 24.12.2026 where the window's
other dates do) or ISO 8601 when locale.iso_dates is set.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale

from attendance_app.i18n import dates

ISO_DAY = "yyyy-MM-dd"
ISO_MOMENT = "yyyy-MM-dd HH:mm"


def _locale() -> QLocale:
    return QLocale(dates.region())


def day_format(long: bool = False) -> str:
    """A QDateEdit's format: the region's short date (or long, with the weekday), else
    ISO."""
    if dates.iso_dates():
        return f"ddd {ISO_DAY}" if long else ISO_DAY
    kind = QLocale.FormatType.LongFormat if long else QLocale.FormatType.ShortFormat
    return _locale().dateFormat(kind)


def moment_format() -> str:
    """A QDateTimeEdit's format to the minute: the region's short date and time, else
    ISO."""
    if dates.iso_dates():
        return ISO_MOMENT
    return _locale().dateTimeFormat(QLocale.FormatType.ShortFormat)
