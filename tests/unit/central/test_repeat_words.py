"""A repeat in the central log (a person logged at a second door within the cooldown) is
shown in the workbook's Voided column with words saying why, in the user's language
(issue 27, point 3); the time in them keeps its HH:MM:SS form."""

from __future__ import annotations

from datetime import datetime, timedelta

from attendance_app.central.records import mark_repeats
from attendance_app.types import AttendanceEvent
from tests.support.translations import pseudo, untranslated


def _events() -> list[AttendanceEvent]:
    return [AttendanceEvent(datetime(2026, 12, 1, 7, 5), 1, "Ada", "Main", 0.4, "in", 1),
            AttendanceEvent(datetime(2026, 12, 1, 7, 6), 1, "Ada", "Back", 0.4, "in", 2)]


def test_a_repeat_says_where_and_when_the_person_was_logged_first() -> None:
    first, second = mark_repeats(_events(), timedelta(minutes=30))
    assert first.repeat is None
    assert second.repeat == "repeat: logged at Main at 07:05:00 already (not counted)"


def test_the_words_of_a_repeat_go_through_the_catalog() -> None:
    with pseudo():
        _, second = mark_repeats(_events(), timedelta(minutes=30))
    assert second.repeat is not None
    assert untranslated([second.repeat], data=["Main"]) == []
