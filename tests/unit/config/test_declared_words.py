"""The settings' words reach the app catalog (issue 27, point 3): every declaration's
label, description and unit, every section's text and the words of what is allowed are
marked with N_ in attendance_app/config/declarations.py, so the Settings dialog can show
them translated, while docs/settings.md, made from the same declarations, stays English.
"""

from __future__ import annotations

from attendance_app.config.declarations import DECLARATIONS, SECTIONS
from attendance_app.config.docs import settings_page
from tests.support.translations import catalog_tool, language


def _app_texts() -> set[str]:
    """Every text extracted into the app catalog's template (app.pot)."""
    tool = catalog_tool()
    area = next(area for area in tool.AREAS if area.domain == "app")
    return {message.id for message in tool.template(area) if isinstance(message.id, str)}


def test_every_declarations_words_are_extracted_into_the_app_catalog() -> None:
    texts = _app_texts()
    words = [text for declaration in DECLARATIONS
             for text in (declaration.label, declaration.description, declaration.unit) if text]

    missing = [text for text in [*words, *SECTIONS.values()] if text not in texts]

    assert len(words) > 2 * len(DECLARATIONS)
    assert not missing, "\n".join(missing)
    assert {"one of {choices}", "{low} to {high}", "true or false"} <= texts


def test_settings_page_stays_english_in_german() -> None:
    english = settings_page()
    with language("de", "de_DE"):
        german_run = settings_page()

    assert german_run == english
    assert "Where frames come from" in german_run


def test_the_settings_dialogs_words_come_out_german() -> None:
    """What the marking is for: the Settings dialog's label and tooltip of a setting,
    through attendance_app.gui.declared_words (no Qt), in German."""
    from attendance_app.gui.declared_words import label_text, tooltip_text

    with language("de", "de_DE"):
        label, tooltip = label_text("detection", "width"), tooltip_text("detection", "width")

    assert label == "Suchbreite:"
    assert tooltip.startswith("Breitere Bilder werden vor der Gesichtssuche")
    assert tooltip.endswith("(160 bis 3840 Pixel)")
