"""The window's dialogs speak the user's language (issue 27 point 3): each dialog, built
under the pseudo-language, shows no visible word that did not go through the translation
mechanism; one dialog in German and Spanish shows those languages, plural forms included;
Qt's date boxes and own buttons follow the chosen locale.

A dialog is walked as a user reads it (tests/support/shown_texts.py): labels, buttons,
titles, tooltips, accessible names, placeholders, group boxes, table headers, combo items,
list rows, menus and spin-box words. Qt's
standard buttons (OK, Cancel, Save) are Qt's own words, translated by Qt's catalogs, and
are checked apart, in German.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QWidget,
)

from attendance_app import i18n
from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig, load_config
from attendance_app.gui.about_dialog import AboutDialog
from attendance_app.gui.app import _use_language
from attendance_app.gui.attendance_panel import AttendancePanel
from attendance_app.gui.calendar_dialog import CalendarDialog
from attendance_app.gui.correction_dialogs import (
    AddArrivalDialog,
    CorrectTimeDialog,
    UndoVoidDialog,
)
from attendance_app.gui.enrol_dialog import EnrolDialog
from attendance_app.gui.groups_dialog import GroupForm, GroupsDialog
from attendance_app.gui.people_dialog import PeopleDialog
from attendance_app.gui.person_groups_dialog import PersonGroupsDialog
from attendance_app.gui.reports_dialog import ReportsDialog
from attendance_app.gui.settings_dialog import SettingsDialog
from attendance_app.gui.unknowns_dialog import UnknownsDialog
from attendance_app.gui.void_dialog import VoidDialog
from attendance_app.types import AttendanceEvent, Void
from enrolment import DaysOffBook, FaceStore, GroupBook
from tests.support.shown_texts import shown_texts
from tests.support.synthetic_people import synthetic_store
from tests.support.translations import language, pseudo, untranslated

AT = datetime(2026, 12, 3, 8, 59, 30)
NOTICES = "attendance-app\nNumPy 2.0.0\nLicense: BSD-3-Clause\n"
"""Third-party notices as the About box reads them (their words are the libraries')."""


def _event(void: Void | None = None) -> AttendanceEvent:
    return AttendanceEvent(AT, 1, "Ada Lovelace", "Front door", 0.31, "in", event_id=1,
                           void=void)


def _dialogs(qtbot, tmp_path: Path) -> dict[str, QWidget]:  # noqa: ANN001 - pytest-qt's
    """Every dialog this pass translated, with people, groups and rows to show."""
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    store = synthetic_store(workspace.faces_path, 2)
    book = GroupBook(store)
    book.add("Class 3B", 0b11111, "08:00", 10)
    people = [person.name for person in store.people()]
    calendar = CalendarDialog(DaysOffBook(store))
    groups = GroupsDialog(book)
    panel = AttendancePanel(tmp_path / "attendance.xlsx")
    panel.load([_event()])
    dialogs: dict[str, QWidget] = {
        "about": AboutDialog(notices=NOTICES),
        "panel": panel,
        "panel menu": panel.context_menu(0),
        "calendar": calendar,
        "closed days": calendar.add_closure_form(),
        "leave": calendar.add_leave_form(),
        "add arrival": AddArrivalDialog(people, AT),
        "correct time": CorrectTimeDialog(_event(), AT),
        "undo void": UndoVoidDialog(_event(Void(AT, "office", "a visitor"))),
        "void": VoidDialog(_event()),
        "enrol": EnrolDialog(workspace, store, live=False),
        "add shots": EnrolDialog(workspace, store, people[0], live=False),
        "groups": groups,
        "group form": GroupForm(i18n._("New group"), None, groups),
        "people": PeopleDialog(store),
        "person groups": PersonGroupsDialog(book, people[0], 1),
        "reports": ReportsDialog(workspace),
        "settings": SettingsDialog(AppConfig(), tmp_path / "config.yaml", tmp_path,
                                   current_source="video.mp4"),
    }
    unknowns = UnknownsDialog(workspace, store)
    dialogs["unknowns"] = unknowns
    qtbot.waitUntil(lambda: not unknowns.busy, timeout=30_000)
    for widget in dialogs.values():
        if not isinstance(widget, QMenu):
            qtbot.addWidget(widget)
    return dialogs


def test_every_dialog_shows_only_translated_words(qtbot, tmp_path: Path) -> None:
    with pseudo():
        dialogs = _dialogs(qtbot, tmp_path)
        data = ["Ada Lovelace", "Front door", "Class 3B", "NumPy", "BSD-3-Clause",
                "video.mp4", "starttls", "ssl", "none", str(tmp_path), "HH:MM",
                "mon-fri 08:00 (+10 min)",  # exports.hours' words: the workbook catalog's
                *(person.name for person in FaceStore(tmp_path / "faces.sqlite3").people())]
        found = {name: untranslated(shown_texts(widget), data=data)
                 for name, widget in dialogs.items()}
        for widget in dialogs.values():
            if hasattr(widget, "done"):
                widget.done(0)
    assert {name: texts for name, texts in found.items() if texts} == {}
    assert all(shown_texts(widget) for widget in dialogs.values()), "the walk reads texts"


def test_the_walk_finds_a_word_left_in_english(qtbot) -> None:
    """The check itself: a label made without _() is caught."""
    with pseudo():
        widget = QWidget()
        qtbot.addWidget(widget)
        QLabel(i18n._("Reports"), widget)
        QLabel("Open folder", widget)
        assert untranslated(shown_texts(widget)) == ["Open folder"]


def test_the_people_dialog_in_german_and_spanish(qtbot, tmp_path: Path) -> None:
    store = synthetic_store(tmp_path / "faces.sqlite3", 2)
    with language("de", "de_DE"):
        dialog = PeopleDialog(store)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "Personen"
        assert dialog.enrol_button.text() == "Neue Person aufnehmen…"
        assert dialog.summary.text() == "2 Personen aufgenommen"
        dialog.search.setText("Person 00001")
        assert dialog.summary.text() == "2 Personen aufgenommen, 1 passt zu „Person 00001“"
        enrolled = store.people()[0].created_at.date()
        assert f"aufgenommen am {enrolled:%d.%m.%Y}" in dialog.model.index(0).data()
    with language("es", "es_ES"):
        dialog = PeopleDialog(store)
        qtbot.addWidget(dialog)
        assert dialog.enrol_button.text() == "Inscribir a una persona nueva…"
        assert dialog.summary.text() == "2 personas inscritas"


def test_date_boxes_follow_the_region_or_iso(qtbot, tmp_path: Path) -> None:
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    with language("de", "de_DE"):
        dialog = ReportsDialog(workspace)
        qtbot.addWidget(dialog)
        assert dialog.day.displayFormat() == QLocale("de_DE").dateFormat(
            QLocale.FormatType.LongFormat)
        assert dialog.period.mode.currentText() == "Ein Tag"
        dialog.period.mode.setCurrentIndex(1)
        assert dialog.period.is_range and dialog.period.day_label.text() == "Von:"
        correct = CorrectTimeDialog(_event(), AT)
        qtbot.addWidget(correct)
        assert correct.time_edit.text() == "03.12.26 08:59"
    with language("de", "de_DE", iso_dates=True):
        dialog = ReportsDialog(workspace)
        qtbot.addWidget(dialog)
        assert dialog.day.displayFormat() == "ddd yyyy-MM-dd"
        correct = CorrectTimeDialog(_event(), AT)
        qtbot.addWidget(correct)
        assert correct.time_edit.text() == "2026-12-03 08:59"


def test_the_window_start_speaks_german_down_to_qt_own_buttons(qtbot) -> None:
    """Starting with locale.language de: the app's words, the date boxes' region and Qt's
    standard buttons (qtbase_de, which PySide6's wheel ships) are German."""
    app = QApplication.instance()
    before, locale_before = set(app.findChildren(QTranslator)), QLocale()
    try:
        _use_language(app, "de", iso_dates=False)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Abbrechen"
        assert i18n._("Reports") == "Berichte"
        assert QLocale().name().startswith("de_")
    finally:
        for translator in set(app.findChildren(QTranslator)) - before:
            app.removeTranslator(translator)
            translator.deleteLater()
        QLocale.setDefault(locale_before)
        with language("en"):
            pass  # back to English words and en_US dates


def test_the_language_and_iso_dates_are_chosen_and_saved_in_settings(qtbot,
                                                                      tmp_path: Path) -> None:
    """The two locale settings sit in the Settings dialog with the others, offer the
    languages by their own names, say a change applies at the next start, and save."""
    path = tmp_path / "config.yaml"
    dialog = SettingsDialog(AppConfig(), path, tmp_path)
    qtbot.addWidget(dialog)
    offered = [dialog.language.itemText(index) for index in range(dialog.language.count())]
    assert offered == ["Automatic (system)", "English", "Deutsch", "Español"]
    assert dialog.language.currentData() == "auto" and not dialog.iso_dates.isChecked()
    assert "next time the app starts" in dialog.language_note.text()
    dialog.language.setCurrentIndex(dialog.language.findData("es"))
    dialog.iso_dates.setChecked(True)
    dialog.save()
    assert dialog.error.text() == ""
    saved = load_config(path).locale
    assert (saved.language, saved.iso_dates) == ("es", True)
    again = SettingsDialog(load_config(path), path, tmp_path)
    qtbot.addWidget(again)
    assert again.language.currentText() == "Español" and again.iso_dates.isChecked()
