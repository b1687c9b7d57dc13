"""The user's language: every word people read goes through here (issue 27, point 3).

    from attendance_app.i18n import _, N_, ngettext

    _("Enrol person…")                                    # a text to show now
    ngettext("{count} person", "{count} people", n).format(count=n)   # plural rules
    TITLE = N_("Reports")  # marked for extraction; translated later with _(TITLE)

Texts are extracted from the source by packaging/translations.py into one catalog per
part of the app (attendance_app/locale/<language>/LC_MESSAGES/<domain>.po: `window` for
attendance_app/gui, `terminal` for attendance_app/cli, `app` for the rest); the workbook's
words are the exports library's own (exports.words). The catalogs are chained, so a text
is translated wherever it is shown.

What is translated: every text that reaches a person on screen or in the terminal
(messages, errors, notices, the settings' labels and descriptions in the window). What
stays English: lines written only to the log file (it is for support, who read English),
the JSON keys of messages, and docs/settings.md and config.yaml's comments, which are made
from the same declarations without calling _(). A log record that the window shows as a
notice (attendance_app.errors.notice/resolves) reaches a person: its text is translated.

use_language() is called once at start, by the command line and the window, before any
text is made; until then, and for English, the source texts are shown. Texts kept in
module constants must be marked with N_ and translated when shown, or they would stay in
the language of the moment they were imported.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

from exports.translations import SOURCE_LANGUAGE, load

CATALOGS = Path(__file__).resolve().parent.parent / "locale"
"""attendance_app/locale: the app's .po files and the .mo files compiled from them."""

DOMAINS = ("window", "terminal", "app")
"""The app's catalogs, one per part (the folders their texts are extracted from)."""

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE
OVERRIDE = "ATTENDANCE_LANGUAGE"
"""The environment variable that chooses the language whatever the settings say (en, de,
es, or the tests' pseudo-language qps): the tests run a real command or window in a chosen
language with it; it is never a choice of config.yaml, whose choices stay auto/en/de/es."""


def use_language(language: str) -> None:
    """Translate every text made from now on into `language` (a code of
    attendance_app.i18n.languages.LANGUAGES, or exports.translations.PSEUDO_LANGUAGE)."""
    global _catalog, _language
    _catalog = load(CATALOGS, DOMAINS, language)
    _language = language


def language() -> str:
    """The language texts are translated into now."""
    return _language


def _(message: str) -> str:
    """`message` in the user's language."""
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted text for `count` in the user's language (whose plural rules
    may have more than two forms); format the count into it afterwards."""
    return _catalog.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` where the same English word needs different translations (context says
    which: "month" for a month's sheet, "menu" for a menu's)."""
    return _catalog.pgettext(context, message)


def N_(message: str) -> str:
    """Mark `message` for translation without translating it now (module constants)."""
    return message


def apply_locale(language_setting: str, iso_dates: bool, region_hint: str | None = None) -> str:
    """Use the language of locale.language ("auto": the system's) for the app's and the
    workbook's words, and the region's (or ISO) dates; returns the language used.

    `region_hint` is the system's locale as the window's toolkit knows it (Qt reads the
    settings of Windows and macOS, which set no environment variable). $ATTENDANCE_LANGUAGE
    (OVERRIDE) wins over `language_setting`."""
    from attendance_app.i18n import dates
    from attendance_app.i18n.languages import chosen_language, format_region, system_region
    from exports import words

    region = system_region(region_hint)
    chosen = chosen_language(os.environ.get(OVERRIDE, "").strip() or language_setting, region)
    formats = format_region(chosen, region)
    use_language(chosen)
    dates.use_region(formats, iso_dates)
    words.use_language(chosen, formats, iso_dates)
    return chosen

