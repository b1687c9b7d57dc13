"""The workbook's words and date formats in the user's language (issue 27, point 3).

The exports library knows nothing of the app, so it keeps its own catalog (domain
`workbook`, in exports/locale) for its sheet names, headers and report words; the app
calls use_language() once at start with the same language as its own texts.

Cells keep real dates and times: only their number format follows the region
(DD.MM.YYYY in Germany, D/M/YYYY in Spain, M/D/YYYY in the US), taken from CLDR's short
date pattern with a four-digit year, so a sheet sorts and sums as before whatever the
language; ISO dates give YYYY-MM-DD.
"""

from __future__ import annotations

import functools
import gettext
import re
from datetime import date
from pathlib import Path

from babel import dates as cldr

from exports.translations import PSEUDO_LANGUAGE, SOURCE_LANGUAGE, load

CATALOGS = Path(__file__).resolve().parent / "locale"
"""exports/locale: the workbook's .po files and the .mo files compiled from them."""

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE
_region = "en_US"
_iso = False


def use_language(language: str, region: str = "en_US", iso_dates: bool = False) -> None:
    """Write the workbook's words in `language` and its dates in `region`'s format (a
    Babel locale name), or ISO 8601."""
    global _catalog, _language, _region, _iso
    _catalog = load(CATALOGS, ("workbook",), language)
    _language, _region, _iso = language, region, iso_dates


def _(message: str) -> str:
    """`message` in the workbook's language."""
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted text for `count` in the workbook's language."""
    return _catalog.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark `message` for translation without translating it now (module constants)."""
    return message


def date_number_format() -> str:
    """The Excel number format of a date cell: the region's short date with a four-digit
    year ("DD.MM.YYYY", "M/D/YYYY"), or "YYYY-MM-DD"."""
    if _iso:
        return "YYYY-MM-DD"
    pattern = cldr.get_date_format("short", locale=_region).pattern
    return _excel_date(pattern)


def time_number_format(seconds: bool = False) -> str:
    """The Excel number format of a time cell: 24-hour or with AM/PM as the region writes
    times ("HH:MM", "H:MM AM/PM")."""
    twelve_hour = not _iso and "a" in cldr.get_time_format("short", locale=_region).pattern
    clock = "H:MM:SS" if seconds else "H:MM"
    if twelve_hour:
        return f"{clock} AM/PM"
    return f"H{clock}"


def _excel_date(pattern: str) -> str:
    """CLDR's date pattern in Excel's words: d/dd day, M/MM month, y/yy year -> YYYY;
    quoted literals and other letters dropped to what Excel reads."""
    def field(match: re.Match[str]) -> str:
        letters = match.group(0)
        kind = letters[0]
        if kind == "d":
            return "DD" if len(letters) >= 2 else "D"
        if kind in "ML":
            return "MM" if len(letters) == 2 else ("M" if len(letters) == 1 else "MMM")
        if kind == "y":
            return "YYYY"
        return ""

    return re.sub(r"([a-zA-Z])\1*", field, pattern.replace("'", ""))


def language() -> str:
    """The workbook's language now ("en", "de", "es", or the pseudo-language)."""
    return _language


@functools.cache
def every_language(message: str) -> frozenset[str]:
    """`message` as every shipped language writes it (English, each catalog's, the
    pseudo-language's): what a sheet name or header read back may be, whichever language
    the workbook was written in. Kept once asked: the catalogs do not change while the app
    runs, and a month's read-back asks it of every row's Event word."""
    found = {message}
    for code in (*_shipped(), PSEUDO_LANGUAGE):
        found.add(load(CATALOGS, ("workbook",), code).gettext(message))
    return frozenset(found)


def _shipped() -> list[str]:
    """The languages with a compiled workbook catalog."""
    return sorted(path.parent.parent.name for path in CATALOGS.glob("*/LC_MESSAGES/workbook.mo"))


def _names_locale() -> str:
    """The Babel locale whose day and month names the workbook writes: its language (in
    the region's variant when they share it), English for the pseudo-language."""
    if _language in (SOURCE_LANGUAGE, PSEUDO_LANGUAGE):
        return _region if _region.startswith("en") else "en_US"
    return _region if _region.split("_")[0] == _language else _language


def day_name(day: date, width: str = "wide") -> str:
    """The week day's name in the workbook's language ("Friday", "Freitag"; width
    "abbreviated": "Fri", "Fr.")."""
    return cldr.format_date(day, "EEEE" if width == "wide" else "EEE", locale=_names_locale())


def month_name(day: date) -> str:
    """The month's name in the workbook's language, as it stands in a date ("December",
    "Dezember", "diciembre")."""
    return cldr.format_date(day, "MMMM", locale=_names_locale())


def standalone_month(day: date) -> str:
    """The month's name as it stands alone in a title ("December 2026", "Diciembre")."""
    return cldr.format_date(day, "LLLL", locale=_names_locale())


def formats_key() -> tuple[str, str, bool]:
    """What besides its data decides a workbook's words and formats (language, region,
    ISO dates): a saved workbook of other formats is out of date and written again."""
    return _language, _region, _iso
