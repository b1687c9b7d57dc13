"""The one enrolment service (issue 21, point 2) on real faces with the default engine: it
judges photos, refuses a face already enrolled under another name unless forced, names
look-alikes and shots unlike the person they are added to, skips photos already enrolled,
and grows its gallery as it stores, so the next person is checked against the last."""

from __future__ import annotations

from pathlib import Path

import pytest

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.people.enrolment import EnrolmentRefused, EnrolmentService
from attendance_app.people.shot_rules import Advice
from enrolment import NewEncoding, StoreError


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.resolve(AppConfig(), tmp_path_factory.mktemp("data"), None)


@pytest.fixture(scope="module")
def engine(workspace: Workspace):  # noqa: ANN201 - the default engine, loaded once
    return workspace.engine()


@pytest.fixture(scope="module")
def shot(engine, faces_dir: Path, workspace: Workspace):  # noqa: ANN001, ANN201
    """The enrolment shot of a shared face photo, e.g. shot("enrol/obama/obama.jpg")."""
    service = EnrolmentService.at(workspace, workspace.store(), engine)

    def judged(relative: str) -> NewEncoding:
        verdict = service.judge_photo(faces_dir / relative)
        assert verdict.shot is not None, verdict.detail
        return verdict.shot
    return judged


@pytest.fixture
def service(tmp_path: Path, engine) -> EnrolmentService:  # noqa: ANN001
    """A service on an empty store of its own."""
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    return EnrolmentService.at(workspace, workspace.store(), engine)


def test_a_photo_without_one_sure_face_is_refused(service: EnrolmentService,
                                                  faces_dir: Path) -> None:
    verdict = service.judge_photo(faces_dir / "noface" / "dlib_dogs.jpg")
    assert not verdict.accepted and verdict.advice is Advice.BAD_PHOTO
    assert "no face found" in verdict.detail
    two = service.judge_photo(faces_dir / "group" / "two_people.jpg")
    assert not two.accepted and "more than one face" in two.detail


def test_the_same_face_under_a_second_name_is_refused_unless_forced(
        service: EnrolmentService, shot) -> None:  # noqa: ANN001
    obama = shot("enrol/obama/obama.jpg")
    first = service.enrol("obama", [obama])
    assert first.person is not None and first.same_face is None and not first.look_alikes

    checked = service.check("Unsaved Person", [obama])
    assert checked.refused and checked.same_face is not None
    assert checked.same_face.name == "obama" and checked.same_face.distance < 0.05
    with pytest.raises(EnrolmentRefused, match="already enrolled as obama"):
        service.commit(checked)
    assert service.enrol("Unsaved Person", [obama]).person is None, "refused: nothing stored"
    assert [p.name for p in service.store.people()] == ["obama"]

    forced = service.enrol("Unsaved Person", [obama], force=True)
    assert forced.person is not None and forced.forced and forced.person.name == "Unsaved Person"
    assert sorted(p.name for p in service.store.people()) == ["Unsaved Person", "obama"]


def test_a_photo_already_enrolled_for_the_person_is_not_stored_again(
        service: EnrolmentService, shot) -> None:  # noqa: ANN001
    obama, second = shot("enrol/obama/obama.jpg"), shot("probe/obama/obama1.jpg")
    service.enrol("obama", [obama])
    again = service.enrol("Obama", [obama])
    assert again.nothing_new and again.duplicates == ("obama.jpg",) and again.person is None
    mixed = service.enrol("obama", [obama, second])
    assert mixed.duplicates == ("obama.jpg",) and [s.source for s in mixed.new] == ["obama1.jpg"]
    assert mixed.person is not None and mixed.person.encoding_count == 2
    assert mixed.strays == (), "a second photo of him looks like him"


def test_look_alikes_and_shots_unlike_the_person_are_named_but_stored(
        service: EnrolmentService, shot) -> None:  # noqa: ANN001
    service.enrol("lennon", [shot("enrol/lennon/lennon-1.jpg")])
    john = service.enrol("John", [shot("probe/lennon/lennon-2.jpg")])
    assert john.person is not None, "near, but not so near that it must be him"
    assert [other.name for other in john.look_alikes] == ["lennon"] and john.same_face is None

    service.enrol("clapton", [shot("enrol/clapton/clapton-1.jpg")])
    added = service.enrol("clapton", [shot("enrol/biden/biden.jpg")])
    assert [stray.source for stray in added.strays] == ["biden.jpg"] and added.unlike_person
    assert added.existing is not None and added.existing.name == "clapton"


def test_the_gallery_grows_with_each_person_stored(
        service: EnrolmentService, shot) -> None:  # noqa: ANN001
    """As `enrol --folder` uses it: read once, then the people just stored are among those
    the next are checked against, without reading the store again."""
    obama = shot("enrol/obama/obama.jpg")
    assert service.gallery.size == 0
    service.enrol("obama", [obama])
    assert service.gallery.size == 1
    assert service.check("Barack", [obama]).same_face is not None


def test_a_name_that_cannot_be_used_is_one_clear_error(
        service: EnrolmentService, shot) -> None:  # noqa: ANN001
    with pytest.raises(StoreError, match="at most 100 characters"):
        service.check("A" * 101, [shot("enrol/obama/obama.jpg")])
    with pytest.raises(StoreError, match="no usable face"):
        service.check("Ada", [])
    assert service.store.people() == []
