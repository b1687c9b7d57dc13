"""The dlib engine calls dlib directly (issue 23, point 2): it finds and encodes exactly
what face_recognition 1.3.0 did, bit for bit, so stored enrolments stay valid, and it
loads only the model files it needs: never the non-commercial 68-point model unless the
large alignment is chosen. face_recognition is imported here only as the reference."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from attendance_app.camera.images import load_rgb
from attendance_app.faces import dlib_engine, dlib_models
from attendance_app.faces.models import ModelError, ModelFile

ROOT = Path(__file__).resolve().parents[3]
PHOTOS = ("probe/clapton/clapton-2.jpg", "group/bbt3.jpg", "group/longoria-cooper.jpg")
"""One face, five faces (one at an edge), two faces: small photos, searched as they are."""


@pytest.fixture(scope="module")
def reference() -> ModuleType:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # face_recognition_models' pkg_resources
        import face_recognition
    return face_recognition


@pytest.mark.parametrize("photo", PHOTOS)
def test_faces_are_found_where_face_recognition_finds_them(
        faces_dir: Path, reference: ModuleType, photo: str) -> None:
    rgb = load_rgb(faces_dir / photo)
    for upsample in (0, 1):
        theirs = reference.face_locations(rgb, upsample, "hog")
        assert dlib_engine.face_locations(rgb, upsample, "hog") == theirs
    assert theirs, "premise: the photo has a face"


def test_the_cnn_detector_boxes_as_face_recognition_does(
        faces_dir: Path, reference: ModuleType) -> None:
    rgb = load_rgb(faces_dir / "group" / "longoria-cooper.jpg")
    theirs = reference.face_locations(rgb, 0, "cnn")
    assert len(theirs) == 2 and dlib_engine.face_locations(rgb, 0, "cnn") == theirs


@pytest.mark.parametrize("alignment", ["small", "large"])
@pytest.mark.parametrize("photo", PHOTOS)
def test_encodings_are_bit_identical_to_face_recognitions(
        faces_dir: Path, reference: ModuleType, photo: str, alignment: str) -> None:
    rgb = load_rgb(faces_dir / photo)
    locations = reference.face_locations(rgb, 1)
    ours = dlib_engine.face_encodings(rgb, locations, 1, alignment)
    theirs = reference.face_encodings(rgb, locations, num_jitters=1, model=alignment)
    assert len(ours) == len(theirs) == len(locations) > 0
    assert all(a.dtype == b.dtype and np.array_equal(a, b)
               for a, b in zip(ours, theirs, strict=True))


def test_the_two_alignments_give_different_encodings(faces_dir: Path) -> None:
    """So the comparisons above would notice the wrong shape predictor."""
    rgb = load_rgb(faces_dir / PHOTOS[0])
    locations = dlib_engine.face_locations(rgb, 1, "hog")
    small, large = (dlib_engine.face_encodings(rgb, locations, 1, a)[0] for a in ("small", "large"))
    assert np.linalg.norm(small - large) > 0.01


JITTERED = """
import sys, warnings
import numpy as np
from attendance_app.camera.images import load_rgb
from attendance_app.faces import dlib_engine
warnings.simplefilter("ignore", UserWarning)
import face_recognition
rgb = load_rgb(sys.argv[1])
locations = face_recognition.face_locations(rgb, 1)
for jitters, alignment in ((3, "small"), (2, "large")):
    ours = dlib_engine.face_encodings(rgb, locations, jitters, alignment)
    theirs = face_recognition.face_encodings(rgb, locations, jitters, alignment)
    print(all(np.array_equal(a, b) for a, b in zip(ours, theirs, strict=True)))
"""


def test_jittered_encodings_are_bit_identical_too(faces_dir: Path) -> None:
    """dlib's encoder draws its jitters from a random generator it keeps, seeded alike in
    every process: both encoders are compared fresh, in a new interpreter, each called
    the same number of times."""
    result = subprocess.run([sys.executable, "-c", JITTERED, str(faces_dir / PHOTOS[1])],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["True", "True"]


WITHOUT_68 = """
import sys
from attendance_app.faces.dlib_engine import FaceEngine
from attendance_app.camera.images import load_bgr
from attendance_app.faces.models import ModelError
engine = FaceEngine()
engine.warm_up()
bgr = load_bgr(sys.argv[1])
encodings = engine.encode(bgr, engine.detect(bgr))
print(len(encodings), len(encodings[0]))
print(sorted(m for m in ("face_recognition", "face_recognition_models") if m in sys.modules))
try:
    FaceEngine(landmarks="large").encode(bgr, engine.detect(bgr))
except ModelError as error:
    print(error)
"""


def test_the_default_engine_works_without_the_68_point_file(
        faces_dir: Path, tmp_path: Path) -> None:
    """The face-recognition-models package as a child interpreter finds it holds every
    file but the 68-point one (links to the installed files), so any attempt to load that
    file fails: importing the engine, warming it up, detecting and encoding a face never
    does; only the large alignment asks for it, and is refused in one line."""
    installed = dlib_models.models_folder()
    package = tmp_path / dlib_models.MODULE
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").symlink_to(installed.parent / "__init__.py")
    for model in (dlib_models.ENCODER, dlib_models.FIVE_POINT, dlib_models.CNN_DETECTOR):
        (package / "models" / model.name).symlink_to(installed / model.name)
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-c", WITHOUT_68, str(faces_dir / PHOTOS[0])],
                            cwd=ROOT, env=environment, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    counts, imported, refusal = result.stdout.splitlines()
    assert counts == "1 128" and imported == "[]"
    assert dlib_models.SIXTY_EIGHT_POINT.name in refusal and str(package) in refusal
    assert "reinstall-package face-recognition-models" in refusal


@pytest.mark.parametrize("model", [dlib_models.ENCODER, dlib_models.FIVE_POINT,
                                   dlib_models.CNN_DETECTOR, dlib_models.SIXTY_EIGHT_POINT],
                         ids=lambda m: m.name)
def test_the_installed_dlib_model_files_have_their_digests(model: ModelFile) -> None:
    assert dlib_models.verified_path(model, dlib_models.models_folder()).is_file()


def test_a_damaged_dlib_model_is_refused_in_one_line_naming_the_package(tmp_path: Path) -> None:
    model = dlib_models.CNN_DETECTOR  # the smallest file (0.7 MB)
    data = bytearray((dlib_models.models_folder() / model.name).read_bytes())
    (tmp_path / model.name).write_bytes(bytes(data))
    assert dlib_models.cnn_detector(tmp_path) is not None  # the copy itself loads
    dlib_models.cnn_detector.cache_clear()
    data[len(data) // 2] ^= 0x01
    (tmp_path / model.name).write_bytes(bytes(data))
    with pytest.raises(ModelError) as refused:
        dlib_models.cnn_detector(tmp_path)
    message = str(refused.value)
    assert "\n" not in message and model.name in message and "damaged" in message
    assert "uv sync --reinstall-package face-recognition-models" in message


def test_a_missing_dlib_model_is_refused_in_one_line_naming_the_package(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as refused:
        dlib_models.shape_predictor("small", tmp_path)
    message = str(refused.value)
    assert "\n" not in message and dlib_models.FIVE_POINT.name in message
    assert "missing" in message and "face-recognition-models" in message


def _imports_face_recognition(path: Path) -> bool:
    """Whether the module at `path` imports face_recognition (by statement or by name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value] if node.value.startswith("face_recognition.") else []
        else:
            continue
        if any(name == "face_recognition" or name.startswith("face_recognition.")
               for name in names):
            return True
    return False


def test_only_reference_tests_import_face_recognition() -> None:
    """The app, the benchmarks and the shared test helpers use the dlib engine; importing
    face_recognition would load the 68-point model again. This test file is the
    reference comparison, the one place allowed to."""
    folders = ("attendance_app", "enrolment", "exports", "trackers", "benchmarks", "tests")
    found = sorted(str(path.relative_to(ROOT)) for folder in folders
                   for path in (ROOT / folder).rglob("*.py")
                   if path.resolve() != Path(__file__).resolve()
                   and _imports_face_recognition(path))
    assert found == ["tests/unit/faces/test_bgr_input.py"]
