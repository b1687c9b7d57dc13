"""gettext catalogs for one language, and the pseudo-language tests read.

Shared by the workbook's words (exports.words) and the app's (attendance_app.i18n): both
load compiled catalogs (`<folder>/<language>/LC_MESSAGES/<domain>.mo`, built from the
.po files by packaging/translations.py) with the standard library's gettext, so nothing
but the files themselves is needed at run time.

English is the language of the source: its words need no catalog. The pseudo-language
`qps` wraps every translated text in ⟦ ⟧, so a test can see on screen, on a sheet or in
a terminal which words never went through a translation (a visible string without the
brackets), whatever the real catalogs hold.
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from pathlib import Path

SOURCE_LANGUAGE = "en"
PSEUDO_LANGUAGE = "qps"
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"


class PseudoTranslations(gettext.NullTranslations):
    """Every text wrapped in ⟦ ⟧: the marks of a string that went through gettext."""

    def gettext(self, message: str) -> str:
        return f"{PSEUDO_OPEN}{message}{PSEUDO_CLOSE}"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self.ngettext(msgid1, msgid2, n)


def load(folder: Path, domains: Sequence[str], language: str) -> gettext.NullTranslations:
    """The catalogs of `domains` in `language`, chained (the first that knows a text
    translates it); English and a language without catalogs give the source texts."""
    if language == PSEUDO_LANGUAGE:
        return PseudoTranslations()
    chained: gettext.NullTranslations = gettext.NullTranslations()
    if language == SOURCE_LANGUAGE:
        return chained
    for domain in reversed(domains):
        catalog = gettext.translation(domain, folder, languages=[language], fallback=True)
        if catalog is not chained and type(catalog) is not gettext.NullTranslations:
            catalog.add_fallback(chained)
            chained = catalog
    return chained
