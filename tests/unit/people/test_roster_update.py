"""A running door's gallery brought up to date from the store's change log equals one
read afresh from the store (issue 22: a roster change at 20,000 people must not pause
the camera for a full rebuild). Real SQLite stores; synthetic encodings stand for faces,
which is all a gallery compares."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from attendance_app.people.roster_watch import MOST_REPLACED, brought_up_to_date
from enrolment import FaceStore, Gallery, NewEncoding
from enrolment.store_schema import LOG_KEPT

ENGINE = "sface"


def _shots(rng: np.random.Generator, name: str, count: int) -> list[NewEncoding]:
    """`count` photos of a person, each encoded by both engines (as enrol stores them)."""
    found = []
    for shot in range(count):
        source = f"{name}-{shot}-{rng.integers(1 << 30)}.jpg"
        for engine in ("sface", "dlib"):
            vector = rng.normal(size=128)
            found.append(NewEncoding(vector / np.linalg.norm(vector), source, None, None, engine))
    return found


def _built(store: FaceStore) -> Gallery:
    return Gallery(store.encoding_table(ENGINE), 0.575, 0.05, 0.03, metric="cosine",
                   far_beyond=0.08, negatives=store.negative_table(ENGINE))


def _assert_same(updated: Gallery, rebuilt: Gallery, rng: np.random.Generator) -> None:
    """Same people, names, encodings per person (within float rounding), negatives, and
    so the same match for any face."""
    assert updated.table.names == rebuilt.table.names
    assert updated.size == rebuilt.size
    for person in rebuilt.table.names:
        mine = np.sort(updated.table.vectors[updated.table.person_ids == person], axis=0)
        theirs = np.sort(rebuilt.table.vectors[rebuilt.table.person_ids == person], axis=0)
        np.testing.assert_allclose(mine, theirs, atol=1e-12)
        assert updated.tolerance_for(person) == rebuilt.tolerance_for(person)
    assert (updated.negatives is None) == (rebuilt.negatives is None)
    if updated.negatives is not None and rebuilt.negatives is not None:
        assert sorted(updated.negatives.person_ids.tolist()) == sorted(
            rebuilt.negatives.person_ids.tolist())
    probes = [*rebuilt.table.vectors[:5], *rng.normal(size=(5, 128))]
    for probe in probes:
        assert updated.match(probe) == rebuilt.match(probe)


class _Door:
    """What a running door holds: a gallery and the store counter it reflects."""

    def __init__(self, store: FaceStore) -> None:
        self.store = FaceStore(store.path)  # the door's own connection to the file
        self.rebuilds = 0
        self.counter = self.store.change_counter()
        self.gallery = _built(self.store)

    def _rebuild(self) -> Gallery:
        self.rebuilds += 1
        return _built(self.store)

    def look(self) -> None:
        self.counter, self.gallery = brought_up_to_date(
            self.store, self.gallery, ENGINE, self.counter, self._rebuild)


def test_enrol_rename_forget_add_shots_update_the_gallery_as_a_rebuild_would(
        tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    store = FaceStore(tmp_path / "faces.sqlite3")
    for number in range(30):
        store.enrol(f"Person {number}", _shots(rng, f"p{number}", 1 + number % 3))
    door = _Door(store)
    steps: list[Callable[[], object]] = [
        lambda: store.enrol("New One", _shots(rng, "new1", 1)),
        lambda: store.rename("Person 3", "Person Three"),
        lambda: store.forget("Person 5"),
        lambda: store.enrol("Person 1", _shots(rng, "p1-more", 2)),  # adds shots
        lambda: (store.enrol("New Two", _shots(rng, "new2", 1)), store.forget("New One"),
                 store.rename("Person 7", "Person 5")),  # several changes between looks
        lambda: store.enrol("Person 5", _shots(rng, "p7-as-5", 1)),
        lambda: [store.forget(f"Person {number}") for number in range(10, 22)],  # compacted
        lambda: store.enrol("Person 10", _shots(rng, "p10-again", 2)),
    ]
    seen = []
    for step in steps:
        step()
        door.look()
        seen.append((door.gallery, _built(store)))
        _assert_same(door.gallery, _built(store), rng)
    assert door.rebuilds == 0, "every change was taken in person by person"
    for older, then in seen:  # galleries grown in place left the older ones as they were
        _assert_same(older, then, rng)
    branch = seen[0][0].replacing([1], store.encoding_table(ENGINE, [1]))  # from an old one
    _assert_same(seen[-1][0], _built(store), rng)
    assert branch.size == seen[0][0].size
    before = door.gallery
    door.look()
    assert door.gallery is before, "nothing changed: the gallery in use stays"


def test_a_voided_row_changes_the_negatives_so_the_gallery_is_read_again(
        tmp_path: Path) -> None:
    rng = np.random.default_rng(8)
    store = FaceStore(tmp_path / "faces.sqlite3")
    ada = store.enrol("Ada", _shots(rng, "ada", 1))
    store.enrol("Bob", _shots(rng, "bob", 1))
    door = _Door(store)
    when = datetime(2026, 12, 4, 9)
    store.keep_event_faces(1, when, ada.person_id, ENGINE, [rng.normal(size=128)])
    store.void_event_faces(1, when)
    door.look()
    assert door.rebuilds == 1
    _assert_same(door.gallery, _built(store), rng)
    store.forget("Ada")  # with her negatives
    door.look()
    assert door.rebuilds == 1
    _assert_same(door.gallery, _built(store), rng)


@pytest.mark.parametrize("changes", [LOG_KEPT + 1, MOST_REPLACED + 1])
def test_a_door_too_far_behind_reads_the_whole_gallery_again(
        tmp_path: Path, changes: int) -> None:
    """Beyond what the log keeps, or more people than replacing pays for: a rebuild."""
    rng = np.random.default_rng(9)
    store = FaceStore(tmp_path / "faces.sqlite3")
    store.enrol("Ada", _shots(rng, "ada", 1))
    door = _Door(store)
    people = changes if changes == MOST_REPLACED + 1 else changes // 3 + 1  # 3 log rows each
    for number in range(people):
        store.enrol(f"P{number}", _shots(rng, f"p{number}", 1))
    door.look()
    assert door.rebuilds == 1
    _assert_same(door.gallery, _built(store), rng)


def test_a_person_with_a_shot_this_engine_has_not_encoded_yet_makes_a_rebuild(
        tmp_path: Path) -> None:
    """The rebuild is what encodes such shots (Workspace.gallery); replacing would leave
    the person out of this engine's gallery."""
    rng = np.random.default_rng(10)
    store = FaceStore(tmp_path / "faces.sqlite3")
    store.enrol("Ada", _shots(rng, "ada", 1))
    door = _Door(store)
    store.enrol("Old", [shot for shot in _shots(rng, "old", 1) if shot.engine == "dlib"])
    door.look()
    assert door.rebuilds == 1
