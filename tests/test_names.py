"""Names in any letter case and any Unicode spelling are one person: enrol, rename, forget,
and stores made before names had keys."""

from __future__ import annotations

import sqlite3
import unicodedata
from contextlib import closing
from pathlib import Path

import numpy as np

from enrolment import FaceStore, NewEncoding
from tests.faults_support import cli


def _face(seed: int) -> list[NewEncoding]:
    return [NewEncoding(np.random.default_rng(seed).normal(size=128), f"photo{seed}.jpg")]


def test_non_ascii_names_in_another_case_or_spelling_are_the_same_person(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    first = store.enrol("Zoë Łukasz", _face(1))
    decomposed = unicodedata.normalize("NFD", "zoë łukasz")  # e + combining diaeresis

    again = store.enrol(decomposed, _face(2))
    shouting = store.find("ZOË ŁUKASZ")

    assert again.person_id == first.person_id and again.encoding_count == 2
    assert shouting is not None and shouting.person_id == first.person_id
    assert [p.name for p in store.people()] == ["Zoë Łukasz"]
    store.enrol("Ærin", _face(3))
    assert store.rename("æRIN", "Ærin Øst").name == "Ærin Øst"
    assert store.forget("ærin øst").name == "Ærin Øst"
    assert [p.name for p in store.people()] == ["Zoë Łukasz"]


def test_a_store_from_before_name_keys_gets_them_and_keeps_its_people(tmp_path: Path) -> None:
    path = tmp_path / "faces.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript("""
            CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE, created_at TEXT NOT NULL);
            CREATE TABLE encodings (id INTEGER PRIMARY KEY AUTOINCREMENT,
                person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
                vector BLOB NOT NULL, face_image BLOB, source TEXT NOT NULL,
                created_at TEXT NOT NULL);
            INSERT INTO people (name, created_at) VALUES ('Éva', '2026-01-01T00:00:00'),
                ('éva', '2026-01-02T00:00:00'), ('Ada', '2026-01-03T00:00:00');
        """)

    store = FaceStore(path)

    assert sorted(p.name for p in store.people()) == ["Ada", "Éva", "éva"]  # both kept
    assert store.find("ÉVA") is not None and store.find("ÉVA").name == "Éva"  # the first
    assert store.enrol("ada", _face(4)).name == "Ada"


def test_the_command_line_enrols_a_name_once_in_any_case(faces_dir: Path, tmp_path: Path) -> None:
    photo = str(faces_dir / "enrol" / "obama" / "obama.jpg")
    assert cli("enrol", "Zoë Łukasz", photo, "--data-dir", str(tmp_path)).returncode == 0
    result = cli("enrol", "ZOË ŁUKASZ", photo, "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    listed = cli("people", "--data-dir", str(tmp_path)).stdout
    assert listed.count("Zoë Łukasz") == 1 and "ZOË" not in listed
