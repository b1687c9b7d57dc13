"""Keep the translation catalogs in step with the source (issue 27, point 3).

    uv run python packaging/translations.py update   # extract, merge, compile
    uv run python packaging/translations.py check    # what is missing (CI's test runs it)

Texts are extracted with Babel from the code's _(), N_(), ngettext() and pgettext()
calls, one catalog per part (AREAS), merged into each language's .po file (translations
kept, new texts added empty, texts gone from the code dropped) and compiled to the .mo
files the app loads with the standard library's gettext. Translators edit only the .po
files; `update` rewrites the .mo files from them.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
HEADER = "# Translations of attendance-app's texts; edit msgstr only, then run update."
FIXED_DATE = datetime(2026, 12, 1, tzinfo=timezone.utc)
"""The catalogs' header dates, fixed: a date of each run would change every file each time
and make two branches' catalogs conflict."""
LANGUAGES = ("de", "es")
"""The languages translated (English is the source's)."""


@dataclass(frozen=True)
class Area:
    """One catalog: the texts of the code under `folder` (less `left_out`), kept as
    `<locale>/<language>/LC_MESSAGES/<domain>.po`."""

    domain: str
    folder: str
    locale: str
    left_out: tuple[str, ...] = ()


AREAS = (
    Area("window", "attendance_app/gui", "attendance_app/locale"),
    Area("terminal", "attendance_app/cli", "attendance_app/locale"),
    Area("app", "attendance_app", "attendance_app/locale",
         left_out=("attendance_app/gui", "attendance_app/cli", "attendance_app/web")),
    Area("workbook", "exports", "exports/locale"),
)


def template(area: Area) -> Catalog:
    """Every text of `area`'s code, as a catalog without translations."""
    catalog = Catalog(project="attendance-app", domain=area.domain)
    folder = ROOT / area.folder
    for filename, lineno, message, comments, context in extract_from_dir(
            folder, method_map=[("**.py", "python")], comment_tags=("Translators:",)):
        path = f"{area.folder}/{filename}"
        if any(path.startswith(f"{left}/") for left in area.left_out):
            continue
        catalog.add(message, locations=[(path, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def po_path(area: Area, language: str) -> Path:
    """Where `language`'s translations of `area` are kept."""
    return ROOT / area.locale / language / "LC_MESSAGES" / f"{area.domain}.po"


def read(path: Path, language: str) -> Catalog:
    """The catalog at `path`, or an empty one of `language` when there is none yet."""
    if not path.exists():
        return Catalog(locale=language, project="attendance-app", version="1",
                       header_comment=HEADER, creation_date=FIXED_DATE,
                       revision_date=FIXED_DATE, last_translator="attendance-app",
                       language_team=language, msgid_bugs_address="")
    with path.open("rb") as stream:
        return read_po(stream, locale=language)


def compiled(catalog: Catalog) -> bytes:
    """`catalog` as a .mo file (untranslated and fuzzy texts left out: they show in
    English)."""
    stream = io.BytesIO()
    write_mo(stream, catalog)
    return stream.getvalue()


def update() -> None:
    """Merge every area's texts into every language's .po file and compile the .mo."""
    for area in AREAS:
        texts = template(area)
        for language in LANGUAGES:
            path = po_path(area, language)
            catalog = read(path, language)
            catalog.update(texts, no_fuzzy_matching=True, update_creation_date=False)
            catalog.obsolete.clear()
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as stream:
                write_po(stream, catalog, width=100, omit_header=False, sort_output=False,
                         include_lineno=False)  # a moved line changes no catalog
            path.with_suffix(".mo").write_bytes(compiled(catalog))


def problems() -> list[str]:
    """What keeps the catalogs from matching the code: texts not translated (or fuzzy),
    translations that lose a {placeholder}, and .mo files older than their .po."""
    found = []
    for area in AREAS:
        texts = template(area)
        for language in LANGUAGES:
            path = po_path(area, language)
            catalog = read(path, language)
            for message in texts:
                if not message.id:
                    continue
                entry = catalog.get(message.id, message.context)
                where = f"{path.relative_to(ROOT)}: {message.id!r}"
                if entry is None or entry.fuzzy or not _all_translated(entry.string):
                    found.append(f"{where} is not translated")
                elif _placeholders(message.id) != _placeholders(entry.string):
                    found.append(f"{where} loses or adds a {{placeholder}}")
            mo = path.with_suffix(".mo")
            if path.exists() and (not mo.exists() or mo.read_bytes() != compiled(catalog)):
                found.append(f"{mo.relative_to(ROOT)} is not compiled from its .po: run update")
    return found


def _all_translated(string: str | tuple[str, ...]) -> bool:
    """Whether every form of a translation is written."""
    forms = string if isinstance(string, (tuple, list)) else (string,)
    return bool(forms) and all(forms)


def _placeholders(text: str | tuple[str, ...]) -> set[str]:
    """The {names} a text formats (every form of a plural)."""
    import string as strings

    forms = text if isinstance(text, (tuple, list)) else (text,)
    names = set()
    for form in forms:
        names |= {name for _, name, _, _ in strings.Formatter().parse(form) if name}
    return names


if __name__ == "__main__":
    if sys.argv[1:] == ["update"]:
        update()
    elif sys.argv[1:] == ["check"]:
        missing = problems()
        print("\n".join(missing) or "every text is translated")
        sys.exit(1 if missing else 0)
    else:
        sys.exit("usage: translations.py update | check")
