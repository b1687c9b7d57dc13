"""People's names: what makes two names one person's, and which names are refused.

Every front end (enrol, rename, unknowns enrol, the dialogs, the central roster) stores
names through check_name, and finds people by name_key."""

from __future__ import annotations

import unicodedata

from enrolment.values import StoreError

# Longer names are almost certainly a pasted paragraph; they also overflow list views.
MAX_NAME_CHARS = 100


def name_key(name: str) -> str:
    """What makes two names the same person's: Unicode case folding of the NFC form, so
    "Zoë Łukasz" (typed with a combining diaeresis or not) and "ZOË ŁUKASZ" are one name.
    SQLite's NOCASE folds only A-Z."""
    folded = unicodedata.normalize("NFC", name.strip()).casefold()
    return unicodedata.normalize("NFC", folded)


INVISIBLE_CHARS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\u200e\u200f\u061c"  # left-to-right, right-to-left and Arabic letter marks
    "\u200b\u200c\u200d\u2060\ufeff")  # zero-width space, (non-)joiner, word joiner, BOM
"""Characters refused in names: they show nothing themselves, yet a bidi override turns
the rest of a workbook cell or terminal line around ("Ada\u202eNIKSEP" shows as
"AdaPESKIN"), and a zero-width one makes two names that look alike different people.
(The zero-width non-joiner and joiner shape some scripts' words; a name shown without
them is still read, and one person cannot be enrolled twice under look-alike names.)"""


def check_name(name: str) -> str:
    """The name with surrounding spaces removed, or StoreError saying what is wrong.

    Names are shown on one line in lists, the terminal and a workbook cell, so line
    breaks, tabs and other control characters are refused rather than silently mangled,
    and so are INVISIBLE_CHARS, which would change how a name looks or make two names
    that look alike. Every front end (enrol, rename, unknowns enrol, the dialogs, the
    central roster) stores names through here.
    """
    name = name.strip()
    if not name:
        raise StoreError("a person needs a name; give a non-empty name")
    if len(name) > MAX_NAME_CHARS:
        raise StoreError(f"a name may have at most {MAX_NAME_CHARS} characters, this one has "
                         f"{len(name)}; give a shorter name")
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in name):
        raise StoreError(f"the name {name!r} contains a line break or control character; "
                         "type it on one line without them")
    hidden = next((ch for ch in name if ch in INVISIBLE_CHARS), None)
    if hidden is not None:
        raise StoreError(f"the name {name!r} contains the invisible character U+{ord(hidden):04X} "
                         f"({unicodedata.name(hidden)}), which changes how names look or "
                         "tell apart; type the name without it")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes on the command line arrive as surrogates
        raise StoreError(f"the name {name!r} is not valid text; type it again in UTF-8") from None
    return unicodedata.normalize("NFC", name)  # one spelling of "ë", however it was typed
