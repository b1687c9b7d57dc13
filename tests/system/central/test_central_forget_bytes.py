"""Forget on the central server leaves no face bytes in the server's files (issue 20, 5).

A real person is enrolled from a real photo, then forgotten with the app's `forget`; the
server is checkpointed and stopped cleanly (which writes every buffer, the unlogged keys
table's too) and every file of its data directory (base/, global/, pg_wal/ …) is searched
for the person's encodings (windows of their float64 bytes), face picture (windows of the
JPEG's compressed data) and face key. The control: before forget, the same search finds
the key and the sealed encodings, i.e. the face could be read back from the files then.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from attendance_app.central import face_seal, schema
from attendance_app.central.database import CentralDatabase
from attendance_app.central.replica import SharedFaceStore
from attendance_app.central.roster import CentralRoster
from tests.support.faults_support import cli
from tests.support.postgres_server import PostgresServer

WINDOW = 32
"""Bytes per searched pattern: long enough never to match by chance (2**256)."""


def windows(data: bytes, count: int, start: int = 0) -> list[bytes]:
    """`count` windows of WINDOW bytes spread evenly over data[start:]."""
    last = len(data) - WINDOW
    return [data[offset:offset + WINDOW]
            for offset in np.linspace(start, last, count).astype(int)]


def jpeg_windows(jpeg: bytes, count: int = 6) -> list[bytes]:
    """Windows of the picture's entropy-coded data (after the start-of-scan header), which
    are the picture's own: header bytes (tables) are shared by many JPEGs."""
    scan = jpeg.index(b"\xff\xda")
    return windows(jpeg[:-2], count, scan + 2 + int.from_bytes(jpeg[scan + 2:scan + 4], "big"))


def found_in(data_dir: Path, patterns: dict[str, bytes]) -> dict[str, list[str]]:
    """Which patterns occur in which files under `data_dir` (paths relative to it)."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        try:
            data = path.read_bytes()
        except OSError:  # a file removed while walking (a recycled WAL segment)
            continue
        for name, pattern in patterns.items():
            if pattern in data:
                found.setdefault(name, []).append(str(path.relative_to(data_dir)))
    return found


def flushed(server: PostgresServer) -> None:
    """CHECKPOINT, then a clean stop and start: every page, and the shutdown checkpoint's
    write of the unlogged tables, is in the files before they are searched."""
    with server.superuser() as db:
        db.execute("CHECKPOINT")
    server.stop()
    server.start()


@pytest.fixture
def enrolled(tmp_path: Path, database_url: str, faces_dir: Path) -> CentralDatabase:
    database = CentralDatabase(database_url)
    schema.initialise(database)
    photo = faces_dir / "enrol" / "obama" / "obama.jpg"
    result = cli("enrol", "Barack Obama", str(photo), "--data-dir", str(tmp_path),
                 "--database", database_url)
    assert result.returncode == 0, result.stderr
    return database


def test_forget_leaves_no_byte_of_the_face_or_its_key_in_the_servers_files(
        tmp_path: Path, enrolled: CentralDatabase, postgres_server: PostgresServer) -> None:
    with closing(sqlite3.connect(tmp_path / "central-roster.sqlite3")) as copy:
        rows = copy.execute("SELECT vector, face_image FROM encodings").fetchall()
    vectors = [bytes(vector) for vector, _ in rows]
    [picture] = [bytes(image) for _, image in rows if image is not None]
    assert len(vectors) == 2 and len(picture) > 1000  # both engines, one face picture
    with enrolled.transaction() as db:
        person_id, key = db.execute("SELECT person_id, key FROM people_keys"
                                    " WHERE person_id <> 0").fetchone()
        sealed = [bytes(row[0]) for row in db.execute("SELECT vector FROM encodings")]
    plain = {f"encoding {n} bytes {i}": w for n, v in enumerate(vectors)
             for i, w in enumerate(windows(v, 3))}
    plain |= {f"picture bytes {i}": w for i, w in enumerate(jpeg_windows(picture))}
    secret = {"key": bytes(key), **{f"sealed encoding {n}": s[-WINDOW:]
                                    for n, s in enumerate(sealed)}}

    flushed(postgres_server)
    before = found_in(postgres_server.data_dir, plain | secret)
    assert set(before) == set(secret), "control: the key and the sealed faces are on disk"
    assert any(np.frombuffer(face_seal.unseal(bytes(key), person_id, s) or b"",
                             dtype=np.float64).tobytes() in vectors for s in sealed), \
        "control: with the key found, the encodings open"

    forgot = cli("forget", "Barack Obama", "--data-dir", str(tmp_path), "--database",
                 enrolled.url)
    assert forgot.returncode == 0, forgot.stderr
    flushed(postgres_server)
    after = found_in(postgres_server.data_dir, plain | secret)
    assert "key" not in after, f"the forgotten person's key is still in {after['key']}"
    assert not set(plain) & set(after), f"face bytes found after forget: {after}"
    assert CentralRoster(enrolled).changes_since(0).encodings == []


def test_an_older_database_has_its_faces_sealed_by_init(
        tmp_path: Path, database_url: str, postgres_server: PostgresServer) -> None:
    """A database of schema version 1 (faces in the clear) brought up to date by init:
    each person gets a key, the rows are sealed, and the table file holds no plaintext."""
    database = CentralDatabase(database_url)
    vector = np.random.default_rng(7).normal(size=128).tobytes()
    with database.transaction() as db:
        db.execute(schema._VERSION_1)
        db.execute("INSERT INTO attendance_meta VALUES ('schema_version', '1'),"
                   " ('roster_id', 'old')")
        db.execute("INSERT INTO people (name, name_key, created_at, revision)"
                   " VALUES ('Ada', 'ada', '2026-01-01T08:00:00', 1)")
        db.execute("INSERT INTO encodings (person_id, vector, source, created_at, engine)"
                   " VALUES (1, %s, 'ada.jpg', '2026-01-01T08:00:00', 'sface')", (vector,))
    assert schema.initialise(database) == (1, schema.SCHEMA_VERSION)
    [row] = CentralRoster(database).changes_since(0).encodings
    assert row[2] == vector, "the door reads the sealed encoding back as it was"
    with database.transaction() as db:
        assert bytes(db.execute("SELECT vector FROM encodings").fetchone()[0]) != vector
        table = db.execute("SELECT pg_relation_filepath('encodings')").fetchone()[0]
        assert db.execute("SELECT has_table_privilege(current_database() || '_door',"
                          " 'events', 'INSERT') AND NOT has_table_privilege("
                          "current_database() || '_door', 'events', 'DELETE')").fetchone() \
            == (True,), "the upgrade made the doors' role with its rights"
    flushed(postgres_server)
    assert vector[:WINDOW] not in (postgres_server.data_dir / table).read_bytes(), \
        "the plaintext rows are rewritten out of the table's file"


def test_face_keys_lost_in_a_server_crash_are_given_back_by_a_door(
        tmp_path: Path, enrolled: CentralDatabase, postgres_server: PostgresServer,
        caplog: pytest.LogCaptureFixture) -> None:
    """The price of an unlogged keys table: a crash empties it. The door that enrolled
    (any door whose copy is up to date) gives the keys back at its next pull, and a door
    that joined meanwhile then gets the faces it could not read."""
    main = SharedFaceStore(tmp_path / "central-roster.sqlite3", CentralRoster(enrolled))
    faces = main.encoding_table("sface").vectors
    postgres_server.crash()
    postgres_server.start()
    with enrolled.transaction() as db:
        assert db.execute("SELECT COUNT(*) FROM people_keys").fetchone() == (0,)
    joined = SharedFaceStore(tmp_path / "joined.sqlite3", CentralRoster(enrolled))
    joined.pull()
    assert [p.name for p in joined.people()] == ["Barack Obama"]
    assert joined.encoding_table("sface").vectors.shape[0] == 0, "unreadable, left out"
    with caplog.at_level(logging.WARNING):
        main.pull()
    assert "lost the face keys of 1 person" in caplog.text
    assert np.array_equal(main.encoding_table("sface").vectors, faces), "the door kept its copy"
    with enrolled.transaction() as db:
        assert db.execute("SELECT COUNT(*) FROM people_keys WHERE person_id = 0").fetchone() \
            == (1,), "the mark is back: pulls no longer search for people without a key"
    joined.pull()
    assert np.array_equal(joined.encoding_table("sface").vectors, faces)
