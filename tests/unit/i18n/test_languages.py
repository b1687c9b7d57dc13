"""Which language and which regional format: the setting, else the system's."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from attendance_app.i18n import apply_locale, dates, language
from attendance_app.i18n.languages import chosen_language, format_region, system_region
from exports import words
from tests.support.translations import language as in_language


def test_system_region_reads_hint_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert system_region() == "es_ES"
    assert system_region("de_AT") == "de_AT"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert system_region() == "es_ES", "C names no language: the next variable decides"


def test_auto_takes_the_region_language_when_shipped_else_english() -> None:
    assert chosen_language("auto", "de_AT") == "de"
    assert chosen_language("auto", "fr_FR") == "en"
    assert chosen_language("es", "en_GB") == "es"


def test_dates_follow_the_region_unless_it_speaks_another_language() -> None:
    assert format_region("en", "en_GB") == "en_GB"
    assert format_region("de", "de_CH") == "de_CH"
    assert format_region("de", "en_US") == "de_DE"


def test_apply_locale_sets_words_and_dates_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    try:
        assert apply_locale("auto", iso_dates=False) == "de"
        assert language() == "de"
        assert dates.day_text(date(2026, 12, 4)) == "04.12.2026"
        assert words.date_number_format() == "DD.MM.YYYY"
        apply_locale("en", iso_dates=True)
        assert dates.day_text(date(2026, 12, 4)) == "2026-12-04"
        assert words.date_number_format() == "YYYY-MM-DD"
    finally:
        apply_locale("en", iso_dates=False, region_hint="en_US")


@pytest.mark.parametrize(("region", "day", "clock", "month", "cell_date", "cell_time"), [
    ("en_US", "Dec 4, 2026", "2:05\u202fPM", "December 2026", "M/D/YYYY", "H:MM AM/PM"),
    ("en_GB", "4 Dec 2026", "14:05", "December 2026", "DD/MM/YYYY", "HH:MM"),
    ("de_DE", "04.12.2026", "14:05", "Dezember 2026", "DD.MM.YYYY", "HH:MM"),
    ("es_ES", "4 dic 2026", "14:05", "diciembre de 2026", "D/M/YYYY", "HH:MM"),
])
def test_dates_and_times_in_each_region(region: str, day: str, clock: str, month: str,
                                        cell_date: str, cell_time: str) -> None:
    moment = datetime(2026, 12, 4, 14, 5)
    with in_language("en", region):
        assert dates.day_text(moment.date()) == day
        assert dates.time_text(moment) == clock
        assert dates.month_text(2026, 12) == month
        assert words.date_number_format() == cell_date
        assert words.time_number_format() == cell_time


def test_iso_dates_whatever_the_region() -> None:
    with in_language("de", "de_DE", iso_dates=True):
        assert dates.moment_text(datetime(2026, 12, 4, 14, 5)) == "2026-12-04 14:05"
        assert dates.month_text(2026, 12) == "2026-12"
        assert dates.weekday_and_day_text(date(2026, 12, 4)) == "Freitag 2026-12-04"
