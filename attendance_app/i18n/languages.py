"""Which language and regional format to use: the setting, else the system's.

The language (words) and the region (how dates and times are written) are separate, as
on every desktop: en_GB writes 04/12/2026 and de_CH 04.12.2026. locale.language chooses
the words; dates follow the system's region, unless the language was chosen and the
system's region speaks another language (a German site on an English-set computer that
chose `de` gets German dates too).
"""

from __future__ import annotations

import locale
import os

from babel import Locale, UnknownLocaleError

from exports.translations import SOURCE_LANGUAGE

LANGUAGES = {"en": "English", "de": "Deutsch", "es": "Español"}
"""The languages shipped, by code, each named in itself (as a language menu shows them)."""

HOME_REGIONS = {"en": "en_US", "de": "de_DE", "es": "es_ES"}
"""The regional format a shipped language brings when the system's region speaks another."""


def system_region(hint: str | None = None) -> str:
    """The system's locale as Babel names it ("de_DE", "en_GB"): `hint` (the window passes
    Qt's QLocale.system().name(), which knows Windows' and macOS's settings), else the
    environment as gettext reads it (LC_ALL, LC_MESSAGES, LANG), else Python's locale;
    "en_US" when none names a known locale."""
    candidates = [hint] if hint else []
    candidates += [os.environ.get(name, "") for name in ("LC_ALL", "LC_MESSAGES", "LANG")]
    candidates.append(locale.getlocale()[0] or "")
    for candidate in candidates:
        name = (candidate or "").split(".")[0].split("@")[0]
        if name in ("", "C", "POSIX"):
            continue
        try:
            return str(Locale.parse(name.replace("-", "_")))
        except (ValueError, UnknownLocaleError):
            continue
    return "en_US"


def chosen_language(setting: str, region: str) -> str:
    """The language of words: `setting` unless it is "auto", then the region's language
    when it is shipped, else English."""
    if setting != "auto":
        return setting
    spoken = region.split("_")[0]
    return spoken if spoken in LANGUAGES else SOURCE_LANGUAGE


def format_region(language: str, region: str) -> str:
    """The locale dates and times are written in: the system's region when it speaks the
    chosen language (or the language has no region of its own), else the language's home
    region (de -> de_DE)."""
    if region.split("_")[0] == language or language not in HOME_REGIONS:
        return region
    return HOME_REGIONS[language]
