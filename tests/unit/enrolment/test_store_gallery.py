"""The face store (real SQLite files) and the gallery rule on synthetic encodings; each
engine's encodings apart in one store; the cosine metric on real SFace encodings."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import cv2
import numpy as np
import pytest

from attendance_app.camera.images import load_rgb
from attendance_app.faces.sface import SFaceEngine
from enrolment import (
    EncodingTable,
    FaceStore,
    Gallery,
    NewEncoding,
    ShotProblem,
    StoredShot,
    StoreError,
    judge_shot,
    person_distances,
)
from enrolment.gallery import FAR_BEYOND_TOLERANCE, SINGLE_PHOTO_STRICTER
from enrolment.quality import sharpness
from enrolment.store import SAME_PHOTO_DISTANCE


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


# --- each engine's encodings in one store (issue 12, item 2) -----------------------------

def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / np.linalg.norm(vector)


def _photo(seed: int, name: str, engines: tuple[str, ...] = ("dlib", "sface"),
           image: bytes | None = b"jpeg", photo_hash: str | None = "hash") -> list[NewEncoding]:
    """One photo as enrolment gives it: an encoding per engine (sface's of unit length),
    all with the same source, face picture and file hash."""
    return [NewEncoding(_unit(_vector(seed + 1000 * n)) if engine == "sface" else _vector(seed),
                        name, image and image + name.encode(),
                        photo_hash and f"{photo_hash}-{name}", engine)
            for n, engine in enumerate(engines)]


def _rows(path: Path, query: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(query).fetchall()


def test_each_engine_has_its_own_table_and_a_photo_counts_once(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    ada = store.enrol("Ada", [*_photo(1, "a.jpg"), *_photo(2, "b.jpg")])
    bob = store.enrol("Bob", _photo(3, "c.jpg", engines=("dlib",)))

    assert (ada.encoding_count, bob.encoding_count) == (2, 1), "photos, not rows (4 for Ada)"
    assert [(p.name, p.encoding_count) for p in store.people()] == [("Ada", 2), ("Bob", 1)]
    assert store.find("ada").encoding_count == 2
    dlib, sface = store.encoding_table("dlib"), store.encoding_table()
    assert np.array_equal(dlib.vectors, sface.vectors), "dlib is the default engine"
    sface = store.encoding_table("sface")
    assert dlib.person_ids.tolist() == [ada.person_id, ada.person_id, bob.person_id]
    assert sface.person_ids.tolist() == [ada.person_id, ada.person_id]
    assert np.allclose(sface.vectors[0], _unit(_vector(1001)))
    assert dlib.names == sface.names == {ada.person_id: "Ada", bob.person_id: "Bob"}
    assert store.encoding_table("other").vectors.shape == (0, 128)
    assert store.face_images("Ada") == [b"jpega.jpg", b"jpegb.jpg"], "one picture per photo"
    assert _rows(tmp_path / "faces.sqlite3",
                 "SELECT COUNT(*) FROM encodings WHERE face_image IS NOT NULL") == [(3,)]


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    with pytest.raises(StoreError, match="unknown face engine 'arcface'; known: dlib, sface"):
        store.enrol("Ada", [NewEncoding(_vector(1), "a.jpg", engine="arcface")])
    assert store.people() == []


# The schema of the store before engines had names (and, for the oldest stores, before
# photo hashes and name keys).
_OLD_SCHEMAS = {
    "with photo hashes": """
        CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE, created_at TEXT NOT NULL, name_key TEXT);
        CREATE TABLE encodings (id INTEGER PRIMARY KEY AUTOINCREMENT,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            vector BLOB NOT NULL, face_image BLOB, source TEXT NOT NULL,
            created_at TEXT NOT NULL, photo_hash TEXT);
        CREATE INDEX encodings_by_person ON encodings(person_id);
        CREATE UNIQUE INDEX people_by_key ON people(name_key);""",
    "oldest": """
        CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE, created_at TEXT NOT NULL);
        CREATE TABLE encodings (id INTEGER PRIMARY KEY AUTOINCREMENT,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            vector BLOB NOT NULL, face_image BLOB, source TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE INDEX encodings_by_person ON encodings(person_id);""",
}


def _old_store(path: Path, schema: str) -> None:
    """Ada from two photos (with face pictures), Bob from one camera shot without one."""
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript(schema)
        db.executemany("INSERT INTO people (id, name, created_at) VALUES (?, ?, ?)",
                       [(1, "Ada", "2024-01-02T03:04:05"), (2, "Bob", "2024-01-02T03:04:06")])
        db.executemany(
            "INSERT INTO encodings (person_id, vector, face_image, source, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(1, _vector(1).tobytes(), b"jpeg-a", "a.jpg", "2024-01-02T03:04:05"),
             (1, _vector(2).tobytes(), b"jpeg-b", "b.jpg", "2024-01-02T03:04:05"),
             (2, _vector(3).tobytes(), None, "camera", "2024-01-02T03:04:06")])


@pytest.mark.parametrize("schema", _OLD_SCHEMAS.values(), ids=_OLD_SCHEMAS.keys())
def test_a_store_of_an_earlier_version_is_upgraded_in_place(tmp_path: Path, schema: str) -> None:
    path = tmp_path / "faces.sqlite3"
    _old_store(path, schema)
    store = FaceStore(path)

    dlib = store.encoding_table("dlib")
    assert dlib.person_ids.tolist() == [1, 1, 2] and np.array_equal(dlib.vectors[2], _vector(3))
    assert store.encoding_table("sface").vectors.shape == (0, 128)
    assert [(p.name, p.encoding_count) for p in store.people()] == [("Ada", 2), ("Bob", 1)]
    assert store.shots_without("sface") == [StoredShot(1, "a.jpg", b"jpeg-a", None),
                                            StoredShot(1, "b.jpg", b"jpeg-b", None),
                                            StoredShot(2, "camera", None, None)]
    assert store.shots_without("dlib") == []
    indexes = {name for (name,) in _rows(path, "SELECT name FROM sqlite_master"
                                               " WHERE type = 'index'")}
    assert {"encodings_by_engine", "encodings_by_shot"} <= indexes
    assert "encodings_by_person" not in indexes, "replaced by encodings_by_shot"
    plan = " ".join(row[3] for row in _rows(path, "EXPLAIN QUERY PLAN SELECT vector FROM"
                                            " encodings WHERE engine = 'sface' AND person_id = 1"))
    assert "encodings_by_engine" in plan
    FaceStore(path)  # opening an upgraded store again changes nothing
    assert [p.encoding_count for p in FaceStore(path).people()] == [2, 1]


def test_a_photo_enrolled_again_is_skipped_for_each_engine_that_has_it(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    store.enrol("Ada", _photo(1, "a.jpg", engines=("dlib",)))  # as a store from before sface
    again = _photo(1, "a.jpg")
    assert store.new_faces("Ada", again) == [again[1]], "its sface encoding is still missing"
    assert store.enrol("Ada", again).encoding_count == 1, "it completes the photo stored"
    assert store.new_faces("Ada", again) == []
    assert store.shots_without("sface") == []

    # A re-saved copy (another file hash), judged within each engine at its own distance.
    dlib, sface = _vector(1), _unit(_vector(1001))
    copy = [NewEncoding(_near(dlib, 0.03, 1), "copy.jpg", photo_hash="h2"),
            NewEncoding(_unit(_near(sface, 0.3, 2)), "copy.jpg", photo_hash="h2", engine="sface")]
    assert 0.3 < SAME_PHOTO_DISTANCE["sface"] and 0.03 < SAME_PHOTO_DISTANCE["dlib"]
    assert store.new_faces("Ada", copy) == []
    other = [NewEncoding(_near(dlib, 0.3, 3), "other.jpg", photo_hash="h3"),
             NewEncoding(_unit(_near(sface, 0.6, 4)), "other.jpg", photo_hash="h3", engine="sface")]
    assert store.new_faces("Ada", other) == other

    # An sface vector like a stored dlib one is not a copy: engines are never compared.
    crossed = NewEncoding(dlib, "crossed.jpg", photo_hash="h4", engine="sface")
    assert store.new_faces("Ada", [crossed]) == [crossed]


def test_shots_lacking_an_engine_are_listed_completed_and_counted_once(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    # Two camera shots taken in the same second: the same source, no file hash, told apart
    # by their face pictures.
    ada = store.enrol("Ada", [*_photo(1, "camera 12:00", engines=("dlib",), photo_hash=None),
                              NewEncoding(_vector(2), "camera 12:00", b"jpegcamera 12:00 #2")])
    bob = store.enrol("Bob", _photo(3, "b.jpg", engines=("dlib",), image=None))
    cyd = store.enrol("Cyd", _photo(4, "c.jpg"))
    missing = store.shots_without("sface")
    assert missing == [StoredShot(ada.person_id, "camera 12:00", b"jpegcamera 12:00", None),
                       StoredShot(ada.person_id, "camera 12:00", b"jpegcamera 12:00 #2", None),
                       StoredShot(bob.person_id, "b.jpg", None, "hash-b.jpg")]
    assert [p.name for p in store.people_needing_photos("sface")] == ["Bob"]
    assert store.people_needing_photos("dlib") == []

    computed = [NewEncoding(_unit(_vector(100 + n)), shot.source, shot.face_image,
                            shot.photo_hash, "sface") for n, shot in enumerate(missing[:2])]
    assert store.add_encodings(ada.person_id, computed).encoding_count == 2
    assert store.add_encodings(ada.person_id, computed).encoding_count == 2, "stored once"
    assert store.shots_without("sface") == missing[2:]
    sface = store.encoding_table("sface")
    assert sorted(sface.person_ids.tolist()) == [ada.person_id] * 2 + [cyd.person_id]
    assert [p.encoding_count for p in store.people()] == [2, 1, 1]
    assert store.face_images("Ada") == [b"jpegcamera 12:00", b"jpegcamera 12:00 #2"]
    with pytest.raises(StoreError, match="nobody with id 99"):
        store.add_encodings(99, computed)


def test_forget_removes_every_engines_encodings(tmp_path: Path) -> None:
    path = tmp_path / "faces.sqlite3"
    store = FaceStore(path)
    store.enrol("Ada", [*_photo(1, "a.jpg"), *_photo(2, "b.jpg")])
    store.enrol("Bob", _photo(3, "c.jpg"))
    pieces = (_vector(1).tobytes()[:64], _unit(_vector(1001)).tobytes()[:64])
    assert all(piece in path.read_bytes() for piece in pieces), "premise: Ada is in the file"
    store.forget("Ada")
    assert _rows(path, "SELECT engine, COUNT(*) FROM encodings GROUP BY engine") == [
        ("dlib", 1), ("sface", 1)]
    assert not any(piece in path.read_bytes() for piece in pieces)


# --- the cosine metric on real SFace encodings --------------------------------------------

ENROLLED = ("obama", "biden", "clapton", "lennon", "bbt_amy", "bbt_howard")


def _sface_encoding(engine: SFaceEngine, rgb: np.ndarray) -> np.ndarray:
    """SFace's encoding of the largest face in an RGB image (engines take BGR)."""
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    boxes = sorted(engine.detect_in_photo(bgr), key=lambda box: box.area, reverse=True)
    return engine.encode(bgr, boxes[:1])[0]


@pytest.fixture(scope="module")
def sface_store(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> FaceStore:
    """The enrolment photos of ENROLLED, encoded by SFace (and a dlib stand-in beside them,
    which must stay out of the sface gallery)."""
    engine = SFaceEngine()
    store = FaceStore(tmp_path_factory.mktemp("sface") / "faces.sqlite3")
    for name in ENROLLED:
        photo = next((faces_dir / "enrol" / name).iterdir())
        encoding = _sface_encoding(engine, load_rgb(photo))
        store.enrol(name, [NewEncoding(np.zeros(128), photo.name),
                           NewEncoding(encoding, photo.name, engine="sface")])
    return store


def test_the_cosine_metric_is_one_minus_cosine_on_real_sface_encodings(
        faces_dir: Path, sface_store: FaceStore) -> None:
    engine = SFaceEngine()
    table = sface_store.encoding_table("sface")
    gallery = Gallery(table, tolerance=0.575, margin=0.05, metric="cosine")
    probes = sorted((faces_dir / "probe").glob("*/*"))[::3] + sorted(
        (faces_dir / "stranger").iterdir())[:3]
    for path in probes:
        probe = _sface_encoding(engine, load_rgb(path))
        direct = SFaceEngine.distances(probe, table.vectors)
        expected = {pid: float(direct[table.person_ids == pid].min()) for pid in table.names}
        people, distances = gallery.distances_by_person(probe)
        assert dict(zip(people.tolist(), distances.tolist())) == pytest.approx(expected, abs=1e-12)
        assert person_distances(table, probe, metric="cosine") == pytest.approx(expected, abs=1e-12)
        ranked = sorted(expected, key=expected.__getitem__)
        match = gallery.match(probe)
        assert match.person_id == ranked[0] and match.distance == pytest.approx(expected[ranked[0]])
        assert match.runner_up == pytest.approx(expected[ranked[1]])
        if path.parent.name in ENROLLED:
            assert match.name == path.parent.name, path.name
    grown = gallery.adding(99, "copy of obama", [table.vectors[0]])
    assert grown.metric == "cosine" and grown.match(table.vectors[0]).distance == pytest.approx(0)


def test_the_cosine_metric_scales_encodings_to_unit_length_and_far_is_a_parameter() -> None:
    vectors = np.stack([_unit(_vector(1)), _unit(_vector(2))])
    table = EncodingTable(vectors * [[3.0], [0.5]], np.array([1, 2]), {1: "Ada", 2: "Bob"})
    probe = _unit(_near(vectors[0], 0.2, 1)) * 7
    match = Gallery(table, 0.5, 0.05, metric="cosine").match(probe)
    cosine = probe @ vectors[0] / np.linalg.norm(probe)
    assert match.name == "Ada" and match.distance == pytest.approx(1 - cosine, abs=1e-12)
    assert Gallery(table, 0.01, 0.0, metric="cosine", far_beyond=1.0).match(probe).far is False
    assert Gallery(table, 0.01, 0.0, metric="cosine", far_beyond=0.001).match(probe).far
    with pytest.raises(ValueError, match="unknown metric 'manhattan'"):
        Gallery(table, 0.5, 0.05, metric="manhattan")


def test_a_resaved_photo_is_the_same_photo_for_sface_and_another_photo_is_not(
        faces_dir: Path, tmp_path: Path) -> None:
    """SAME_PHOTO_DISTANCE["sface"] between the measured re-saves and other photos."""
    engine = SFaceEngine()
    rgb = load_rgb(faces_dir / "enrol" / "clapton" / "clapton-1.jpg")
    store = FaceStore(tmp_path / "faces.sqlite3")
    store.enrol("clapton", [NewEncoding(_sface_encoding(engine, rgb), "clapton-1.jpg",
                                        photo_hash="h1", engine="sface")])
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR),
                            [cv2.IMWRITE_JPEG_QUALITY, 85])  # the worst re-save measured
    resaved = cv2.cvtColor(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    copy = NewEncoding(_sface_encoding(engine, resaved), "copy.jpg", photo_hash="h2",
                       engine="sface")
    other_photo = next((faces_dir / "probe" / "clapton").iterdir())
    other = NewEncoding(_sface_encoding(engine, load_rgb(other_photo)), other_photo.name,
                        photo_hash="h3", engine="sface")
    assert store.new_faces("clapton", [copy, other]) == [other]
