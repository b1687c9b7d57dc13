"""`attendance-app` with no command opens the window: its start-up problems must reach a
person who has no terminal (a message box) as well as stderr, in one line."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QMessageBox

from attendance_app.cli.main import build_parser, main
from tests.support.translations import language


def test_bad_config_stops_the_window_with_a_message_box(qapp, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("recognition:\n  tolerance: 7\n")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    assert main(["--config", str(config), "--data-dir", str(tmp_path)]) == 1
    assert len(shown) == 1 and "recognition.tolerance must be between" in shown[0]
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: ") and len(error.splitlines()) == 1


def test_source_is_a_global_option_and_run_keeps_its_own() -> None:
    args = build_parser().parse_args(["--source", "door.mp4", "--data-dir", "d"])
    assert args.command is None and args.window_source == "door.mp4"
    args = build_parser().parse_args(["run", "--source", "1", "--headless"])
    assert args.source == "1" and args.headless


def test_a_start_problem_is_said_in_the_language_of_the_settings(
        qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Settings read (locale.language de), then the data folder cannot be made: the box's
    title and the terminal's line are German (issue 27 point 3)."""
    config = tmp_path / "config.yaml"
    config.write_text("locale:\n  language: de\n")
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    titles: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: titles.append(title))
    translators, locale = set(qapp.findChildren(QTranslator)), QLocale()
    try:
        assert main(["--config", str(config), "--data-dir", str(not_a_folder)]) == 1
    finally:
        for translator in set(qapp.findChildren(QTranslator)) - translators:
            qapp.removeTranslator(translator)
            translator.deleteLater()
        QLocale.setDefault(locale)
        with language("en"):
            pass  # English words and en_US dates again for the next tests
    assert titles == ["Attendance kann nicht starten"]
    assert capsys.readouterr().err.startswith("Fehler: ")
