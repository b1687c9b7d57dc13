"""Groups in the face store's file: created, renamed, removed, people assigned; a store of
an earlier version gains the tables when opened; forgetting a person ends their
memberships in the same transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from enrolment import FaceStore, GroupBook, NewEncoding, StoreError
from tests.support.encodings import random_face

MON_FRI = 0b0011111


def _store(tmp_path: Path) -> FaceStore:
    store = FaceStore(tmp_path / "faces.sqlite3")
    for seed, name in enumerate(("Ada", "Bob", "Cleo")):
        store.enrol(name, [NewEncoding(random_face(seed), f"{name}.jpg")])
    return store


def test_groups_are_created_assigned_and_listed_with_members(tmp_path: Path) -> None:
    book = GroupBook(_store(tmp_path))
    book.add("Class 3B", MON_FRI, "08:30", 10, "15:30")
    book.add("Office", MON_FRI, "09:00", 0)
    assert book.assign("class 3b", ["Ada", "bob"]) == 2
    assert book.assign("Class 3B", ["Ada"]) == 0           # already in it: counted once
    assert book.assign("Office", ["Ada"]) == 1            # one person, two groups
    groups = {group.name: group for group in book.groups()}
    assert [groups["Class 3B"].members, groups["Office"].members] == [2, 1]
    assert (groups["Class 3B"].start, groups["Class 3B"].grace, groups["Class 3B"].end) == (
        "08:30", 10, "15:30")
    assert groups["Office"].end == ""
    ada = book.store.find("Ada")
    assert ada is not None
    assert sorted(book.memberships()[ada.person_id]) == sorted(
        [groups["Class 3B"].group_id, groups["Office"].group_id])


def test_unknown_group_or_person_is_refused_and_nothing_is_assigned(tmp_path: Path) -> None:
    book = GroupBook(_store(tmp_path))
    book.add("Office", MON_FRI, "09:00", 0)
    with pytest.raises(StoreError, match="nobody called 'Zed' is enrolled"):
        book.assign("Office", ["Ada", "Zed"])
    assert book.require("Office").members == 0
    with pytest.raises(StoreError, match="there is no group called 'Nope'"):
        book.assign("Nope", ["Ada"])
    with pytest.raises(StoreError, match="exists already"):
        book.add("OFFICE", MON_FRI, "09:00", 0)


def test_rename_remove_and_unassign(tmp_path: Path) -> None:
    book = GroupBook(_store(tmp_path))
    book.add("Office", MON_FRI, "09:00", 0)
    book.add("Lab", MON_FRI, "10:00", 5)
    book.assign("Office", ["Ada", "Bob", "Cleo"])
    with pytest.raises(StoreError, match="exists already"):
        book.rename("Office", "lab")
    assert book.rename("Office", "Sales").name == "Sales"
    assert book.find("Office") is None
    assert book.unassign("Sales", ["Bob", "Bob"]) == 1
    assert book.set_hours("Sales", 1, "07:45", 15).start == "07:45"
    assert book.remove("Sales").members == 2
    assert [group.name for group in book.groups()] == ["Lab"]
    assert book.memberships() == {}
    assert book.store.find("Ada") is not None              # people stay enrolled


def test_forgetting_a_person_ends_their_memberships(tmp_path: Path) -> None:
    book = GroupBook(_store(tmp_path))
    book.add("Office", MON_FRI, "09:00", 0)
    book.assign("Office", ["Ada", "Bob"])
    book.store.forget("Ada")
    assert book.require("Office").members == 1


def test_a_store_of_an_earlier_version_gains_the_group_tables(tmp_path: Path) -> None:
    path = tmp_path / "faces.sqlite3"
    FaceStore(path).enrol("Ada", [NewEncoding(random_face(1), "a.jpg")])
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE group_members")
        db.execute("DROP TABLE groups")
    book = GroupBook(FaceStore(path))
    book.add("Office", MON_FRI, "09:00", 0)
    assert book.assign("Office", ["Ada"]) == 1
