"""Words for people to read: counts ("1 person", "2 people", "5 minutes") and messages
as sentences.

Shared by the window and the command line, so neither ever says "1 people enrolled" or
"3 photo(s)".
"""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The noun for `count` things: `singular` for exactly one, otherwise `plural_form`
    (default: `singular` + "s")."""
    return singular if count == 1 else (plural_form or f"{singular}s")


def counted(count: int, singular: str, plural_form: str | None = None) -> str:
    """`count` and its noun: counted(1, "person", "people") == "1 person"."""
    return f"{count} {plural(count, singular, plural_form)}"


def as_sentence(message: str) -> str:
    """A message as a sentence on screen: "camera 9 cannot…" -> "Camera 9 cannot…"."""
    return message[:1].upper() + message[1:]
