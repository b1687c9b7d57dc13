"""The words a workbook row carries about a void, in the user's language (issue 27).

The void column is read back by `journal rebuild` (records.journal_rebuild.void_from_words),
so the time keeps its ISO form, which any reader can read and the rebuild parses; only the
words around it are translated. A rebuild from a workbook written in another language than
English keeps the row void, its words as the reason (who voided it and when stay readable
there).
"""

from __future__ import annotations

from attendance_app.i18n import _
from attendance_app.types import Void


def void_words(void: Void) -> str:
    """'not Ada (voided by ana, 2026-03-02 10:05)', in the app's language: the reason
    first, that is what readers want."""
    # Translators: a voided row's note in the workbook; keep {time} as it is (2026-03-02 10:05).
    return _("{reason} (voided by {by}, {time})").format(
        reason=void.reason, by=void.by, time=f"{void.at:%Y-%m-%d %H:%M}")
