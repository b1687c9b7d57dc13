"""The lines `run --headless` prints for each row and each refusal, in the user's language.

AttendanceEvent.describe() and Refusal.describe() keep their English words for the log
file and for support; a person at the terminal reads these. The time stays as the log
writes it (YYYY-MM-DD HH:MM:SS, lined up, one per line: a listing, not a sentence), the
expression's and gender's class names are the models' own, as in the workbook.
"""

from __future__ import annotations

from attendance_app.i18n import N_, _
from attendance_app.recognition.refusal import Refusal
from attendance_app.types import AttendanceEvent

KINDS = {"in": N_("IN"), "out": N_("OUT")}
"""An event's kind as the line shows it (the journal keeps "in" and "out")."""


def event_line(event: AttendanceEvent) -> str:
    """One row as printed when it is committed: time, kind, name, id, distance, camera,
    then what analytics read, when on."""
    kind = _(KINDS[event.kind]) if event.kind in KINDS else event.kind.upper()
    line = _("{time}  {kind:<3}  {name} (id {person_id})  distance {distance:.3f}  camera "
             "{camera}").format(time=f"{event.timestamp:%Y-%m-%d %H:%M:%S}", kind=kind,
                                name=event.name, person_id=event.person_id,
                                distance=event.distance, camera=event.camera)
    if event.expression is not None:
        line = _("{line}  looked {expression}").format(line=line,
                                                      expression=event.expression.describe())
    if event.age_gender is not None:
        line = _("{line}  age about {age:.0f}, {gender}").format(
            line=line, age=event.age_gender.age, gender=event.age_gender.gender_words())
    return line


def refusal_line(refusal: Refusal) -> str:
    """One refusal as printed when it is noted (the reason as the journal keeps it)."""
    return _("{time}  REFUSED  {name} (id {person_id})  {reason}  camera {camera}").format(
        time=f"{refusal.timestamp:%Y-%m-%d %H:%M:%S}", name=refusal.name,
        person_id=refusal.person_id, reason=refusal.reason, camera=refusal.camera)
