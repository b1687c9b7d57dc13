"""Names in any letter case and any Unicode spelling are one person: enrol, rename, forget,
and stores made before names had keys."""

from __future__ import annotations

import os
import re
import sqlite3
import unicodedata
from contextlib import closing
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from enrolment import FaceStore, NewEncoding, StoreError
from tests.support.faults_support import cli


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


def test_the_same_photo_enrolled_twice_counts_once(faces_dir: Path, tmp_path: Path) -> None:
    """Re-running enrol --folder must not turn one photo into two (which would also loosen
    the one-photo tolerance)."""
    folder = tmp_path / "photos"
    for name in ("obama", "biden"):
        (folder / name).mkdir(parents=True)
        photo = next((faces_dir / "enrol" / name).iterdir())
        (folder / name / photo.name).write_bytes(photo.read_bytes())
    data = ["--data-dir", str(tmp_path / "data")]
    assert cli("enrol", "--folder", str(folder), *data).returncode == 0

    again = cli("enrol", "--folder", str(folder), *data)
    single = cli("enrol", "obama", str(next((folder / "obama").iterdir())), *data)

    assert again.returncode == 0, again.stderr
    assert "Skipped 2 photos already enrolled" in again.stdout
    assert "already enrolled for obama (the same photo); skipped" in single.stdout
    store = FaceStore(tmp_path / "data" / "faces.sqlite3")
    assert [(p.name, p.encoding_count) for p in store.people()] == [("biden", 1), ("obama", 1)]


def test_a_near_identical_copy_is_the_same_photo_but_another_photo_is_not(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    base = np.random.default_rng(5).normal(size=128)
    store.enrol("Ada", [NewEncoding(base, "a.jpg", photo_hash="h1")])
    copy = NewEncoding(base + 0.001, "a-copy.jpg", photo_hash="h2")  # re-saved: tiny distance
    same_file = NewEncoding(base + 0.5, "a.jpg", photo_hash="h1")
    other = NewEncoding(base + 0.05, "b.jpg", photo_hash="h3")  # 0.57 away: another photo

    assert store.new_faces("ADA", [copy, same_file, other]) == [other]
    assert store.enrol("Ada", [copy, other]).encoding_count == 2


def test_the_same_face_under_a_second_name_is_refused_unless_forced(
        faces_dir: Path, tmp_path: Path) -> None:
    photo = str(faces_dir / "enrol" / "obama" / "obama.jpg")
    data = ["--data-dir", str(tmp_path)]
    assert cli("enrol", "obama", photo, *data).returncode == 0

    refused = cli("enrol", "Barack", photo, *data)
    forced = cli("enrol", "Barack", photo, "--force", *data)
    seen = cli("identify", str(faces_dir / "probe" / "obama" / "obama1.jpg"), *data)

    assert refused.returncode == 1
    assert refused.stderr.strip().startswith("error: this face is already enrolled as obama")
    assert "--force" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert forced.returncode == 0, forced.stderr
    assert "ambiguous: " in seen.stdout and "obama" in seen.stdout and "Barack" in seen.stdout


@pytest.mark.parametrize("via_uv", [True, False], ids=["uv run", "installed"])
def test_printed_hints_can_be_run_as_they_are(tmp_path: Path, via_uv: bool,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """README starts the app with `uv run attendance-app`; a hint must say it that way."""
    if via_uv:
        monkeypatch.setenv("UV", "/usr/bin/uv")
    else:
        monkeypatch.delenv("UV", raising=False)
    result = cli("people", "--data-dir", str(tmp_path), env=dict(os.environ))
    expected = ("uv run " if via_uv else "") + "attendance-app enrol NAME photo.jpg"
    assert result.stdout.strip().endswith(expected) and result.returncode == 0
    if not via_uv:
        assert "uv run" not in result.stdout


def test_people_columns_stay_in_line_with_wide_names(tmp_path: Path) -> None:
    """Wide characters take two terminal columns: the table must count them so."""
    from attendance_app.cli.output import display_width

    store = FaceStore(tmp_path / "faces.sqlite3")
    for seed, name in enumerate(("노무현", "Ada", "山田 太郎")):
        store.enrol(name, _face(seed))
    header, *rows = cli("people", "--data-dir", str(tmp_path)).stdout.splitlines()
    assert len(rows) == 3
    assert len({display_width(row) for row in rows}) == 1  # every row as wide as the others
    ends = {display_width(row[:re.search(r"(\d+)\s+\d+\s+[A-Z][a-z]{2} ", row).end(1)])
            for row in rows}  # the id, then the encodings, then the date ("Dec 5, 2026")
    assert ends == {display_width(header[:header.index("ID") + 2])}  # ids under "ID"


def test_folders_of_folders_are_searched_and_empty_ones_said(faces_dir: Path, tmp_path: Path) -> None:
    """run --source DIR and identify DIR on a folder of class folders find the photos in
    them; a folder without photos, and a run with nobody enrolled, say so."""
    classes = tmp_path / "classes"
    (classes / "4b").mkdir(parents=True)
    group = faces_dir / "group" / "obama_and_biden.jpg"
    (classes / "4b" / group.name).write_bytes(group.read_bytes())
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    data = ["--data-dir", str(tmp_path / "data")]

    nobody = cli("run", "--headless", "--source", str(classes), *data)
    assert cli("enrol", "obama", str(faces_dir / "enrol" / "obama" / "obama.jpg"), *data).returncode == 0
    found = cli("identify", str(classes), *data)
    ran = cli("run", "--headless", "--source", str(classes), *data)
    empty = cli("run", "--headless", "--source", str(tmp_path / "empty"), *data)

    assert "nobody is enrolled yet" in nobody.stderr
    assert found.returncode == 0 and "obama" in found.stdout and "4b" in found.stdout
    assert ran.returncode == 0 and "IN" in ran.stdout and "obama" in ran.stdout
    assert "Photos done: 1 photo" not in ran.stdout and "Photo done in" in ran.stdout
    assert "no photos in" in empty.stderr and "sub-folders" in empty.stderr


def test_folder_names_with_underscores_are_said_and_can_become_spaces(
        faces_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "photos" / "Barack_Obama"
    folder.mkdir(parents=True)
    photo = faces_dir / "enrol" / "obama" / "obama.jpg"
    (folder / photo.name).write_bytes(photo.read_bytes())

    plain = cli("enrol", "--folder", str(folder.parent), "--data-dir", str(tmp_path / "a"))
    spaced = cli("enrol", "--folder", str(folder.parent), "--names-from-folders",
                 "--data-dir", str(tmp_path / "b"))

    assert "--names-from-folders" in plain.stdout and "'Barack Obama'" in plain.stdout
    assert [p.name for p in FaceStore(tmp_path / "a" / "faces.sqlite3").people()] == ["Barack_Obama"]
    assert spaced.returncode == 0, spaced.stderr
    assert [p.name for p in FaceStore(tmp_path / "b" / "faces.sqlite3").people()] == ["Barack Obama"]


INVISIBLE = {"\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING",
             "\u202c": "POP DIRECTIONAL FORMATTING", "\u202d": "LEFT-TO-RIGHT OVERRIDE",
             "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
             "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE",
             "\u2069": "POP DIRECTIONAL ISOLATE", "\u200e": "LEFT-TO-RIGHT MARK",
             "\u200f": "RIGHT-TO-LEFT MARK", "\u061c": "ARABIC LETTER MARK",
             "\u200b": "ZERO WIDTH SPACE", "\u200c": "ZERO WIDTH NON-JOINER",
             "\u200d": "ZERO WIDTH JOINER", "\u2060": "WORD JOINER",
             "\ufeff": "ZERO WIDTH NO-BREAK SPACE"}


@pytest.mark.parametrize("char", INVISIBLE)
def test_bidi_controls_and_zero_width_characters_are_refused_by_the_store(
        char: str, tmp_path: Path) -> None:
    """Issue 20: "Ada\\u202eNIKSEP" showed as "AdaPESKIN" in the workbook and terminal."""
    store = FaceStore(tmp_path / "faces.sqlite3")
    store.enrol("Ada", _face(1))
    for attempt in (lambda: store.enrol(f"Ada{char}Lovelace", _face(2)),
                    lambda: store.rename("Ada", f"{char}Ada"),
                    lambda: store.enrol(f"Ada {char}", _face(3))):
        with pytest.raises(StoreError) as refused:
            attempt()
        message = str(refused.value)
        assert f"U+{ord(char):04X} ({INVISIBLE[char]})" in message and char not in message
    assert [(p.name, p.encoding_count) for p in store.people()] == [("Ada", 1)]


def test_the_command_line_refuses_an_invisible_character_in_one_line(
        faces_dir: Path, tmp_path: Path) -> None:
    photo = str(faces_dir / "enrol" / "obama" / "obama.jpg")
    refused = cli("enrol", "Barack\u202eamabO", photo, "--data-dir", str(tmp_path))
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        "error: the name 'Barack\\u202eamabO' contains the invisible character U+202E "
        "(RIGHT-TO-LEFT OVERRIDE), which changes how names look or tell apart; type the "
        "name without it"]
    assert cli("enrol", "Barack Obama", photo, "--data-dir", str(tmp_path)).returncode == 0
    renamed = cli("rename", "Barack Obama", "Barack\u200bObama", "--data-dir", str(tmp_path))
    assert renamed.returncode == 1 and "U+200B (ZERO WIDTH SPACE)" in renamed.stderr
    assert "\u200b" not in renamed.stderr
    assert "Barack Obama" in cli("people", "--data-dir", str(tmp_path)).stdout


def test_an_unknown_group_is_not_enrolled_under_an_invisible_character(
        faces_dir: Path, tmp_path: Path) -> None:
    """`unknowns enrol N NAME` (and the Unknown visitors dialog, which calls the same
    enrol_group) checks the name as enrol does, and keeps the group."""
    from attendance_app.camera.images import load_rgb
    from attendance_app.faces.sface import SFaceEngine
    from attendance_app.recognition.photos import face_thumbnail, faces_in_photo
    from attendance_app.unknowns.store import UNKNOWNS_FILE, NewSighting, UnknownStore

    rgb = load_rgb(faces_dir / "enrol" / "biden" / next(
        p.name for p in (faces_dir / "enrol" / "biden").iterdir()))
    face = faces_in_photo(SFaceEngine(), rgb)[0]
    store = UnknownStore(tmp_path / "data" / UNKNOWNS_FILE)
    store.add(NewSighting(datetime.now(), "Door", face_thumbnail(rgb, face.box),
                          round(face.box.height), "sface", face.encoding[None, :]))
    config = tmp_path / "config.yaml"
    config.write_text("unknowns:\n  keep_days: 30\n")
    refused = cli("unknowns", "enrol", "1", "Joe\u2066Biden", "--data-dir", str(tmp_path / "data"),
                  "--config", str(config))
    assert refused.returncode == 1 and "U+2066 (LEFT-TO-RIGHT ISOLATE)" in refused.stderr
    assert store.count() == 1 and FaceStore(tmp_path / "data" / "faces.sqlite3").people() == []
