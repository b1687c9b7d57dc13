"""The calendar in the face store's file: closures of the site or a group, leave per
person; one-line refusals (a span ending before it starts, an unknown group or person,
a closure touching one of the same scope, an empty name); forgetting a person or deleting
a group takes their leave or closures with them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from enrolment import DaysOffBook, FaceStore, GroupBook, NewEncoding, StoreError
from tests.support.encodings import random_face

XMAS, NEW_YEAR = date(2026, 12, 24), date(2027, 1, 1)


def _book(tmp_path: Path) -> DaysOffBook:
    store = FaceStore(tmp_path / "faces.sqlite3")
    for seed, name in enumerate(("Ada", "Bob")):
        store.enrol(name, [NewEncoding(random_face(seed), f"{name}.jpg")])
    GroupBook(store).add("Class 3B", 0b11111, "08:30", 10)
    return DaysOffBook(store)


def test_closures_of_the_site_and_a_group_are_kept_listed_and_removed(tmp_path: Path) -> None:
    book = _book(tmp_path)
    book.close(XMAS, NEW_YEAR, "Christmas break")
    book.close(date(2026, 12, 28), date(2026, 12, 28), "Trip", "class 3b")  # other scope
    assert [(c.first, c.last, c.name, c.group) for c in book.closures()] == [
        (XMAS, NEW_YEAR, "Christmas break", None),
        (date(2026, 12, 28), date(2026, 12, 28), "Trip", "Class 3B")]
    assert [c.name for c in book.closures(2027)] == ["Christmas break"]
    assert book.closures(2025) == []
    with pytest.raises(StoreError, match="closed already .Christmas break"):
        book.close(date(2026, 12, 31), date(2026, 12, 31), "New Year's Eve")
    assert book.reopen(date(2026, 12, 30)).name == "Christmas break"   # the whole span
    assert [c.name for c in book.closures()] == ["Trip"]
    with pytest.raises(StoreError, match="not a closed day of the site"):
        book.reopen(date(2026, 12, 28))
    assert book.reopen(date(2026, 12, 28), "CLASS 3B").name == "Trip"
    assert book.closures() == []


def test_bad_closures_and_leave_are_refused_in_one_line(tmp_path: Path) -> None:
    book = _book(tmp_path)
    for call, words in (
            (lambda: book.close(NEW_YEAR, XMAS, "Break"), "end .2026-12-24. before it starts"),
            (lambda: book.close(XMAS, XMAS, "Eve", "Choir"), "no group called 'Choir'"),
            (lambda: book.close(XMAS, XMAS, "  "), "give the holiday's name"),
            (lambda: book.add_leave("Zed", XMAS, XMAS, "ill"), "nobody called 'Zed'"),
            (lambda: book.add_leave("Ada", NEW_YEAR, XMAS, "ill"), "before it starts"),
            (lambda: book.add_leave("Ada", XMAS, XMAS, "a\nb"), "one line"),
            (lambda: book.remove_leave(99), "no leave number 99")):
        with pytest.raises(StoreError, match=words) as refused:
            call()
        assert "\n" not in str(refused.value)
    assert book.closures() == [] and book.leave() == []


def test_leave_is_kept_per_person_and_goes_with_them(tmp_path: Path) -> None:
    book = _book(tmp_path)
    flu = book.add_leave("ada", date(2026, 12, 1), date(2026, 12, 4), " flu ")
    book.add_leave("Bob", XMAS, XMAS, "dentist")
    assert (flu.person, flu.reason) == ("Ada", "flu")
    assert [entry.person for entry in book.leave()] == ["Ada", "Bob"]
    assert [entry.reason for entry in book.leave("BOB")] == ["dentist"]
    assert book.remove_leave(flu.leave_id).person == "Ada"
    book.close(XMAS, XMAS, "Trip", "Class 3B")
    book.store.forget("Bob")
    GroupBook(book.store).remove("Class 3B")
    assert book.leave() == [] and book.closures() == []


def test_every_change_of_the_calendar_is_logged_with_its_days(tmp_path: Path) -> None:
    """changed_since tells the workbook's writer which days changed, whoever changed them:
    additions, removals, and the leave a forgotten person takes away (the cascade)."""
    book = _book(tmp_path)
    assert book.changed_since(0) == (0, [])
    book.close(XMAS, NEW_YEAR, "Christmas break")
    newest, spans = book.changed_since(0)
    assert (newest, spans) == (1, [(XMAS, NEW_YEAR)])
    leave = book.add_leave("Bob", date(2027, 2, 1), date(2027, 2, 3), "ill")
    book.remove_leave(leave.leave_id)
    book.add_leave("Ada", date(2027, 3, 1), date(2027, 3, 1), "dentist")
    book.store.forget("Ada")
    assert book.changed_since(newest) == (5, [(date(2027, 2, 1), date(2027, 2, 3))] * 2
                                          + [(date(2027, 3, 1), date(2027, 3, 1))] * 2)
    assert book.changed_since(5) == (5, [])


def test_a_reader_behind_the_kept_log_is_told_that_anything_may_have_changed(
        tmp_path: Path) -> None:
    book = _book(tmp_path)
    with book.store._open() as db, db:  # noqa: SLF001 - 4,102 changes in one transaction
        db.executemany("INSERT INTO closed_days (first_day, last_day, name, created_at)"
                       " VALUES (?, ?, 'Eve', '')", [(XMAS.isoformat(),) * 2] * 4101)
    book.close(NEW_YEAR, NEW_YEAR, "New Year")  # the log keeps the last 4,096
    assert book.changed_since(3) == (4102, None)
    assert book.changed_since(4100) == (4102, [(XMAS, XMAS), (NEW_YEAR, NEW_YEAR)])
