"""The command line's language, chosen once at start (attendance_app/cli/language.py): from
the settings file the arguments name (before or after the subcommand), overridden by
ATTENDANCE_LANGUAGE, English when the settings cannot be read; the window applies the
settings again with the region its toolkit reports (attendance_app.gui.app)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from attendance_app.cli import language
from attendance_app.i18n import OVERRIDE, _, apply_locale, dates
from tests.support.translations import language as in_language


@pytest.fixture(autouse=True)
def english_afterwards(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No override from the machine running the tests; English again after each test."""
    monkeypatch.delenv(OVERRIDE, raising=False)
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    with in_language("en"):
        yield


def _settings(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_settings_named_after_the_subcommand_choose_the_language(tmp_path: Path) -> None:
    config = _settings(tmp_path, "locale:\n  language: de\n")

    assert language.start(["people", "--config", str(config)]) == "de"
    assert _("warning: {message}") == "Warnung: {message}"


def test_the_override_wins_over_the_settings(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    config = _settings(tmp_path, "locale:\n  language: de\n")
    monkeypatch.setenv(OVERRIDE, "es")

    assert language.start(["--config", str(config), "people"]) == "es"
    assert _("Name") == "Nombre"


def test_settings_that_cannot_be_read_leave_english(tmp_path: Path) -> None:
    config = _settings(tmp_path, "locale:\n  language: klingon\n")

    assert language.start(["--config", str(config), "people"]) == "en"
    assert _("Name") == "Name"


def test_the_window_gives_the_region_its_toolkit_knows() -> None:
    assert apply_locale("auto", False, region_hint="de_CH") == "de"
    assert dates.region() == "de_CH"
    assert _("Name") == "Name" and _("Encodings") == "Kodierungen"
