"""The face store on real SQLite files: enrolling, forgetting and renaming, each engine's
encodings apart in one store, stores of earlier versions upgraded, and a photo enrolled
twice (or re-saved) stored once."""

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
from enrolment import FaceStore, NewEncoding, StoredShot, StoreError
from enrolment.store import SAME_PHOTO_DISTANCE
from tests.support.encodings import nearby, random_face, sface_encoding, unit_length


def test_enrol_keeps_every_encoding_and_adds_to_an_existing_person(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    store.enrol("Ada Lovelace", [NewEncoding(random_face(1), "a.jpg"), NewEncoding(random_face(2), "b.jpg")])
    person = store.enrol("ada lovelace", [NewEncoding(random_face(3), "c.jpg", b"jpeg")])
    assert (person.name, person.encoding_count) == ("Ada Lovelace", 3)
    table = store.encoding_table()
    assert table.vectors.shape == (3, 128)
    assert np.allclose(table.vectors[2], random_face(3))
    assert store.face_images("Ada Lovelace") == [b"jpeg"]


def test_store_file_is_private_to_its_owner(tmp_path: Path) -> None:
    FaceStore(tmp_path / "faces.sqlite3")
    assert stat.S_IMODE((tmp_path / "faces.sqlite3").stat().st_mode) == 0o600


def test_forget_removes_person_encodings_and_images_for_good(tmp_path: Path) -> None:
    path = tmp_path / "faces.sqlite3"
    store = FaceStore(path)
    marker = b"FACE-IMAGE-MARKER" * 50
    store.enrol("Grace", [NewEncoding(random_face(4), "g.jpg", marker)])
    store.enrol("Alan", [NewEncoding(random_face(5), "t.jpg")])
    store.forget("grace")
    assert [p.name for p in store.people()] == ["Alan"]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM encodings").fetchone()[0] == 1
    assert marker not in path.read_bytes(), "vacuum must leave no trace in free pages"


def test_rename_and_its_refusals(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    store.enrol("Grace", [NewEncoding(random_face(4), "g.jpg")])
    store.enrol("Alan", [NewEncoding(random_face(5), "t.jpg")])
    assert store.rename("Grace", "Grace Hopper").name == "Grace Hopper"
    with pytest.raises(StoreError, match="already enrolled"):
        store.rename("Alan", "grace hopper")
    with pytest.raises(StoreError, match="nobody called"):
        store.forget("Nobody")
    with pytest.raises(StoreError, match="non-empty"):
        store.enrol("  ", [NewEncoding(random_face(6), "x.jpg")])


# --- each engine's encodings in one store (issue 12, item 2) -----------------------------

def _photo(seed: int, name: str, engines: tuple[str, ...] = ("dlib", "sface"),
           image: bytes | None = b"jpeg", photo_hash: str | None = "hash") -> list[NewEncoding]:
    """One photo as enrolment gives it: an encoding per engine (sface's of unit length),
    all with the same source, face picture and file hash."""
    return [NewEncoding(unit_length(random_face(seed + 1000 * n)) if engine == "sface" else random_face(seed),
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
    assert np.allclose(sface.vectors[0], unit_length(random_face(1001)))
    assert dlib.names == sface.names == {ada.person_id: "Ada", bob.person_id: "Bob"}
    assert store.encoding_table("other").vectors.shape == (0, 128)
    assert store.face_images("Ada") == [b"jpega.jpg", b"jpegb.jpg"], "one picture per photo"
    assert _rows(tmp_path / "faces.sqlite3",
                 "SELECT COUNT(*) FROM encodings WHERE face_image IS NOT NULL") == [(3,)]


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    with pytest.raises(StoreError, match="unknown face engine 'arcface'; known: dlib, sface"):
        store.enrol("Ada", [NewEncoding(random_face(1), "a.jpg", engine="arcface")])
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
            [(1, random_face(1).tobytes(), b"jpeg-a", "a.jpg", "2024-01-02T03:04:05"),
             (1, random_face(2).tobytes(), b"jpeg-b", "b.jpg", "2024-01-02T03:04:05"),
             (2, random_face(3).tobytes(), None, "camera", "2024-01-02T03:04:06")])


@pytest.mark.parametrize("schema", _OLD_SCHEMAS.values(), ids=_OLD_SCHEMAS.keys())
def test_a_store_of_an_earlier_version_is_upgraded_in_place(tmp_path: Path, schema: str) -> None:
    path = tmp_path / "faces.sqlite3"
    _old_store(path, schema)
    store = FaceStore(path)

    dlib = store.encoding_table("dlib")
    assert dlib.person_ids.tolist() == [1, 1, 2] and np.array_equal(dlib.vectors[2], random_face(3))
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
    dlib, sface = random_face(1), unit_length(random_face(1001))
    copy = [NewEncoding(nearby(dlib, 0.03, 1), "copy.jpg", photo_hash="h2"),
            NewEncoding(unit_length(nearby(sface, 0.3, 2)), "copy.jpg", photo_hash="h2", engine="sface")]
    assert 0.3 < SAME_PHOTO_DISTANCE["sface"] and 0.03 < SAME_PHOTO_DISTANCE["dlib"]
    assert store.new_faces("Ada", copy) == []
    other = [NewEncoding(nearby(dlib, 0.3, 3), "other.jpg", photo_hash="h3"),
             NewEncoding(unit_length(nearby(sface, 0.6, 4)), "other.jpg", photo_hash="h3", engine="sface")]
    assert store.new_faces("Ada", other) == other

    # An sface vector like a stored dlib one is not a copy: engines are never compared.
    crossed = NewEncoding(dlib, "crossed.jpg", photo_hash="h4", engine="sface")
    assert store.new_faces("Ada", [crossed]) == [crossed]


def test_shots_lacking_an_engine_are_listed_completed_and_counted_once(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    # Two camera shots taken in the same second: the same source, no file hash, told apart
    # by their face pictures.
    ada = store.enrol("Ada", [*_photo(1, "camera 12:00", engines=("dlib",), photo_hash=None),
                              NewEncoding(random_face(2), "camera 12:00", b"jpegcamera 12:00 #2")])
    bob = store.enrol("Bob", _photo(3, "b.jpg", engines=("dlib",), image=None))
    cyd = store.enrol("Cyd", _photo(4, "c.jpg"))
    missing = store.shots_without("sface")
    assert missing == [StoredShot(ada.person_id, "camera 12:00", b"jpegcamera 12:00", None),
                       StoredShot(ada.person_id, "camera 12:00", b"jpegcamera 12:00 #2", None),
                       StoredShot(bob.person_id, "b.jpg", None, "hash-b.jpg")]
    assert [p.name for p in store.people_needing_photos("sface")] == ["Bob"]
    assert store.people_needing_photos("dlib") == []

    computed = [NewEncoding(unit_length(random_face(100 + n)), shot.source, shot.face_image,
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
    pieces = (random_face(1).tobytes()[:64], unit_length(random_face(1001)).tobytes()[:64])
    assert all(piece in path.read_bytes() for piece in pieces), "premise: Ada is in the file"
    store.forget("Ada")
    assert _rows(path, "SELECT engine, COUNT(*) FROM encodings GROUP BY engine") == [
        ("dlib", 1), ("sface", 1)]
    assert not any(piece in path.read_bytes() for piece in pieces)


def test_a_resaved_photo_is_the_same_photo_for_sface_and_another_photo_is_not(
        faces_dir: Path, tmp_path: Path) -> None:
    """SAME_PHOTO_DISTANCE["sface"] between the measured re-saves and other photos."""
    engine = SFaceEngine()
    rgb = load_rgb(faces_dir / "enrol" / "clapton" / "clapton-1.jpg")
    store = FaceStore(tmp_path / "faces.sqlite3")
    store.enrol("clapton", [NewEncoding(sface_encoding(engine, rgb), "clapton-1.jpg",
                                        photo_hash="h1", engine="sface")])
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR),
                            [cv2.IMWRITE_JPEG_QUALITY, 85])  # the worst re-save measured
    resaved = cv2.cvtColor(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    copy = NewEncoding(sface_encoding(engine, resaved), "copy.jpg", photo_hash="h2",
                       engine="sface")
    other_photo = next((faces_dir / "probe" / "clapton").iterdir())
    other = NewEncoding(sface_encoding(engine, load_rgb(other_photo)), other_photo.name,
                        photo_hash="h3", engine="sface")
    assert store.new_faces("clapton", [copy, other]) == [other]
