"""A door's copy of a large central roster: the first copy, and keeping it up to date.

On a real PostgreSQL 16 server (tests/support/postgres_server.py, on this machine) a roster of
--people people is made, each with --photos photos encoded by both engines and a face
picture per photo (random vectors; a 7 KB picture, the size the app keeps), sealed with
each person's key (central.face_seal) and written straight into the server's tables as
`database send-people` would leave them. Measured, with the app's own SharedFaceStore:

- first copy: a new door pulls the whole roster (pages of central.roster.CHANGES_PAGE
  people) into its central-roster.sqlite3;
- one change: one person enrolled at another door (the enrolment itself on the server,
  their encodings sealed, then the pull by a door that is up to date: what every door does
  when it is told of an enrolment); and a pull with nothing new, what a door does at every
  start;
- forget: one person forgotten on the server (which rewrites the whole keys table, see
  schema._FACE_KEYS), then pulled (their rows erased from the copy);
- gallery: what a running door does next, after a pull that brought one enrolment:
  bringing its SFace gallery up to date from the copy's change log
  (roster_watch.brought_up_to_date: the camera's pause since issue 22), and rebuilding it
  from the whole copy (the pause before).

    uv run python benchmarks/roster_copy.py [--people 1000 5000 20000] [--photos 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from attendance_app.central import face_seal  # noqa: E402
from attendance_app.central.database import CentralDatabase  # noqa: E402
from attendance_app.central.replica import SharedFaceStore  # noqa: E402
from attendance_app.central.roster import CentralRoster  # noqa: E402
from attendance_app.central.schema import initialise  # noqa: E402
from attendance_app.config.settings import AppConfig  # noqa: E402
from attendance_app.people.roster_watch import brought_up_to_date  # noqa: E402
from enrolment import Gallery, NewEncoding  # noqa: E402
from tests.support.postgres_server import PostgresServer  # noqa: E402

PICTURE_BYTES = 7_000
ENGINES = ("dlib", "sface")


def fill(database: CentralDatabase, people: int, photos: int) -> None:
    """`people` people with `photos` shots each, every shot encoded by both engines."""
    rng = np.random.default_rng(0)
    picture = bytes(PICTURE_BYTES)
    now = datetime.now().isoformat(timespec="seconds")
    with database.transaction() as db:
        db.execute("INSERT INTO people (id, name, name_key, created_at, revision)"
                   " SELECT n, 'Person ' || n, 'person ' || n, %s, nextval('roster_revision')"
                   " FROM generate_series(1, %s) n", (now, people))
        db.execute("SELECT setval('people_id_seq', %s)", (people,))
        rows = []
        keys = {person: face_seal.new_key() for person in range(1, people + 1)}
        next_id = 1
        for person in range(1, people + 1):
            key = keys[person]
            for shot in range(photos):
                first = next_id
                for number, engine in enumerate(ENGINES):
                    rows.append((next_id, person,
                                 face_seal.seal(key, person, rng.normal(size=128).tobytes()),
                                 face_seal.seal(key, person, picture) if number == 0 else None,
                                 f"photo{shot}.jpg", now, f"{person}-{shot}", engine,
                                 None if number == 0 else first))
                    next_id += 1
        with db.cursor().copy("COPY people_keys (person_id, key) FROM STDIN") as copy:
            for row in keys.items():
                copy.write_row(row)
        with db.cursor().copy("COPY encodings (id, person_id, vector, face_image, source,"
                              " created_at, photo_hash, engine, shot) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        db.execute("SELECT setval('encodings_id_seq', %s)", (next_id,))


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure(server: PostgresServer, folder: Path, people: int, photos: int) -> str:
    database = CentralDatabase(server.create_database(f"roster_{people}"))
    initialise(database)
    fill(database, people, photos)
    copy = SharedFaceStore(folder / f"copy-{people}.sqlite3", CentralRoster(database))
    first = timed(copy.pull)
    assert len(copy.people()) == people
    nothing = timed(copy.pull)
    rng = np.random.default_rng(1)
    enrol = timed(lambda: CentralRoster(database).enrol("Newcomer", [
        NewEncoding(rng.normal(size=128), "new.jpg", bytes(PICTURE_BYTES), "new", engine)
        for engine in ENGINES], {"dlib": 0.04, "sface": 0.45}))
    one = timed(copy.pull)
    forget_server = timed(lambda: CentralRoster(database).forget(people // 2))
    forget = timed(copy.pull)
    assert len(copy.people()) == people
    defaults = AppConfig().recognition

    def rebuilt() -> Gallery:
        return Gallery(copy.encoding_table("sface"), defaults.sface_tolerance, defaults.margin,
                       metric="cosine", negatives=copy.negative_table("sface"))

    gallery = timed(rebuilt)
    door_gallery, counter = rebuilt(), copy.change_counter()
    CentralRoster(database).enrol("Second newcomer", [
        NewEncoding(rng.normal(size=128), "new2.jpg", bytes(PICTURE_BYTES), "new2", engine)
        for engine in ENGINES], {"dlib": 0.04, "sface": 0.45})
    copy.pull()
    started = time.perf_counter()
    counter, updated = brought_up_to_date(copy, door_gallery, "sface", counter, rebuilt)
    update = (time.perf_counter() - started) * 1000
    assert updated.size == door_gallery.size + 1, "the newcomer is in the door's gallery"
    size = copy.path.stat().st_size / 1e6
    return (f"| {people:,} | {people * photos:,} | {first / 1000:.1f} s | {size:.0f} MB |"
            f" {nothing:.1f} ms | {enrol:.1f} ms | {one:.1f} ms | {forget_server:.1f} ms |"
            f" {forget:.1f} ms | {update:.1f} ms | {gallery:.0f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--photos", type=int, default=3)
    args = parser.parse_args()
    print("| people | photos | first copy | copy's size | pull, nothing new | enrol one |"
          " pull, one enrolment | forget one | pull, one forget | gallery updated |"
          " gallery rebuilt |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder, PostgresServer(Path(folder) / "pg") as server:
        for people in args.people:
            print(measure(server, Path(folder), people, args.photos), flush=True)


if __name__ == "__main__":
    main()
