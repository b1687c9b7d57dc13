"""Shared fixtures: where the real test faces live, the PostgreSQL server, and the markers.

The face images and the video are never copied into the project; they are read from
``../shared/faces`` beside the repository, or from the folder named by the
``ATTENDANCE_TEST_FACES`` environment variable.

The markers gui, postgres and slow are set on every collected test by
tests/support/markers.py.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.markers import mark_items
from tests.support.postgres_server import PostgresServer

REPO_ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every collected test gets its markers here, so none depends on its author."""
    mark_items(items)


def faces_root() -> Path:
    """Return the face data folder, failing loudly (not skipping) when it is absent."""
    configured = os.environ.get("ATTENDANCE_TEST_FACES")
    root = Path(configured) if configured else REPO_ROOT.parent / "shared" / "faces"
    if not (root / "MANIFEST.tsv").is_file():
        pytest.fail(
            f"test faces not found at {root}: put shared/faces beside the repo "
            "or set ATTENDANCE_TEST_FACES"
        )
    return root


@pytest.fixture(scope="session")
def faces_dir() -> Path:
    """The folder holding enrol/, probe/, stranger/, group/, noface/ and video/."""
    return faces_root()


@pytest.fixture(autouse=True)
def _own_user_settings(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test (and every app process it starts) gets an empty user config folder, so
    settings of whoever runs the suite (~/.config/attendance-app) never change a result,
    and its own state folder, so the app's log file never lands in theirs."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("user-config")))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("user-state")))


CROP_MARGIN = 0.25
"""Around the face kept by `one_face_photo`: little enough that a face beside it is cut off."""


def one_face_photo(photo: Path, out_dir: Path) -> Path:
    """`photo`, or when it shows more than one face, a copy cropped around its largest face,
    as a user told "use a photo of this person alone" would crop it. The shared crop of
    walker_01 also shows a woman behind him (52 px), whom YuNet finds and HOG does not."""
    import cv2

    from attendance_app.camera.images import load_bgr
    from attendance_app.faces.sface import SFaceEngine

    bgr = load_bgr(photo)
    engine = SFaceEngine()
    boxes = sorted(engine.detect_in_photo(bgr, certain_only=True), key=lambda b: b.area)
    if len(boxes) <= 1:
        return photo
    face = boxes[-1]
    height, width = bgr.shape[:2]
    x1, y1 = max(0, int(face.x1 - CROP_MARGIN * face.width)), max(0, int(face.y1 - CROP_MARGIN * face.height))
    x2 = min(width, int(face.x2 + CROP_MARGIN * face.width))
    y2 = min(height, int(face.y2 + CROP_MARGIN * face.height))
    crop = bgr[y1:y2, x1:x2]
    assert len(engine.detect_in_photo(crop, certain_only=True)) == 1, f"{photo}: faces too close to crop"
    out_dir.mkdir(parents=True, exist_ok=True)
    cropped = out_dir / f"{photo.stem}_alone.png"
    cv2.imwrite(str(cropped), crop)
    return cropped


@pytest.fixture(scope="session")
def enrol_dir(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared enrol/ folder (a subfolder of photos per person) as links, with every
    photo of more than one face replaced by `one_face_photo`'s crop."""
    root = tmp_path_factory.mktemp("enrol")
    for person in sorted(p for p in (faces_dir / "enrol").iterdir() if p.is_dir()):
        for photo in sorted(person.iterdir()):
            alone = one_face_photo(photo, root / person.name)
            if alone == photo:
                (root / person.name).mkdir(exist_ok=True)
                (root / person.name / photo.name).symlink_to(photo)
    return root


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """One real PostgreSQL 16 server for the whole session (about a second to start);
    tests isolate themselves through `database_url`, not through servers of their own."""
    with PostgresServer(tmp_path_factory.mktemp("postgres")) as server:
        yield server


_database_numbers = itertools.count(1)


@pytest.fixture
def database_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database owned by `PostgresServer.USER`, for this test alone."""
    return postgres_server.create_database(f"test_{next(_database_numbers)}")
