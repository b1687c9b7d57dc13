"""Helpers for the tests of the translations (issue 27, point 3).

The pseudo-language (exports.translations.PSEUDO_LANGUAGE) wraps every text that went
through gettext in ⟦ ⟧; a visible text with letters outside the brackets never did.
untranslated() finds those among the texts a test read off a window, a terminal or a
sheet, allowing what is data rather than words (names, numbers, dates, file paths).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from exports import words
from exports.translations import PSEUDO_CLOSE, PSEUDO_LANGUAGE, PSEUDO_OPEN, SOURCE_LANGUAGE

REPO = Path(__file__).resolve().parents[2]
_BRACKETED = re.compile(f"{PSEUDO_OPEN}[^{PSEUDO_OPEN}{PSEUDO_CLOSE}]*{PSEUDO_CLOSE}", re.S)
"""A translated text holding no other: a text formatted into another ("⟦Wrote ⟦2 rows⟧⟧")
is taken out from the inside."""


def catalog_tool() -> ModuleType:
    """packaging/translations.py, the catalogs' extract-merge-compile tool (a script, not
    a package: `packaging` is also a PyPI library's name)."""
    spec = importlib.util.spec_from_file_location("catalog_tool",
                                                  REPO / "packaging" / "translations.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("catalog_tool", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@contextmanager
def language(code: str, region: str = "en_US", iso_dates: bool = False) -> Iterator[None]:
    """The app's and the workbook's texts in `code` (the pseudo-language: "qps") for the
    block, English again after it."""
    from attendance_app import i18n
    from attendance_app.i18n import dates

    i18n.use_language(code)
    dates.use_region(region, iso_dates)
    words.use_language(code, region, iso_dates)
    try:
        yield
    finally:
        i18n.use_language(SOURCE_LANGUAGE)
        dates.use_region("en_US", False)
        words.use_language(SOURCE_LANGUAGE)


def pseudo() -> contextmanager:
    """Every translated text marked ⟦ ⟧ for the block."""
    return language(PSEUDO_LANGUAGE)


def untranslated(texts: Iterable[str], data: Iterable[str] = ()) -> list[str]:
    """The texts that hold words outside ⟦ ⟧: what is left once the bracketed parts, the
    `data` (names, paths a test put there) and digits, punctuation and symbols are taken
    out still has a letter."""
    known = sorted((item for item in data if item), key=len, reverse=True)
    found = []
    for text in texts:
        rest, taken = _BRACKETED.subn(" ", text)
        while taken:
            rest, taken = _BRACKETED.subn(" ", rest)
        for item in known:
            rest = rest.replace(item, " ")
        if re.search(r"[^\W\d_]", rest):
            found.append(text)
    return found
