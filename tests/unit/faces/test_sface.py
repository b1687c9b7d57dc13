"""The sface engine (OpenCV YuNet + SFace) on the real faces of ../shared/faces: model
files checked before loading, a face in every enrolment and probe photo, the same person
nearer than others, faces HOG misses, large photos mapped back, unit-length encodings."""

from __future__ import annotations

import csv
import hashlib
import pickle
from pathlib import Path

import cv2
import numpy as np
import pytest

from attendance_app.camera.images import load_bgr
from attendance_app.config.settings import AppConfig
from attendance_app.faces.dlib_engine import FaceEngine
from attendance_app.faces.models import (
    SFACE,
    YUNET,
    ModelError,
    ModelFile,
    carrier_folder,
    check_opencv,
    create_detector,
    create_recognizer,
    read_verified,
)
from attendance_app.faces.protocol import Engine
from attendance_app.faces.sface import SFaceEngine
from attendance_app.recognition.encoders import face_crop
from attendance_app.recognition.regions import SearchArea
from attendance_app.types import Box

WALKERS = "video/walkers_royal_opera_house.mp4"
DEFAULT_TOLERANCE = AppConfig().recognition.sface_tolerance


@pytest.fixture(scope="module")
def engine() -> SFaceEngine:
    return SFaceEngine()


def manifest(faces_dir: Path) -> list[dict[str, str]]:
    with open(faces_dir / "MANIFEST.tsv", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter="\t"))


def largest_face_encoding(engine: SFaceEngine, path: Path) -> np.ndarray:
    bgr = load_bgr(path)
    boxes = engine.detect_in_photo(bgr)
    assert boxes, f"no face found in {path}"
    return engine.encode(bgr, [max(boxes, key=lambda box: box.area)])[0]


def video_frame(faces_dir: Path, index: int) -> np.ndarray:
    capture = cv2.VideoCapture(str(faces_dir / WALKERS))
    try:
        for _ in range(index + 1):
            ok, frame = capture.read()
            assert ok, f"the walkers video has no frame {index}"
    finally:
        capture.release()
    return frame


def iou(a: Box, b: Box) -> float:
    inner = Box(max(a.x1, b.x1), max(a.y1, b.y1), min(a.x2, b.x2), min(a.y2, b.y2))
    overlap = inner.area if inner.width > 0 and inner.height > 0 else 0.0
    return overlap / (a.area + b.area - overlap)


# --- the model files ---------------------------------------------------------------------

@pytest.mark.parametrize(("model", "sha256"), [
    (YUNET, "49f000ec501fef24739071fc7e68267d32209045b6822c0c72dce1da25726f10"),
    (SFACE, "fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee"),
], ids=["yunet", "sface"])
def test_carried_model_files_have_the_opencv_zoo_digests(model: ModelFile, sha256: str) -> None:
    """The digests the OpenCV Zoo records for its files (issue 12), typed in again here."""
    assert model.sha256 == sha256
    assert hashlib.sha256(read_verified(model)).hexdigest() == sha256


def test_a_model_file_with_one_byte_changed_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / YUNET.name).write_bytes(carrier_folder().joinpath(YUNET.name).read_bytes())
    assert read_verified(YUNET, tmp_path)  # the copy itself is accepted
    data = bytearray((tmp_path / YUNET.name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (tmp_path / YUNET.name).write_bytes(bytes(data))
    with pytest.raises(ModelError) as refused:
        read_verified(YUNET, tmp_path)
    message = str(refused.value)
    assert "\n" not in message
    assert YUNET.name in message and "reinstall" in message


def test_a_missing_model_file_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as refused:
        read_verified(SFACE, tmp_path)
    assert "\n" not in str(refused.value) and SFACE.name in str(refused.value)


@pytest.mark.parametrize("version", ["4.9.0", "4.10.0", "5.0.0"])
def test_opencv_that_cannot_run_the_models_is_named(version: str) -> None:
    with pytest.raises(ModelError, match=version):
        check_opencv(version)


def test_the_installed_opencv_runs_both_models(engine: SFaceEngine) -> None:
    check_opencv()
    engine.warm_up()


# --- detection ---------------------------------------------------------------------------

def test_a_face_in_every_enrolment_and_probe_photo(faces_dir: Path, engine: SFaceEngine) -> None:
    photos = [row["file"] for row in manifest(faces_dir) if row["kind"] in ("enrol", "probe")]
    assert len(photos) == 132
    missed = [file for file in photos if not engine.detect_in_photo(load_bgr(faces_dir / file))]
    assert missed == []


def test_no_face_in_pictures_without_people(faces_dir: Path, engine: SFaceEngine) -> None:
    """dlib_dogs.jpg is left out: YuNet boxes a dog's face there (score 0.83), a face,
    though not a person's."""
    pictures = [row["file"] for row in manifest(faces_dir)
                if row["kind"] == "noface" and row["file"] != "noface/dlib_dogs.jpg"]
    assert len(pictures) == 6
    assert {file: engine.detect_in_photo(load_bgr(faces_dir / file)) for file in pictures} == {
        file: [] for file in pictures}


@pytest.mark.parametrize("frame_index", [4, 95])
def test_yunet_finds_and_names_a_walker_that_hog_misses(faces_dir: Path, engine: SFaceEngine,
                                                       frame_index: int) -> None:
    """Frames of the walkers video (not the one walker_01 was enrolled from) in which dlib's
    HOG detector, at the app's video and photo settings, finds no face on walker_01."""
    bgr = video_frame(faces_dir, frame_index)
    enrolled = largest_face_encoding(engine,
                                     faces_dir / "enrol/walker_01/walker_01_frame010_crop.png")
    boxes = engine.detect(bgr)
    distances = [engine.distance(enrolled, e) for e in engine.encode(bgr, boxes)]
    walker = boxes[int(np.argmin(distances))]
    assert min(distances) < DEFAULT_TOLERANCE
    assert sorted(distances)[1] > DEFAULT_TOLERANCE  # nobody else in the crowd is him
    hog = FaceEngine()
    assert all(iou(walker, box) < 0.3 for box in hog.detect(bgr) + hog.detect_in_photo(bgr))


def test_a_large_photo_is_searched_small_and_mapped_back(faces_dir: Path,
                                                         engine: SFaceEngine) -> None:
    """A photo enlarged 3 times (2730 px wide) is searched on a 640 px copy; its box and
    landmarks, scaled back, land where a full-size search of the original puts them
    (measured: within 8 px on a 321 px face), and the face encodes alike."""
    bgr = load_bgr(faces_dir / "enrol/obama/obama.jpg")
    original = SFaceEngine(detection_width=bgr.shape[1]).detect_faces(bgr)
    large = cv2.resize(bgr, None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)
    found = engine.detect_faces(large)
    assert len(original) == len(found) == 1
    face, expected = found[0], original[0]
    allowed = 0.05 * expected.box.height
    assert np.abs(np.array(face.box.scaled(1 / 3).as_tuple())
                  - expected.box.as_tuple()).max() < allowed
    assert np.abs(np.array(face.landmarks) / 3 - np.array(expected.landmarks)).max() < allowed
    assert face.box.x2 <= large.shape[1] and face.box.y2 <= large.shape[0]
    encoded = engine.encode(large, [face.box])[0]
    assert engine.distance(encoded, engine.encode(bgr, [expected.box])[0]) < 0.1


def test_regions_find_the_faces_the_whole_frame_search_finds(faces_dir: Path,
                                                             engine: SFaceEngine) -> None:
    bgr = video_frame(faces_dir, 50)
    walker = max(engine.detect(bgr), key=lambda box: box.area)
    area = Box(walker.x1 - walker.width / 2, walker.y1 - walker.height / 2,
               walker.x2 + walker.width / 2, walker.y2 + walker.height / 2)
    for face_px in (walker.height, None):
        found = engine.detect_in_regions(bgr, [SearchArea(area, face_px)])
        assert len(found) == 1 and iou(found[0], walker) > 0.8, face_px


# --- encoding and comparing --------------------------------------------------------------

def test_encodings_are_unit_length_128_numbers(faces_dir: Path, engine: SFaceEngine) -> None:
    bgr = load_bgr(faces_dir / "group/bbt4.jpg")
    boxes = engine.detect_in_photo(bgr)
    assert len(boxes) == 6
    encodings = engine.encode(bgr, boxes)
    assert len(encodings) == 6
    for encoding in encodings:
        assert encoding.shape == (128,) and encoding.dtype == np.float64
        assert abs(np.linalg.norm(encoding) - 1.0) < 1e-9
    assert engine.encode(bgr, []) == []


def test_the_same_person_is_nearer_than_anyone_else(faces_dir: Path, engine: SFaceEngine) -> None:
    """Each probe of the four people photographed outside a studio (not LFW, not the
    grey `bbt_*` crops) is within the default tolerance of their own enrolment photo and
    nearer to it than to every other enrolment photo and every stranger."""
    rows = manifest(faces_dir)
    enrolled = {row["identity"]: largest_face_encoding(engine, faces_dir / row["file"])
                for row in rows if row["kind"] == "enrol" and not row["file"].startswith("lfw/")}
    strangers = [largest_face_encoding(engine, faces_dir / row["file"])
                 for row in rows if row["kind"] == "stranger"]
    probes = [row for row in rows if row["kind"] == "probe"
              and row["identity"] in ("obama", "biden", "clapton", "lennon")]
    assert len(probes) == 7
    for row in probes:
        probe = largest_face_encoding(engine, faces_dir / row["file"])
        own = engine.distance(probe, enrolled[row["identity"]])
        others = [engine.distance(probe, e) for name, e in enrolled.items()
                  if name != row["identity"]]
        others += [engine.distance(probe, e) for e in strangers]
        assert own < DEFAULT_TOLERANCE < min(others), row["file"]


def test_a_face_crop_gets_its_landmarks_again(faces_dir: Path, engine: SFaceEngine) -> None:
    """The pipeline's encoder process gets a crop around each face with the box moved into
    it; the engine finds the landmarks in the crop, and the encoding stays close to the
    whole photo's (measured: at most 0.094 on these faces)."""
    bgr = load_bgr(faces_dir / "group/bbt4.jpg")
    boxes = engine.detect_in_photo(bgr)
    for box, whole in zip(boxes, engine.encode(bgr, boxes)):
        crop, inside = face_crop(bgr, box)
        assert engine.distance(whole, engine.encode(crop, [inside])[0]) < 0.15


def test_a_box_without_a_face_still_gets_an_encoding(faces_dir: Path,
                                                     engine: SFaceEngine) -> None:
    white = load_bgr(faces_dir / "noface/faceapi_white.png")
    [encoding] = engine.encode(white, [Box(30, 30, 110, 120)])
    assert encoding.shape == (128,) and abs(np.linalg.norm(encoding) - 1.0) < 1e-9


def test_a_pickled_engine_encodes_alike(faces_dir: Path, engine: SFaceEngine) -> None:
    """The pipeline's encoder process receives the engine pickled, without its models."""
    bgr = load_bgr(faces_dir / "probe/obama/obama1.jpg")
    boxes = engine.detect_in_photo(bgr)
    copy = pickle.loads(pickle.dumps(engine))
    assert copy.score_threshold == engine.score_threshold
    assert engine.distance(engine.encode(bgr, boxes)[0], copy.encode(bgr, boxes)[0]) < 0.15


def test_distance_is_one_minus_cosine_similarity() -> None:
    a = np.zeros(128)
    a[0] = 1.0
    b = np.zeros(128)
    b[0], b[1] = 0.4, np.sqrt(1 - 0.4 ** 2)  # cosine 0.40
    assert SFaceEngine.distance(a, a) == pytest.approx(0.0)
    assert SFaceEngine.distance(a, b) == pytest.approx(0.60)
    assert SFaceEngine.distance(a, -a) == pytest.approx(2.0)
    assert SFaceEngine.distance(3 * a, b) == pytest.approx(0.60)  # length does not count
    assert SFaceEngine.distances(a, np.stack([a, b, -a])) == pytest.approx([0.0, 0.6, 2.0])


def test_jitter_is_refused_not_ignored(faces_dir: Path, engine: SFaceEngine) -> None:
    bgr = load_bgr(faces_dir / "enrol/obama/obama.jpg")
    with pytest.raises(ValueError, match="jitter"):
        engine.encode(bgr, engine.detect_in_photo(bgr), jitters=10)


def test_both_engines_offer_the_same_methods() -> None:
    assert isinstance(SFaceEngine(), Engine)
    assert isinstance(FaceEngine(), Engine)


def test_encode_aligns_on_the_landmarks_its_detection_found(faces_dir: Path,
                                                            engine: SFaceEngine) -> None:
    """Boxes from a detection are encoded on the landmarks found with them, exactly; the
    same boxes on another image (here an identical copy) get theirs searched again."""
    bgr = load_bgr(faces_dir / "group/bbt4.jpg")
    faces = engine.detect_faces(bgr)
    boxes = [face.box for face in faces]
    expected = engine.encode_faces(bgr, faces)
    assert all(np.array_equal(a, b) for a, b in zip(engine.encode(bgr, boxes), expected))
    again = engine.encode(bgr.copy(), boxes)
    assert not all(np.array_equal(a, b) for a, b in zip(again, expected))
    assert all(engine.distance(a, b) < 0.15 for a, b in zip(again, expected))


def test_opencv_gets_bgr_pictures(faces_dir: Path, engine: SFaceEngine) -> None:
    """The engine takes OpenCV's BGR, as every engine does, and gives YuNet and SFace the
    pictures they were trained on as they are: its results are theirs on the file as
    OpenCV reads it."""
    path = faces_dir / "probe/clapton/clapton-2.jpg"  # 400 px wide: searched at full size
    bgr = cv2.imread(str(path))
    detector, recognizer = create_detector(0.7), create_recognizer()
    detector.setInputSize((bgr.shape[1], bgr.shape[0]))
    _, rows = detector.detect(bgr)
    [face] = engine.detect_faces(bgr)
    assert np.allclose(face.yunet_row(), rows[0], atol=1e-3)
    feature = recognizer.feature(recognizer.alignCrop(bgr, rows[0])).reshape(-1)
    [encoding] = engine.encode_faces(bgr, [face])
    assert engine.distance(encoding, feature) < 1e-6


def test_a_face_box_beyond_the_image_edge_is_left_out() -> None:
    """YuNet can report a face partly outside the picture; one wholly outside it clips to
    an empty box, whose zero height once made the tracker's aspect ratio NaN and ended a
    run (seen on the walkers video)."""
    from attendance_app.faces.sface import _faces_in_rows

    landmarks_and_score = [0.0] * 10 + [0.9]
    rows = np.array([[10, 10, 40, 50, *landmarks_and_score],  # inside
                     [10, 130, 40, 50, *landmarks_and_score]], dtype=np.float32)  # below
    faces = _faces_in_rows(rows, 1.0, 1.0, 0.0, 0.0, width=160, height=120)
    assert [face.box.as_tuple() for face in faces] == [(10.0, 10.0, 50.0, 60.0)]
