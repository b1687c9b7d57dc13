"""The main window and every dialog it opens speak the user's language (issue 27 point 3).

Built under the pseudo-language (every translated text shown as ⟦text⟧), the window and
each dialog of tests/support/dialog_walk.py must show no word outside ⟦ ⟧: titles,
labels, buttons, tooltips, accessible names, placeholders, headers, combo items, menus,
the toolbar and the status bar. In German and in Spanish the menus, toolbar and status
bar (the source's state, the banner saying why it cannot be shown) show those languages.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from attendance_app.i18n import _
from tests.support.dialog_walk import door_window, every_dialog
from tests.support.shown_texts import plain, shown_texts
from tests.support.translations import language, pseudo, untranslated

DATA = ["Ada Lovelace", "Front door", "no-such-video.mp4", "attendance-app", "NumPy",
        "BSD-3-Clause", "HH:MM", "starttls", "ssl", "none", "notices"]
"""What the walk puts in the window that is data, not words: a person, a camera's name,
the missing video's file, the program's name, a library's name and licence, the format
people type times in, the mail security choices (protocol names)."""


def test_the_window_and_every_dialog_show_only_translated_words(qtbot, tmp_path: Path) -> None:
    data = [*DATA, str(tmp_path)]
    found: dict[str, list[str]] = {}
    with pseudo():
        window = door_window(qtbot, tmp_path)
        found["main window"] = untranslated(shown_texts(window), data=data)
        read = len(shown_texts(window))
        for name, dialog in every_dialog(window):
            found[name] = untranslated(shown_texts(dialog), data=data)
        window.close()
    assert {name: texts for name, texts in found.items() if texts} == {}
    assert read > 20, "the walk reads the window's texts"


def test_the_walk_catches_a_word_left_in_english(qtbot) -> None:
    """The check itself: a label, a tooltip and an accessible name made without _()."""
    with pseudo():
        widget = QWidget()
        qtbot.addWidget(widget)
        QLabel(_("Reports"), widget)
        QLabel("Open folder", widget).setToolTip(_("Show the folder"))
        widget.setAccessibleName("Door")
        assert sorted(untranslated(shown_texts(widget))) == ["Door", "Open folder"]


def _menus_and_toolbar(window) -> list[str]:  # noqa: ANN001 - a MainWindow
    menus = [plain(action.text()) for action in window.menuBar().actions()]
    items = [plain(action.text()) for action in window.help_menu.actions() if action.text()]
    tools = [action.text() for action in window.toolbar.actions()]
    return menus + items + tools


@pytest.mark.parametrize(("code", "region", "words", "people", "camera", "banner"), [
    ("de", "de_DE", ("Hilfe", "Tastenkürzel…", "Person aufnehmen…", "Berichte…", "Kalender…"),
     "0 Personen aufgenommen", "Keine Kamera", "ist weder eine Webcam-Nummer"),
    ("es", "es_ES", ("Ayuda", "Atajos de teclado…", "Informes…", "Ajustes…", "Calendario…"),
     "0 personas inscritas", "Sin cámara", "no es un número de webcam"),
])
def test_the_window_in_german_and_spanish(qtbot, tmp_path: Path, code: str, region: str,
                                          words: tuple[str, ...], people: str, camera: str,
                                          banner: str) -> None:
    with language(code, region):
        window = door_window(qtbot, tmp_path)
        texts = _menus_and_toolbar(window)
        assert [word for word in words if word not in texts] == []
        assert window.people_label.text() == people
        assert window.camera_label.text() == camera
        assert banner in window.banner_text.text()
        window.close()
    assert not [text for text in texts if text in ("Help", "Reports…", "Settings…")]
