"""POST /api/identify on real photos (issue 26, point 3): the faces found, with the boxes and
verdicts `attendance-app identify` prints for the same photo; strangers unknown; a file
that is no image, an empty one or one over the size limit refused in JSON; the face engine
loaded once per server and the gallery rebuilt only when somebody is enrolled.

People are enrolled by the real `enrol --folder` from the test faces (tests/conftest.py);
the photos are read from there, never copied.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.faces.protocol import Engine
from attendance_app.web.api.identify import MAX_UPLOAD_BYTES, Identifier
from tests.support.counting_workspace import CountingWorkspace
from tests.support.enrolled_folder import app_in, enrolled_from_photos
from tests.support.web_api import api_app, bearer, tokens_in

PEOPLE = {"Obama": "obama", "Biden": "biden", "Lennon": "lennon"}


class CountingEngines(CountingWorkspace):
    """A real workspace that also counts the face engines it loads."""

    engines_loaded = 0

    def engine(self, name: str | None = None) -> Engine:
        type(self).engines_loaded += 1
        return super().engine(name)


@pytest.fixture(scope="module")
def data(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return enrolled_from_photos(faces_dir, tmp_path_factory.mktemp("identify"), PEOPLE)


@pytest.fixture(scope="module")
def api(data: Path) -> tuple[TestClient, dict[str, str]]:
    """A client of the API of `data`, and an admin's token header."""
    _, admin = tokens_in(data)
    return TestClient(api_app(Workspace.resolve(AppConfig(), data, None))), bearer(admin)


def _send(api: tuple[TestClient, dict[str, str]], photo: Path | bytes, name: str = "photo.jpg"):  # type: ignore[no-untyped-def]
    client, headers = api
    content = photo.read_bytes() if isinstance(photo, Path) else photo
    return client.post("/api/identify", files={"photo": (name, content, "image/jpeg")},
                       headers=headers)


def test_a_group_photo_gives_each_face_with_the_words_identify_prints(
        api: tuple[TestClient, dict[str, str]], faces_dir: Path, data: Path) -> None:
    photo = faces_dir / "group" / "obama_and_biden.jpg"
    answer = _send(api, photo, "obama_and_biden.jpg")
    assert answer.status_code == 200, answer.text
    faces = answer.json()["faces"]
    assert [face["name"] for face in faces] == ["Obama", "Biden", None]  # largest first
    for face in faces:
        assert face["box"]["width"] > 100 and face["box"]["height"] > 100
        assert face["verdict"].startswith(f"{face['name'] or 'Unknown'}  distance ")
    assert faces[2]["nearest"] in PEOPLE and faces[2]["distance"] > faces[1]["distance"]
    printed = app_in(data, "identify", str(photo))
    assert printed.returncode == 0, printed.stderr
    assert [face["line"] for face in faces] == [line.strip() for line in printed.stdout.splitlines()[1:]]


def test_a_stranger_is_unknown_with_the_nearest_person(
        api: tuple[TestClient, dict[str, str]], faces_dir: Path) -> None:
    answer = _send(api, faces_dir / "stranger" / "faceapi_neutral.jpg")
    faces = answer.json()["faces"]
    assert answer.status_code == 200 and len(faces) == 1
    assert faces[0]["name"] is None and faces[0]["person_id"] is None
    assert faces[0]["nearest"] in PEOPLE and faces[0]["verdict"].startswith("Unknown")


def test_a_photo_without_a_face_has_no_faces(api: tuple[TestClient, dict[str, str]],
                                             faces_dir: Path) -> None:
    answer = _send(api, faces_dir / "noface" / "skimage_coffee.png", "coffee.png")
    assert answer.status_code == 200 and answer.json()["faces"] == []


@pytest.mark.parametrize(("content", "words"), [
    (b"%PDF-1.4 this is a letter, not a photo" * 10, "letter.pdf: not a readable image"),
    (b"", "the photo is empty"),
])
def test_a_file_that_is_no_photo_is_refused_with_422(
        api: tuple[TestClient, dict[str, str]], content: bytes, words: str) -> None:
    answer = _send(api, content, "letter.pdf")
    assert answer.status_code == 422 and answer.json() == {"error": answer.json()["error"]}
    assert words in answer.json()["error"] and "/tmp" not in answer.json()["error"]


def test_a_truncated_photo_is_refused_with_422(api: tuple[TestClient, dict[str, str]],
                                              faces_dir: Path) -> None:
    whole = (faces_dir / "probe" / "obama" / "obama1.jpg").read_bytes()
    answer = _send(api, whole[: len(whole) // 2])
    assert answer.status_code == 422 and "damaged or truncated" in answer.json()["error"]


def test_an_upload_over_the_limit_is_refused_with_413(api: tuple[TestClient, dict[str, str]],
                                                      faces_dir: Path) -> None:
    photo = (faces_dir / "probe" / "obama" / "obama1.jpg").read_bytes()
    answer = _send(api, photo + b"\0" * (MAX_UPLOAD_BYTES + 1 - len(photo)))
    assert answer.status_code == 413 and "MB" in answer.json()["error"]


def test_the_engine_is_loaded_once_and_the_gallery_again_only_after_an_enrolment(
        data: Path, faces_dir: Path, tmp_path: Path) -> None:
    CountingEngines.engines_loaded = CountingEngines.built = 0
    identifier = Identifier(CountingEngines.resolve(AppConfig(), data, None))
    photo = (faces_dir / "probe" / "obama" / "obama1.jpg").read_bytes()
    for _ in range(3):
        assert [f["name"] for f in identifier.identify(photo, "obama1.jpg")["faces"]] == ["Obama"]
    assert (CountingEngines.engines_loaded, CountingEngines.built) == (1, 1)
    clapton = sorted((faces_dir / "enrol" / "clapton").iterdir())[0]
    assert app_in(data, "enrol", "Clapton", str(clapton)).returncode == 0
    probe = sorted((faces_dir / "probe" / "clapton").iterdir())[0].read_bytes()
    assert [f["name"] for f in identifier.identify(probe, "c.jpg")["faces"]] == ["Clapton"]
    assert (CountingEngines.engines_loaded, CountingEngines.built) == (1, 2)
    assert app_in(data, "forget", "Clapton").returncode == 0
