"""The gallery rule on synthetic encodings (nearest person, tolerance, margin, one photo
matched more strictly, far faces) and the cosine metric on real SFace encodings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from attendance_app.camera.images import load_rgb
from attendance_app.faces.sface import SFaceEngine
from enrolment import EncodingTable, FaceStore, Gallery, NewEncoding, person_distances
from enrolment.gallery import FAR_BEYOND_TOLERANCE, SINGLE_PHOTO_STRICTER
from tests.support.encodings import nearby, random_face, sface_encoding, unit_length


def test_gallery_accepts_a_close_match_and_names_the_nearest_person(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    ada = random_face(10)
    store.enrol("Ada", [NewEncoding(ada, "a1"), NewEncoding(nearby(ada, 0.3, 1), "a2")])
    store.enrol("Bob", [NewEncoding(random_face(11), "b1")])
    gallery = Gallery(store.encoding_table(), tolerance=0.5, margin=0.05)
    match = gallery.match(nearby(ada, 0.2, 2))
    assert match.accepted and match.name == "Ada" and match.label == "Ada"
    assert match.distance == pytest.approx(0.2, abs=1e-9)
    assert match.runner_up > 1.0


def test_gallery_uses_the_nearest_of_a_persons_encodings(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    far, near = random_face(20), random_face(21)
    store.enrol("Ada", [NewEncoding(far, "profile"), NewEncoding(near, "frontal")])
    gallery = Gallery(store.encoding_table(), tolerance=0.5, margin=0.0)
    assert gallery.match(nearby(near, 0.1, 3)).distance == pytest.approx(0.1)


def test_gallery_rejects_beyond_tolerance_and_within_margin(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    ada = random_face(30)
    twin = nearby(ada, 0.06, 4)
    store.enrol("Ada", [NewEncoding(ada, "a")])
    store.enrol("Twin", [NewEncoding(twin, "t")])
    gallery = Gallery(store.encoding_table(), tolerance=0.5, margin=0.1)
    ambiguous = gallery.match(nearby(ada, 0.02, 5))
    assert not ambiguous.accepted and ambiguous.label == "Unknown"
    stranger = gallery.match(random_face(99))
    assert not stranger.accepted and stranger.distance > 0.5


def test_empty_gallery_matches_nobody(tmp_path: Path) -> None:
    gallery = Gallery(FaceStore(tmp_path / "f.sqlite3").encoding_table(), 0.5, 0.05)
    match = gallery.match(random_face(1))
    assert match.person_id is None and not match.accepted and gallery.size == 0


def test_a_person_enrolled_from_one_photo_is_matched_more_strictly(tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    one, two = random_face(40), random_face(41)
    store.enrol("One Photo", [NewEncoding(one, "o")])
    store.enrol("Two Photos", [NewEncoding(two, "t1"), NewEncoding(nearby(two, 0.3, 6), "t2")])
    gallery = Gallery(store.encoding_table(), tolerance=0.55, margin=0.0)
    distance = 0.55 - SINGLE_PHOTO_STRICTER / 2
    assert gallery.match(nearby(two, distance, 7)).accepted
    assert not gallery.match(nearby(one, distance, 8)).accepted
    assert gallery.match(nearby(one, 0.55 - 2 * SINGLE_PHOTO_STRICTER, 9)).accepted


def test_a_face_is_far_only_when_it_is_well_past_every_persons_tolerance(
        tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    one, two = random_face(50), random_face(51)
    store.enrol("One Photo", [NewEncoding(one, "o")])
    store.enrol("Two Photos", [NewEncoding(two, "t1"), NewEncoding(nearby(two, 0.3, 10), "t2")])
    gallery = Gallery(store.encoding_table(), tolerance=0.55, margin=0.05)
    assert gallery.match(random_face(99)).far, "a random face is nobody enrolled"
    just_rejected = gallery.match(nearby(one, 0.55, 11))
    assert not just_rejected.accepted and not just_rejected.far
    beyond = 0.55 - SINGLE_PHOTO_STRICTER + FAR_BEYOND_TOLERANCE + 0.01
    assert gallery.match(nearby(one, beyond, 12)).far
    # the same distance from someone enrolled from two photos (looser) is not far yet
    assert not gallery.match(nearby(two, 0.55 + FAR_BEYOND_TOLERANCE - 0.01, 13)).far


# --- the cosine metric on real SFace encodings --------------------------------------------

ENROLLED = ("obama", "biden", "clapton", "lennon", "bbt_amy", "bbt_howard")


@pytest.fixture(scope="module")
def sface_store(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> FaceStore:
    """The enrolment photos of ENROLLED, encoded by SFace (and a dlib stand-in beside them,
    which must stay out of the sface gallery)."""
    engine = SFaceEngine()
    store = FaceStore(tmp_path_factory.mktemp("sface") / "faces.sqlite3")
    for name in ENROLLED:
        photo = next((faces_dir / "enrol" / name).iterdir())
        encoding = sface_encoding(engine, load_rgb(photo))
        store.enrol(name, [NewEncoding(np.zeros(128), photo.name),
                           NewEncoding(encoding, photo.name, engine="sface")])
    return store


def test_the_cosine_metric_is_one_minus_cosine_on_real_sface_encodings(
        faces_dir: Path, sface_store: FaceStore) -> None:
    engine = SFaceEngine()
    table = sface_store.encoding_table("sface")
    gallery = Gallery(table, tolerance=0.575, margin=0.05, metric="cosine")
    probes = sorted((faces_dir / "probe").glob("*/*"))[::3] + sorted(
        (faces_dir / "stranger").iterdir())[:3]
    for path in probes:
        probe = sface_encoding(engine, load_rgb(path))
        direct = SFaceEngine.distances(probe, table.vectors)
        expected = {pid: float(direct[table.person_ids == pid].min()) for pid in table.names}
        people, distances = gallery.distances_by_person(probe)
        assert dict(zip(people.tolist(), distances.tolist())) == pytest.approx(expected, abs=1e-12)
        assert person_distances(table, probe, metric="cosine") == pytest.approx(expected, abs=1e-12)
        ranked = sorted(expected, key=expected.__getitem__)
        match = gallery.match(probe)
        assert match.person_id == ranked[0] and match.distance == pytest.approx(expected[ranked[0]])
        assert match.runner_up == pytest.approx(expected[ranked[1]])
        if path.parent.name in ENROLLED:
            assert match.name == path.parent.name, path.name
    grown = gallery.adding(99, "copy of obama", [table.vectors[0]])
    assert grown.metric == "cosine" and grown.match(table.vectors[0]).distance == pytest.approx(0)


def test_the_cosine_metric_scales_encodings_to_unit_length_and_far_is_a_parameter() -> None:
    vectors = np.stack([unit_length(random_face(1)), unit_length(random_face(2))])
    table = EncodingTable(vectors * [[3.0], [0.5]], np.array([1, 2]), {1: "Ada", 2: "Bob"})
    probe = unit_length(nearby(vectors[0], 0.2, 1)) * 7
    match = Gallery(table, 0.5, 0.05, metric="cosine").match(probe)
    cosine = probe @ vectors[0] / np.linalg.norm(probe)
    assert match.name == "Ada" and match.distance == pytest.approx(1 - cosine, abs=1e-12)
    assert Gallery(table, 0.01, 0.0, metric="cosine", far_beyond=1.0).match(probe).far is False
    assert Gallery(table, 0.01, 0.0, metric="cosine", far_beyond=0.001).match(probe).far
    with pytest.raises(ValueError, match="unknown metric 'manhattan'"):
        Gallery(table, 0.5, 0.05, metric="manhattan")
