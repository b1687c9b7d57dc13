"""The face store (real SQLite files) and the gallery rule on synthetic encodings."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import numpy as np
import pytest

from enrolment import FaceStore, Gallery, NewEncoding, StoreError, judge_shot, ShotProblem
from enrolment.gallery import FAR_BEYOND_TOLERANCE, SINGLE_PHOTO_STRICTER
from enrolment.quality import sharpness


def _vector(seed: int) -> np.ndarray:
    """A random unit-ish 128-d vector; different seeds are ~1.4 apart, like strangers."""
    return np.random.default_rng(seed).normal(0, 1, 128) / np.sqrt(128)


def _near(vector: np.ndarray, offset: float, seed: int) -> np.ndarray:
    step = np.random.default_rng(seed).normal(0, 1, 128)
    return vector + offset * step / np.linalg.norm(step)


def test_enrol_keeps_every_encoding_and_adds_to_an_existing_person(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    store.enrol("Ada Lovelace", [NewEncoding(_vector(1), "a.jpg"), NewEncoding(_vector(2), "b.jpg")])
    person = store.enrol("ada lovelace", [NewEncoding(_vector(3), "c.jpg", b"jpeg")])
    assert (person.name, person.encoding_count) == ("Ada Lovelace", 3)
    table = store.encoding_table()
    assert table.vectors.shape == (3, 128)
    assert np.allclose(table.vectors[2], _vector(3))
    assert store.face_images("Ada Lovelace") == [b"jpeg"]


def test_store_file_is_private_to_its_owner(tmp_path: Path) -> None:
    FaceStore(tmp_path / "faces.sqlite3")
    assert stat.S_IMODE((tmp_path / "faces.sqlite3").stat().st_mode) == 0o600


def test_forget_removes_person_encodings_and_images_for_good(tmp_path: Path) -> None:
    path = tmp_path / "faces.sqlite3"
    store = FaceStore(path)
    marker = b"FACE-IMAGE-MARKER" * 50
    store.enrol("Grace", [NewEncoding(_vector(4), "g.jpg", marker)])
    store.enrol("Alan", [NewEncoding(_vector(5), "t.jpg")])
    store.forget("grace")
    assert [p.name for p in store.people()] == ["Alan"]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM encodings").fetchone()[0] == 1
    assert marker not in path.read_bytes(), "vacuum must leave no trace in free pages"


def test_rename_and_its_refusals(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    store.enrol("Grace", [NewEncoding(_vector(4), "g.jpg")])
    store.enrol("Alan", [NewEncoding(_vector(5), "t.jpg")])
    assert store.rename("Grace", "Grace Hopper").name == "Grace Hopper"
    with pytest.raises(StoreError, match="already enrolled"):
        store.rename("Alan", "grace hopper")
    with pytest.raises(StoreError, match="nobody called"):
        store.forget("Nobody")
    with pytest.raises(StoreError, match="non-empty"):
        store.enrol("  ", [NewEncoding(_vector(6), "x.jpg")])


def test_gallery_accepts_a_close_match_and_names_the_nearest_person(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    ada = _vector(10)
    store.enrol("Ada", [NewEncoding(ada, "a1"), NewEncoding(_near(ada, 0.3, 1), "a2")])
    store.enrol("Bob", [NewEncoding(_vector(11), "b1")])
    gallery = Gallery(store.encoding_table(), tolerance=0.5, margin=0.05)
    match = gallery.match(_near(ada, 0.2, 2))
    assert match.accepted and match.name == "Ada" and match.label == "Ada"
    assert match.distance == pytest.approx(0.2, abs=1e-9)
    assert match.runner_up > 1.0


def test_gallery_uses_the_nearest_of_a_persons_encodings(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    far, near = _vector(20), _vector(21)
    store.enrol("Ada", [NewEncoding(far, "profile"), NewEncoding(near, "frontal")])
    gallery = Gallery(store.encoding_table(), tolerance=0.5, margin=0.0)
    assert gallery.match(_near(near, 0.1, 3)).distance == pytest.approx(0.1)


def test_gallery_rejects_beyond_tolerance_and_within_margin(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    ada = _vector(30)
    twin = _near(ada, 0.06, 4)
    store.enrol("Ada", [NewEncoding(ada, "a")])
    store.enrol("Twin", [NewEncoding(twin, "t")])
    gallery = Gallery(store.encoding_table(), tolerance=0.5, margin=0.1)
    ambiguous = gallery.match(_near(ada, 0.02, 5))
    assert not ambiguous.accepted and ambiguous.label == "Unknown"
    stranger = gallery.match(_vector(99))
    assert not stranger.accepted and stranger.distance > 0.5


def test_empty_gallery_matches_nobody(tmp_path: Path) -> None:
    gallery = Gallery(FaceStore(tmp_path / "f.sqlite3").encoding_table(), 0.5, 0.05)
    match = gallery.match(_vector(1))
    assert match.person_id is None and not match.accepted and gallery.size == 0


def test_shot_judgement() -> None:
    assert judge_shot([], 60) is ShotProblem.NO_FACE
    assert judge_shot([(80, 80), (70, 70)], 60) is ShotProblem.SEVERAL_FACES
    assert judge_shot([(40, 40)], 60) is ShotProblem.TOO_SMALL
    assert judge_shot([(90, 90)], 60) is None
    flat = np.full((90, 90), 128, dtype=np.uint8)
    assert judge_shot([(90, 90)], 60, flat, min_sharpness=10.0) is ShotProblem.BLURRY


def test_sharpness_is_higher_for_detail_than_for_a_flat_patch() -> None:
    checker = (np.indices((40, 40)).sum(axis=0) % 2 * 255).astype(np.uint8)
    assert sharpness(checker) > 1000 > sharpness(np.zeros((40, 40)))


def test_a_person_enrolled_from_one_photo_is_matched_more_strictly(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    one, two = _vector(40), _vector(41)
    store.enrol("One Photo", [NewEncoding(one, "o")])
    store.enrol("Two Photos", [NewEncoding(two, "t1"), NewEncoding(_near(two, 0.3, 6), "t2")])
    gallery = Gallery(store.encoding_table(), tolerance=0.55, margin=0.0)
    distance = 0.55 - SINGLE_PHOTO_STRICTER / 2
    assert gallery.match(_near(two, distance, 7)).accepted
    assert not gallery.match(_near(one, distance, 8)).accepted
    assert gallery.match(_near(one, 0.55 - 2 * SINGLE_PHOTO_STRICTER, 9)).accepted


def test_a_face_is_far_only_when_it_is_well_past_every_persons_tolerance(
        tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    one, two = _vector(50), _vector(51)
    store.enrol("One Photo", [NewEncoding(one, "o")])
    store.enrol("Two Photos", [NewEncoding(two, "t1"), NewEncoding(_near(two, 0.3, 10), "t2")])
    gallery = Gallery(store.encoding_table(), tolerance=0.55, margin=0.05)
    assert gallery.match(_vector(99)).far, "a random face is nobody enrolled"
    just_rejected = gallery.match(_near(one, 0.55, 11))
    assert not just_rejected.accepted and not just_rejected.far
    beyond = 0.55 - SINGLE_PHOTO_STRICTER + FAR_BEYOND_TOLERANCE + 0.01
    assert gallery.match(_near(one, beyond, 12)).far
    # the same distance from someone enrolled from two photos (looser) is not far yet
    assert not gallery.match(_near(two, 0.55 + FAR_BEYOND_TOLERANCE - 0.01, 13)).far
