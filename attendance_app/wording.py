"""Counts in words for people to read: "1 person", "2 people", "1 minute", "5 minutes".

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
