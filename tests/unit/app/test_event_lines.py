"""The lines `run --headless` prints per row and refusal: the same as the log's English
describe() in English, and in the user's language otherwise (issue 27, point 3)."""

from __future__ import annotations

from datetime import datetime

from attendance_app.app.event_lines import event_line, refusal_line
from attendance_app.recognition.refusal import Refusal
from attendance_app.types import AgeGender, AttendanceEvent, Expression
from tests.support.translations import language, pseudo, untranslated

AT = datetime(2026, 10, 29, 7, 58, 3)
EVENT = AttendanceEvent(AT, 3, "Ada", "Front door", 0.4123, "in",
                        expression=Expression("happy", 0.87),
                        age_gender=AgeGender(34.4, "female", 0.91))
REFUSAL = Refusal(AT, 3, "Ada", "Front door", 0.41, "did not move")


def test_english_lines_are_the_logs() -> None:
    assert event_line(EVENT) == EVENT.describe()
    assert refusal_line(REFUSAL) == REFUSAL.describe()


def test_german_lines() -> None:
    with language("de", "de_DE"):
        line, refused = event_line(EVENT), refusal_line(REFUSAL)

    assert line == ("2026-10-29 07:58:03  EIN  Ada (ID 3)  Abstand 0.412  Kamera Front door"
                    "  Ausdruck happy 87%  Alter etwa 34, female 91%")
    assert refused == ("2026-10-29 07:58:03  ABGEWIESEN  Ada (ID 3)  did not move  "
                       "Kamera Front door")


def test_every_word_goes_through_the_catalog() -> None:
    with pseudo():
        lines = [event_line(EVENT), refusal_line(REFUSAL)]

    data = ("Ada", "Front door", "happy", "female", "did not move")
    assert not untranslated(lines, data=data), lines
