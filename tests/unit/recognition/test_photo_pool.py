"""The photo pool (recognition/photo_pool.py): real photos judged and encoded by both
engines in worker processes come back in the order given, equal to the same work done in
this process, from processes other than this one; a job's error reaches the caller."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest

from attendance_app.config.settings import AppConfig
from attendance_app.faces import ENGINE_NAMES, create_engine
from attendance_app.faces.models import ModelError
from attendance_app.faces.protocol import Engine
from attendance_app.people.enrolment import judge_for_every_engine
from attendance_app.recognition.photo_pool import PhotoPool, PhotoPoolError, worker_count


def _engines() -> dict[str, Engine]:
    config = AppConfig()
    detection = config.detection
    return {name: create_engine(name, detection.width, detection.model, detection.upsample,
                                config.recognition.landmarks) for name in ENGINE_NAMES}


def _judged(engines: Mapping[str, Engine], path: Path) -> object:
    return judge_for_every_engine(engines, path, AppConfig().recognition.engine,
                                  AppConfig().enrolment.min_face_px)


def _pid(engines: Mapping[str, Engine], item: int) -> tuple[int, int]:
    return item, os.getpid()


def _dies(engines: Mapping[str, Engine], item: int) -> int:
    if item == 3:
        os._exit(1)  # as a worker killed for want of memory
    return item


def _fails(engines: Mapping[str, Engine], path: Path) -> None:
    raise ValueError(f"cannot judge {path.name}")


class _ModelsMissing:
    """An engine whose model files are gone: it fails as it loads them."""

    name = "sface"

    def warm_up(self) -> None:
        raise ModelError("the face model file is missing; reinstall with the command in README.md")


def test_worker_count_is_the_cores_capped_and_at_least_one() -> None:
    assert worker_count(1) == 1 and worker_count(2) == 2
    assert worker_count(64) == 8 and worker_count(0) == 1
    assert worker_count() >= 1


def test_photos_come_back_in_order_as_judged_here(faces_dir: Path) -> None:
    photos = sorted((faces_dir / "enrol").glob("*/*"))[:6] + [faces_dir / "group" / "two_people.jpg"]
    engines = _engines()
    here = [_judged(engines, path) for path in photos]
    with PhotoPool(engines, 2) as pool:
        there = list(pool.map(_judged, photos))

    assert [p.verdict.detail for p in there] == [p.verdict.detail for p in here]  # type: ignore[attr-defined]
    assert there[-1].verdict.shot is None, "two faces compete"  # type: ignore[attr-defined]
    for mine, theirs in zip(here, there):
        shots = [mine.verdict.shot, *mine.others]  # type: ignore[attr-defined]
        pooled = [theirs.verdict.shot, *theirs.others]  # type: ignore[attr-defined]
        assert len(shots) == len(pooled)
        for a, b in zip(shots, pooled):
            if a is None or b is None:
                assert a is b
                continue
            assert (a.engine, a.source, a.photo_hash, a.face_image) == (
                b.engine, b.source, b.photo_hash, b.face_image)
            assert np.allclose(a.vector, b.vector, atol=1e-5)


def test_many_items_come_back_in_order_from_the_workers() -> None:
    with PhotoPool({}, 2) as pool:  # no engine: the jobs need none
        done = list(pool.map(_pid, range(50)))
    assert [item for item, _ in done] == list(range(50))
    pids = {pid for _, pid in done}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def test_a_jobs_error_reaches_the_caller(faces_dir: Path) -> None:
    with pytest.raises(ValueError, match="cannot judge obama.jpg"), PhotoPool({}, 2) as pool:
        list(pool.map(_fails, [faces_dir / "enrol" / "obama" / "obama.jpg"]))


def test_workers_that_cannot_load_their_models_say_why_rather_than_hang() -> None:
    """A pool starts a new worker for each that dies: a worker whose models fail to load
    must answer its jobs with that error, not die and leave the caller waiting for ever."""
    engines: dict[str, Engine] = {"sface": _ModelsMissing()}  # type: ignore[dict-item]
    with pytest.raises(ModelError, match="model file is missing"), PhotoPool(engines, 2) as pool:
        list(pool.map(_pid, range(3)))


def test_a_worker_that_dies_ends_the_work_with_one_line_rather_than_a_wait() -> None:
    done: list[int] = []
    with pytest.raises(PhotoPoolError, match="ended unexpectedly"), PhotoPool({}, 2) as pool:
        done.extend(pool.map(_dies, range(10)))
    assert done == list(range(len(done))) and len(done) <= 3, "only the items before it"
