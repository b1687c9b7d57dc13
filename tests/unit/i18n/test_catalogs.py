"""The catalogs match the code: every text of the window, the command line, the app and
the workbook is translated into each shipped language, keeps its {placeholders}, and the
.mo files the app loads are compiled from the .po files translators edit."""

from __future__ import annotations

from attendance_app import i18n
from exports import words
from tests.support.translations import catalog_tool, language


def test_every_text_is_translated_and_compiled() -> None:
    problems = catalog_tool().problems()
    assert not problems, "run `uv run python packaging/translations.py update` and " \
        "translate:\n" + "\n".join(problems[:40]) + f"\n({len(problems)} in all)"


def test_pseudo_language_marks_every_text_and_english_leaves_them() -> None:
    with language("qps"):
        assert i18n._("Reports") == "⟦Reports⟧"
        assert i18n.ngettext("{count} person", "{count} people", 2) == "⟦{count} people⟧"
        assert words._("Name") == "⟦Name⟧"
    assert i18n._("Reports") == "Reports"
    assert words._("Name") == "Name"
    assert i18n.language() == "en"


def test_plural_forms_follow_each_language_rules() -> None:
    """Babel writes each language's plural rule into its catalogs: Spanish has a third
    form (for millions), German two, as CLDR says."""
    tool = catalog_tool()
    for area in tool.AREAS:
        assert tool.read(tool.po_path(area, "de"), "de").num_plurals == 2
        assert tool.read(tool.po_path(area, "es"), "es").num_plurals == 3
