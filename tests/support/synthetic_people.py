"""Synthetic people, made fast: face stores as `enrol --folder` fills them, without faces.

The stores hold synthetic people as `enrol --folder` stores them: three shots (photos)
each, every shot encoded by every engine: dlib as random 128-d encodings about 1.4 apart,
sface as random unit vectors about 1 apart in its 1 - cosine (both as strangers are).
Each shot may carry a real-size JPEG face picture (about 7 KB), kept once, in its first
row. Used by the people tests and by benchmarks/people_scale.py.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

from attendance_app.config.settings import AppConfig
from attendance_app.faces import ENGINE_NAMES, PROFILES
from enrolment import FaceStore
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
