"""What the number of enrolled people costs: one gallery match, enrolling one more person
during `enrol --folder`, `forget`, and opening the People dialog.

The stores hold synthetic people: three random 128-d encodings each (random faces are far
apart, as strangers are) with a real-size JPEG face picture per encoding, as `enrol`
stores them (about 7 KB). Faces are not detected or encoded here: those costs do not grow
with the people enrolled and are measured by benchmarks/speed.py.

- match: median of 200 `Gallery.match` calls on random faces.
- enrol: the per-person work of `enrol --folder` for 20 more people at the end (look-alike
  check against everyone, storing, adding to the in-memory gallery), median per person,
  and of that the time spent storing (mostly the commit waiting for the disk).
- forget: one `FaceStore.forget` of a person in the middle.
- People dialog: building it and showing it (Qt offscreen) until the first rows are painted.

    uv run python -m benchmarks.people_scale [--people 1000 10000 50000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import closing, redirect_stderr
from datetime import datetime
from io import StringIO
from pathlib import Path

import cv2
import numpy as np

from enrolment import FaceStore, NewEncoding, Person
from enrolment.store import ENCODING_SIZE

ENCODINGS_PER_PERSON = 3


def random_encodings(rng: np.random.Generator, count: int) -> np.ndarray:
    """(count, 128) random faces about 1.4 apart, like encodings of different people."""
    return rng.normal(0, 1, (count, ENCODING_SIZE)) / np.sqrt(ENCODING_SIZE)


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


def synthetic_store(path: Path, people: int, seed: int = 0,
                    jpeg: bytes | None = None) -> FaceStore:
    """A face store at `path` with `people` synthetic people, ENCODINGS_PER_PERSON each.

    Written in one transaction straight into the store's tables: enrolling them one by one
    would commit (and wait for the disk) once per person."""
    store = FaceStore(path)
    rng = np.random.default_rng(seed)
    vectors = random_encodings(rng, people * ENCODINGS_PER_PERSON)
    now = datetime.now().isoformat(timespec="seconds")
    with closing(sqlite3.connect(path)) as db, db:
        db.executemany("INSERT INTO people (id, name, created_at) VALUES (?, ?, ?)",
                       [(n, person_name(n), now) for n in range(1, people + 1)])
        db.executemany(
            "INSERT INTO encodings (person_id, vector, face_image, source, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            ((1 + row // ENCODINGS_PER_PERSON, vector.tobytes(), jpeg, f"{row}.jpg", now)
             for row, vector in enumerate(vectors)))
    return store


def _milliseconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return 1000 * (time.perf_counter() - started)


def match_ms(store: FaceStore, repeats: int = 200) -> float:
    """Median time of one match at the app's default tolerance and margin."""
    from attendance_app.config import AppConfig
    from enrolment import Gallery

    recognition = AppConfig().recognition
    gallery = Gallery(store.encoding_table(), recognition.tolerance, recognition.margin)
    probes = random_encodings(np.random.default_rng(1), repeats)
    gallery.match(probes[0])
    return statistics.median(_milliseconds(lambda p=probe: gallery.match(p)) for probe in probes)


def enrol_ms(data_dir: Path, jpeg: bytes, people: int = 20) -> tuple[float, float]:
    """Median time per person of `enrol --folder`'s work after the photos are encoded, and
    the median time of storing them."""
    from attendance_app.commands import _FolderEnrolment
    from attendance_app.config import AppConfig
    from attendance_app.workspace import Workspace

    workspace = Workspace.resolve(AppConfig(), data_dir, None)
    run = _FolderEnrolment(workspace, data_dir, people)
    storing: list[float] = []
    enrol = run.store.enrol

    def timed_enrol(name: str, encodings: list[NewEncoding]) -> Person:
        started = time.perf_counter()
        person = enrol(name, encodings)
        storing.append(1000 * (time.perf_counter() - started))
        return person

    run.store.enrol = timed_enrol  # type: ignore[method-assign]
    rng = np.random.default_rng(2)
    times = []
    with redirect_stderr(StringIO()):  # look-alike warnings, if random faces ever are
        for number in range(people):
            shots = [NewEncoding(vector, f"{number}-{shot}.jpg", jpeg)
                     for shot, vector in enumerate(random_encodings(rng, ENCODINGS_PER_PERSON))]
            times.append(_milliseconds(lambda s=shots, n=number: run.add_shots(f"New {n}", s)))
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
    print("| people | encodings | store MB | match, ms | enrol one more, ms (storing) | "
          "forget, ms | People dialog open, ms (faces read) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for people in args.people:
        with tempfile.TemporaryDirectory(prefix="people-scale-") as folder:
            data_dir = Path(folder)
            store = synthetic_store(data_dir / "faces.sqlite3", people, jpeg=jpeg)
            size_mb = store.path.stat().st_size / 1e6
            match = match_ms(store)
            opened, faces_read = dialog_ms(store)
            forget = forget_ms(store, people)
            enrol, storing = enrol_ms(data_dir, jpeg)
        print(f"| {people:,} | {people * ENCODINGS_PER_PERSON:,} | {size_mb:.0f} | {match:.2f} | "
              f"{enrol:.1f} ({storing:.1f}) | {forget:.0f} | {opened:.0f} ({faces_read}) |",
              flush=True)


if __name__ == "__main__":
    main()
