"""What the number of enrolled people costs: one gallery match, enrolling one more person
during `enrol --folder`, `forget`, and opening the People dialog.

The stores hold synthetic people as `enrol --folder` stores them: three shots (photos)
each, every shot encoded by every engine: dlib as random 128-d encodings about 1.4 apart,
sface as random unit vectors about 1 apart in its 1 - cosine (both as strangers are).
Each shot has a real-size JPEG face picture (about 7 KB), kept once, in its first row.
Faces are not detected or encoded here: those costs do not grow with the people enrolled
and are measured by benchmarks/speed.py. The synthetic people are made by
tests/support/synthetic_people.py, which the people tests use too.

- match: median of 200 `Gallery.match` calls on random faces, in the gallery the app
  builds for its default engine (that engine's encodings, tolerance, margin and metric).
- enrol: the per-person work of `enrol --folder` for 20 more people at the end, once
  their photos are encoded by every engine (look-alike check against everyone, storing
  every engine's encodings, adding to the in-memory gallery), median per person, and of
  that the time spent storing (mostly the commit waiting for the disk).
- forget: one `FaceStore.forget` of a person in the middle.
- door takes a change: what a running door pauses its camera for after a change made
  beside it (another connection to the file): a person enrolled (median of 5), renamed,
  forgotten, each taken in by bringing its gallery up to date from the store's change log
  (roster_watch.brought_up_to_date); and, as before issue 22, the whole gallery read again
  (Workspace.gallery, median of the 7).
- People dialog: building it and showing it (Qt offscreen) until the first rows are painted.

    uv run python -m benchmarks.people_scale [--people 1000 10000 50000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import redirect_stderr
from io import StringIO
from pathlib import Path
from unittest.mock import patch

import numpy as np

from attendance_app.app.workspace import FACES_FILE, Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.people.roster_watch import brought_up_to_date
from enrolment import FaceStore, NewEncoding, Person
from tests.support.synthetic_people import (
    DEFAULT_ENGINE,
    ENCODINGS_PER_PERSON,
    STORING_ORDER,
    engine_encodings,
    face_jpeg,
    person_name,
    photo_hash,
    synthetic_store,
)


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


def door_change_ms(workspace: Workspace, store: FaceStore, jpeg: bytes,
                   repeats: int = 5) -> tuple[float, float, float, float]:
    """What a running door pauses for to take in a change made by another process: median
    of `repeats` people enrolled, one rename, one forget (each by updating its gallery from
    the change log), and the median time of rebuilding the gallery whole instead."""
    engine = workspace.config.recognition.engine
    door = FaceStore(store.path)  # the door's own connection
    gallery, counter = workspace.gallery(door), door.change_counter()
    rng = np.random.default_rng(3)
    times: list[float] = []
    rebuilds: list[float] = []
    changes = [*(lambda n=number: store.enrol(f"Beside {n}", new_person(rng, 1000 + n, jpeg))
                 for number in range(repeats)),
               lambda: store.rename("Beside 0", "Beside Zero"),
               lambda: store.forget("Beside 1")]
    for change in changes:
        change()
        started = time.perf_counter()
        counter, gallery = brought_up_to_date(door, gallery, engine, counter,
                                              lambda: workspace.gallery(door))
        times.append(1000 * (time.perf_counter() - started))
        rebuilds.append(_milliseconds(lambda: workspace.gallery(door)))
    assert gallery.table.names == workspace.gallery(door).table.names, "as a rebuild"
    return statistics.median(times[:repeats]), times[-2], times[-1], statistics.median(rebuilds)


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
          "enrol one more, ms (storing) | forget, ms | People dialog open, ms (faces read) | "
          "door takes a change, ms: enrolled / renamed / forgotten (rebuilt) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for people in args.people:
        with tempfile.TemporaryDirectory(prefix="people-scale-") as folder:
            workspace = Workspace.resolve(AppConfig(), Path(folder), None)
            store = synthetic_store(workspace.data_dir / FACES_FILE, people, jpeg=jpeg)
            size_mb = store.path.stat().st_size / 1e6
            match = match_ms(workspace, store)
            opened, faces_read = dialog_ms(store)
            forget = forget_ms(store, people)
            enrolled, renamed, forgotten, rebuilt = door_change_ms(workspace, store, jpeg)
            enrol, storing = enrol_ms(workspace, jpeg)
        shots = people * ENCODINGS_PER_PERSON
        print(f"| {people:,} | {shots * len(STORING_ORDER):,} ({shots:,}) | {size_mb:.0f} | "
              f"{match:.2f} | {enrol:.1f} ({storing:.1f}) | {forget:.0f} | "
              f"{opened:.0f} ({faces_read}) | {enrolled:.1f} / {renamed:.1f} / {forgotten:.1f} "
              f"({rebuilt:.0f}) |", flush=True)


if __name__ == "__main__":
    main()
