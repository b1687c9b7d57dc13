"""What the number of enrolled people costs: one gallery match, enrolling one more person
during `enrol --folder`, `forget`, and opening the People dialog.

The stores hold synthetic people as `enrol --folder` stores them: three shots (photos)
each, every shot encoded by every engine: dlib as random 128-d encodings about 1.4 apart,
sface as random unit vectors about 1 apart in its 1 - cosine (both as strangers are).
Each shot has a real-size JPEG face picture (about 7 KB), kept once, in its first row.
Faces are not detected or encoded here: those costs do not grow with the people enrolled
and are measured by benchmarks/speed.py.

- match: median of 200 `Gallery.match` calls on random faces, in the gallery the app
  builds for its default engine (that engine's encodings, tolerance, margin and metric).
- enrol: the per-person work of `enrol --folder` for 20 more people at the end, once
  their photos are encoded by every engine (look-alike check against everyone, storing
  every engine's encodings, adding to the in-memory gallery), median per person, and of
  that the time spent storing (mostly the commit waiting for the disk).
- forget: one `FaceStore.forget` of a person in the middle.
- People dialog: building it and showing it (Qt offscreen) until the first rows are painted.

    uv run python -m benchmarks.people_scale [--people 1000 10000 50000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing, redirect_stderr
from datetime import datetime
from io import StringIO
from pathlib import Path
from unittest.mock import patch

import cv2
import numpy as np

from attendance_app.app.workspace import FACES_FILE, Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.faces import ENGINE_NAMES, PROFILES
from enrolment import FaceStore, NewEncoding, Person
from enrolment.store import ENCODING_SIZE, name_key

ENCODINGS_PER_PERSON = 3
"""Shots (photos) per person; each is stored once per engine."""

DEFAULT_ENGINE = AppConfig().recognition.engine

STORING_ORDER = (DEFAULT_ENGINE, *(name for name in ENGINE_NAMES if name != DEFAULT_ENGINE))
"""The order in which `enrol --folder` hands a person's encodings to the store: the photos
as the engine in use encoded them, then the other engines' encodings of the same photos
(photos.for_every_engine). The first engine's rows are therefore the shots' first rows."""


def random_encodings(rng: np.random.Generator, count: int) -> np.ndarray:
    """(count, 128) random faces about 1.4 apart, like encodings of different people."""
    return rng.normal(0, 1, (count, ENCODING_SIZE)) / np.sqrt(ENCODING_SIZE)


def engine_encodings(rng: np.random.Generator, engine: str, count: int) -> np.ndarray:
    """(count, 128) random faces of different people as `engine` encodes them: unit vectors
    for an engine compared by cosine (sface normalises its encodings)."""
    vectors = random_encodings(rng, count)
    if PROFILES[engine].metric == "cosine":
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def photo_hash(source: str) -> str:
    """A stand-in for the SHA-256 of a photo file, which enrolment stores with each shot."""
    return hashlib.sha256(source.encode()).hexdigest()


def face_jpeg(seed: int = 0) -> bytes:
    """A 160x160 JPEG of blurred noise: the size of a stored face picture (~7 KB)."""
    rng = np.random.default_rng(seed)
    blotches = cv2.resize(rng.integers(0, 255, (12, 12, 3), dtype=np.uint8), (160, 160),
                          interpolation=cv2.INTER_CUBIC)
    grain = rng.integers(-12, 12, blotches.shape)
    picture = np.clip(blotches.astype(int) + grain, 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", picture, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    return jpeg.tobytes()


def person_name(number: int) -> str:
    return f"Person {number:05d}"


def _person_rows(person_id: int, vectors: Mapping[str, np.ndarray], jpeg: bytes | None,
                 now: str) -> Iterator[tuple[object, ...]]:
    """The encodings rows `FaceStore.enrol` writes for person `person_id` (1, 2, ...) from
    `enrol --folder`, with ids following the previous person's: in STORING_ORDER, a shot's
    first row holds its face picture and shot NULL, the other engines' rows of the shot
    point at it (shot = its id) without a picture; every row of a shot has its source and
    photo hash. vectors[engine]: every shot's encoding by that engine, people in order."""
    first_id = (person_id - 1) * ENCODINGS_PER_PERSON * len(STORING_ORDER) + 1
    for position, engine in enumerate(STORING_ORDER):
        for shot in range(ENCODINGS_PER_PERSON):
            index = (person_id - 1) * ENCODINGS_PER_PERSON + shot
            source = f"{index}.jpg"
            opens_shot = position == 0
            yield (first_id + position * ENCODINGS_PER_PERSON + shot, person_id,
                   vectors[engine][index].tobytes(), jpeg if opens_shot else None, source, now,
                   photo_hash(source), engine, None if opens_shot else first_id + shot)


def synthetic_store(path: Path, people: int, seed: int = 0,
                    jpeg: bytes | None = None) -> FaceStore:
    """A face store at `path` with `people` synthetic people of ENCODINGS_PER_PERSON shots,
    each shot encoded by every engine: the rows FaceStore would hold after `enrol --folder`.

    Written in one transaction straight into the store's tables: enrolling them one by one
    would commit (and wait for the disk) once per person."""
    store = FaceStore(path)
    rng = np.random.default_rng(seed)
    vectors = {engine: engine_encodings(rng, engine, people * ENCODINGS_PER_PERSON)
               for engine in ENGINE_NAMES}
    now = datetime.now().isoformat(timespec="seconds")
    with closing(sqlite3.connect(path)) as db, db:
        db.executemany("INSERT INTO people (id, name, created_at, name_key) VALUES (?, ?, ?, ?)",
                       [(n, person_name(n), now, name_key(person_name(n)))
                        for n in range(1, people + 1)])
        db.executemany(
            "INSERT INTO encodings (id, person_id, vector, face_image, source, created_at,"
            " photo_hash, engine, shot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row for person_id in range(1, people + 1)
             for row in _person_rows(person_id, vectors, jpeg, now)))
    return store


def new_person(rng: np.random.Generator, number: int, jpeg: bytes) -> list[NewEncoding]:
    """A new person's encodings as `enrol --folder` hands them to the store: each photo
    encoded by every engine, in STORING_ORDER."""
    sources = [f"new-{number}-{shot}.jpg" for shot in range(ENCODINGS_PER_PERSON)]
    return [NewEncoding(vector, source, jpeg, photo_hash(source), engine)
            for engine in STORING_ORDER
            for source, vector in zip(sources, engine_encodings(rng, engine, len(sources)))]


def _milliseconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return 1000 * (time.perf_counter() - started)


def match_ms(workspace: Workspace, store: FaceStore, repeats: int = 200) -> float:
    """Median time of one match in the gallery the app builds from `store` (Workspace.gallery:
    the default engine's encodings, tolerance, margin and metric)."""
    gallery = workspace.gallery(store)
    probes = engine_encodings(np.random.default_rng(1), workspace.config.recognition.engine,
                              repeats)
    gallery.match(probes[0])
    return statistics.median(_milliseconds(lambda p=probe: gallery.match(p)) for probe in probes)


def enrol_ms(workspace: Workspace, jpeg: bytes, people: int = 20) -> tuple[float, float]:
    """Median time per person of `enrol --folder`'s work after the photos are encoded by
    every engine, and the median time of storing them.

    The photos' encodings by the other engines are made beforehand: for_every_engine, which
    would compute them from the face pictures, hands over these instead."""
    from attendance_app.cli.enrol import _FolderEnrolment

    run = _FolderEnrolment(workspace, workspace.data_dir, people, force=False,
                           underscores_are_spaces=False)
    storing: list[float] = []
    enrol = run.store.enrol

    def timed_enrol(name: str, encodings: list[NewEncoding]) -> Person:
        started = time.perf_counter()
        person = enrol(name, encodings)
        storing.append(1000 * (time.perf_counter() - started))
        return person

    run.store.enrol = timed_enrol  # type: ignore[method-assign]
    others: dict[str, list[NewEncoding]] = {}  # photo source -> the other engines' encodings

    def encoded_already(engines: Mapping[str, object],
                        shots: list[NewEncoding]) -> list[NewEncoding]:
        """for_every_engine's result, in its order, without encoding the face pictures."""
        return [*shots, *(other for shot in shots for other in others[shot.source])]

    rng = np.random.default_rng(2)
    times = []
    with (redirect_stderr(StringIO()),  # look-alike warnings, if random faces ever are
          patch("attendance_app.people.enrolment.for_every_engine", encoded_already)):
        for number in range(people):
            encodings = new_person(rng, number, jpeg)
            shots = [e for e in encodings if e.engine == run.engine.name]
            for encoding in encodings:
                if encoding.engine != run.engine.name:
                    others.setdefault(encoding.source, []).append(encoding)
            times.append(_milliseconds(lambda s=shots, n=number: run.add_shots(f"New {n}", s)))
    assert run.enrolled == people, "every new person is stored"
    return statistics.median(times), statistics.median(storing)


def forget_ms(store: FaceStore, people: int) -> float:
    return _milliseconds(lambda: store.forget(person_name(people // 2)))


def dialog_ms(store: FaceStore) -> tuple[float, int]:
    """Time to open the People dialog until its first rows are painted, and how many face
    pictures it read from the store meanwhile."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from attendance_app.gui.people_dialog import PeopleDialog

    app = QApplication.instance() or QApplication([])
    read = 0
    thumbnail = store.face_thumbnail

    def counted(person_id: int) -> bytes | None:
        nonlocal read
        read += 1
        return thumbnail(person_id)

    store.face_thumbnail = counted  # type: ignore[method-assign]
    started = time.perf_counter()
    dialog = PeopleDialog(store)
    dialog.show()
    dialog.repaint()  # paints now, as the event loop would on the next refresh
    app.processEvents()
    elapsed = 1000 * (time.perf_counter() - started)
    dialog.close()
    dialog.deleteLater()
    app.processEvents()
    del store.face_thumbnail
    return elapsed, read


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 10000, 50000])
    args = parser.parse_args(argv)
    jpeg = face_jpeg()
    print(f"| people | encodings (in the {DEFAULT_ENGINE} gallery) | store MB | match, ms | "
          "enrol one more, ms (storing) | forget, ms | People dialog open, ms (faces read) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for people in args.people:
        with tempfile.TemporaryDirectory(prefix="people-scale-") as folder:
            workspace = Workspace.resolve(AppConfig(), Path(folder), None)
            store = synthetic_store(workspace.data_dir / FACES_FILE, people, jpeg=jpeg)
            size_mb = store.path.stat().st_size / 1e6
            match = match_ms(workspace, store)
            opened, faces_read = dialog_ms(store)
            forget = forget_ms(store, people)
            enrol, storing = enrol_ms(workspace, jpeg)
        shots = people * ENCODINGS_PER_PERSON
        print(f"| {people:,} | {shots * len(STORING_ORDER):,} ({shots:,}) | {size_mb:.0f} | "
              f"{match:.2f} | {enrol:.1f} ({storing:.1f}) | {forget:.0f} | "
              f"{opened:.0f} ({faces_read}) |", flush=True)


if __name__ == "__main__":
    main()
