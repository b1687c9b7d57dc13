"""The tolerance tightens as the gallery grows (enrolment.gallery.tolerance_at_size): a
face that a gallery of 100 names at a given distance is not named by one of 1,000, and
the tightening survives a gallery grown or updated in place."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.faces import PROFILES
from enrolment import EncodingTable, Gallery
from enrolment.gallery import SIZE_REFERENCE, tolerance_at_size
from tests.support.encodings import nearby, random_face


def test_the_tolerance_is_the_one_set_up_to_100_people_then_one_step_tighter_per_tenfold() -> None:
    assert tolerance_at_size(0.575, 1, 0.05) == 0.575
    assert tolerance_at_size(0.575, SIZE_REFERENCE, 0.05) == 0.575
    assert tolerance_at_size(0.575, 1_000, 0.05) == pytest.approx(0.525)
    assert tolerance_at_size(0.575, 10_000, 0.05) == pytest.approx(0.475)
    assert tolerance_at_size(0.575, 10_000, 0.0) == 0.575


def _table(people: int) -> EncodingTable:
    vectors = np.array([random_face(1000 + n) for n in range(people)])
    return EncodingTable(vectors, np.arange(1, people + 1), {n: f"p{n}" for n in range(1, people + 1)})


def test_a_face_named_among_100_people_is_not_named_at_the_same_distance_among_1000() -> None:
    small, large = _table(100), _table(1_000)
    face = nearby(small.vectors[0], 0.53, 7)  # within 0.55, beyond 0.55 - 0.05
    assert Gallery(small, 0.55, 0.0, 0.0, tighter_per_tenfold=0.05).match(face).accepted
    match = Gallery(large, 0.55, 0.0, 0.0, tighter_per_tenfold=0.05).match(face)
    assert match.name == "p1" and not match.accepted
    assert Gallery(large, 0.55, 0.0, 0.0).match(face).accepted  # without the tightening


def test_a_gallery_grown_or_updated_in_place_keeps_tightening_with_its_size() -> None:
    table = _table(100)
    gallery = Gallery(table, 0.55, 0.0, 0.0, tighter_per_tenfold=0.05)
    grown = gallery
    for person in range(101, 1_001):
        grown = grown.adding(person, f"p{person}", [random_face(5000 + person)])
    assert grown.size == 1_000
    assert grown.tolerance_for(1) == pytest.approx(0.50)
    forgotten = grown.replacing([person for person in range(2, 901)],
                                EncodingTable(np.empty((0, 128)), np.empty(0, dtype=np.int64), {}))
    assert forgotten.size == 101
    assert forgotten.tolerance_for(1) == pytest.approx(tolerance_at_size(0.55, 101, 0.05))


def test_every_engine_tightens_its_tolerance_with_the_gallery() -> None:
    assert all(profile.tighter_per_tenfold > 0 for profile in PROFILES.values())


def test_the_doors_gallery_tightens_as_its_engine_was_measured(tmp_path: Path) -> None:
    config = AppConfig()
    gallery = Workspace.resolve(config, tmp_path / "data", None).gallery()
    assert gallery.tighter_per_tenfold == PROFILES[config.recognition.engine].tighter_per_tenfold
