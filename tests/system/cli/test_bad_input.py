"""Bad input is refused clearly: a one-line message saying what to do, a non-zero exit
code, never a traceback, and nothing half-done.

Covers config files, photos (not images, truncated, huge, grayscale, 16-bit, alpha,
EXIF-rotated) and names (empty, too long, control characters, duplicates, and names
that would run as spreadsheet formulas).
"""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from PIL import Image

from attendance_app.camera.images import MAX_SIDE_PX, ImageError, load_rgb
from attendance_app.cli.main import main
from attendance_app.faces.dlib_engine import FaceEngine
from attendance_app.records.journal import Journal
from attendance_app.records.policy import AttendancePolicy
from attendance_app.records.recorder import AttendanceRecorder
from attendance_app.records.workbook_sync import WorkbookSync
from enrolment import FaceStore
from tests.support.faults_support import cli


def _one_line_error(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    for word in words:
        assert word in err, err
    return err


# --- config.yaml ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("recognition:\n  tolerance: [0.5\n", ("line 3", "not valid YAML", "fix the syntax")),
        ("recognition:\n  tolerance: 0.5\n tracking:\n", ("not valid YAML",)),
        ("recognition:\n  tolerence: 0.5\n", ("line 2", "'recognition.tolerence'", "allowed here")),
        ("recognition:\n  votes_needed: three\n", ("line 2", "votes_needed", "whole number")),
        ("recognition:\n  tolerance: -0.1\n", ("line 2", "tolerance", "between 0.2 and 0.8")),
        ("recognition:\n  votes_needed: 0\n", ("line 2", "votes_needed", "between 1 and 50")),
        ("attendance:\n  cooldown_minutes: -5\n", ("cooldown_minutes", "between 0 and 1440 minutes")),
        ("- camera\n- detection\n", ("must be a mapping",)),
        ("attendance:\n  workbook: /no/such/folder/attendance.xlsx\n",
         ("/no/such/folder", "does not exist", "create it or choose another path")),
        ("attendance:\n  workbook: attendance.csv\n", ("must end in .xlsx",)),
    ],
    ids=["unclosed-list", "bad-indent", "unknown-key", "wrong-type", "negative-tolerance",
         "zero-votes", "negative-cooldown", "not-a-mapping", "workbook-folder-missing",
         "workbook-not-xlsx"],
)
def test_bad_config_stops_the_command_with_one_line(
    text: str, words: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(text)
    data = tmp_path / "data"
    assert main(["--config", str(config), "people", "--data-dir", str(data)]) == 1
    _one_line_error(capsys, *words)
    assert not data.exists() or not any(data.iterdir()), "nothing is created for a bad config"


def test_config_that_is_not_text_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_bytes(b"\xff\xfe\x00binary\x80")
    assert main(["--config", str(config), "people", "--data-dir", str(tmp_path)]) == 1
    _one_line_error(capsys, "cannot be read")


# --- photos --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def engine() -> FaceEngine:
    engine = FaceEngine()
    engine.warm_up()
    return engine


@pytest.fixture(scope="module")
def upright(faces_dir: Path) -> Image.Image:
    """A real single-face photo (910x1137 RGB), as the upright reference."""
    with Image.open(faces_dir / "enrol" / "obama" / "obama.jpg") as image:
        return image.convert("RGB")


def test_a_file_that_is_not_an_image_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_text("name,time\nAda,09:00\n")
    with pytest.raises(ImageError, match="not a readable image; use a JPEG or PNG"):
        load_rgb(path)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.png").touch()
    with pytest.raises(ImageError, match="not a readable image"):
        load_rgb(tmp_path / "empty.png")


def test_a_truncated_photo_is_refused_even_after_the_face_models_loaded(
    engine: FaceEngine, faces_dir: Path, tmp_path: Path
) -> None:
    """Regression: importing face_recognition (done by `engine`) turns on PIL's
    LOAD_TRUNCATED_IMAGES for the whole process, after which the second and later
    photos of an `enrol` were accepted with their missing half filled in grey."""
    whole = (faces_dir / "enrol" / "obama" / "obama.jpg").read_bytes()
    path = tmp_path / "cut.jpg"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ImageError, match="damaged or truncated") as caught:
        load_rgb(path)
    assert "\n" not in str(caught.value)


def _huge_png(path: Path, side: int) -> Path:
    """A valid side x side grayscale PNG written row by row: megabytes of zeros on disk
    compress to a few hundred kilobytes, and the test never holds the picture."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = b"\0" * (side + 1)  # filter byte + pixels
    with path.open("wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)))
        data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
        out.write(chunk(b"IDAT", data) + chunk(b"IEND", b""))
    return path


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads peak memory from /proc")
def test_a_20000_pixel_square_photo_is_refused_without_using_the_memory(tmp_path: Path) -> None:
    """400 megapixels would take 1.2 GB as RGB; the loader must refuse before decoding.
    Measured in a child process, whose peak memory is its own."""
    path = _huge_png(tmp_path / "huge.png", 20000)
    # VmHWM, not ru_maxrss: a child's ru_maxrss starts at its parent's (this big process).
    code = ("import sys\n"
            "from attendance_app.camera.images import ImageError, load_rgb\n"
            "try:\n    load_rgb(__import__('pathlib').Path(sys.argv[1]))\n"
            "except ImageError as error:\n    print(error)\n"
            "status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
            "print(int(status) // 1024)\n")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                            check=True, timeout=120)
    message, peak_mb = result.stdout.splitlines()
    assert "too many pixels" in message and f"below {MAX_SIDE_PX}" in message
    assert int(peak_mb) < 400, f"peak memory {peak_mb} MB: the picture was decoded"


def test_a_large_photo_is_shrunk_to_the_maximum_side(upright: Image.Image, tmp_path: Path) -> None:
    path = tmp_path / "large.jpg"
    upright.resize((5600, 7000)).save(path, quality=80)
    rgb = load_rgb(path)
    assert max(rgb.shape[:2]) <= MAX_SIDE_PX and rgb.dtype == np.uint8


def _variants(upright: Image.Image, tmp_path: Path) -> dict[str, Path]:
    """The same face saved the ways scanners and editors save it."""
    gray = upright.convert("L")
    sixteen = Image.fromarray(np.asarray(gray, dtype=np.uint16) * 257)
    rgba = upright.convert("RGBA")
    alpha = np.full(rgba.size[::-1], 255, np.uint8)
    alpha[: alpha.shape[0] // 8] = 0  # a transparent band across the top
    rgba.putalpha(Image.fromarray(alpha))
    paths = {"grayscale": tmp_path / "gray.jpg", "16-bit": tmp_path / "sixteen.png",
             "alpha": tmp_path / "alpha.png", "palette": tmp_path / "palette.png"}
    gray.save(paths["grayscale"])
    sixteen.save(paths["16-bit"])
    rgba.save(paths["alpha"])
    upright.convert("P", palette=Image.Palette.ADAPTIVE).save(paths["palette"])
    return paths


@pytest.mark.parametrize("kind", ["grayscale", "16-bit", "alpha", "palette"])
def test_unusual_pixel_formats_become_rgb_with_the_face_found(
    kind: str, upright: Image.Image, engine: FaceEngine, tmp_path: Path
) -> None:
    path = _variants(upright, tmp_path)[kind]
    if kind == "16-bit":
        with Image.open(path) as saved:
            assert saved.mode.startswith("I"), "the fixture must really be 16-bit"
    rgb = load_rgb(path)
    assert rgb.dtype == np.uint8 and rgb.shape == (upright.height, upright.width, 3)
    assert rgb.flags["C_CONTIGUOUS"]
    assert len(engine.detect_in_photo(np.ascontiguousarray(rgb[:, :, ::-1]))) == 1


@pytest.mark.parametrize(("orientation", "stored_as"), [
    (6, Image.Transpose.ROTATE_90),   # camera held turned right: view rotates 90 clockwise
    (8, Image.Transpose.ROTATE_270),  # turned left
    (3, Image.Transpose.ROTATE_180),  # upside down
])
def test_exif_rotated_photo_is_turned_upright_and_the_face_found(
    orientation: int, stored_as: Image.Transpose, upright: Image.Image, engine: FaceEngine,
    tmp_path: Path
) -> None:
    path = tmp_path / "phone.jpg"
    stored = upright.transpose(stored_as)
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.save(path, exif=exif, quality=95)
    stored_bgr = np.ascontiguousarray(np.asarray(stored)[:, :, ::-1])  # engines take BGR
    assert engine.detect_in_photo(stored_bgr) == [], "the stored pixels hide the face"
    rgb = load_rgb(path)
    assert rgb.shape == (upright.height, upright.width, 3)
    assert np.abs(rgb.astype(int) - np.asarray(upright, dtype=int)).mean() < 8
    assert len(engine.detect_in_photo(np.ascontiguousarray(rgb[:, :, ::-1]))) == 1


def test_identify_on_a_non_image_warns_one_line_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "notes.png"
    bogus.write_text("not a picture")
    assert main(["identify", str(bogus), "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == [f"error: {bogus}: not a readable image; use a JPEG or PNG photo"]


def test_run_on_a_file_that_is_not_a_video_is_one_line(tmp_path: Path) -> None:
    fake = tmp_path / "door.mp4"
    fake.write_bytes(b"\0" * 1000)
    result = cli("run", "--headless", "--source", str(fake), "--data-dir", str(tmp_path))
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: video file") and "cannot be opened" in last
    assert "Traceback" not in result.stderr


def test_a_damaged_face_store_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "faces.sqlite3").write_bytes(b"this is not a database, " * 40)
    result = cli("people", "--data-dir", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    expected = (f"error: {tmp_path / 'faces.sqlite3'} is damaged or not a file of this app "
                "(file is not a database): move it aside or restore a backup")
    assert result.stderr.strip().splitlines() == [expected]


# --- names ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "words"), [
    ("   ", ("non-empty name",)),
    ("A" * 101, ("at most 100 characters", "shorter name")),
    ("Ada\nLovelace", ("line break or control character",)),
    ("Ada\tLovelace", ("control character",)),
    ("Ada\udcff", ("not valid text",)),  # an undecodable byte on the command line
])
def test_unusable_names_are_refused_before_any_photo_is_read(
    name: str, words: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["enrol", name, str(tmp_path / "no-such-photo.jpg"), "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err  # exit 1: a failure
    assert all(word in err for word in words) and "no-such-photo" not in err
    assert FaceStore(tmp_path / "faces.sqlite3").people() == []


def test_rename_to_an_unusable_name_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    from enrolment import NewEncoding
    store.enrol("Ada", [NewEncoding(np.zeros(128), "a.jpg")])
    assert main(["rename", "Ada", "x" * 500, "--data-dir", str(tmp_path)]) == 1
    _one_line_error(capsys, "at most 100 characters")
    assert [p.name for p in store.people()] == ["Ada"]


def test_enrolling_an_existing_name_adds_to_that_person(
    faces_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    another_photo = faces_dir / "probe" / "obama" / "obama1.jpg"
    data = ["--data-dir", str(tmp_path)]
    assert main(["enrol", "Barack Obama", str(faces_dir / "enrol" / "obama" / "obama.jpg"), *data]) == 0
    assert main(["enrol", "  barack OBAMA ", str(another_photo), *data]) == 0
    out = capsys.readouterr().out
    assert "Enrolled Barack Obama (id 1): 1 new face, 2 in total" in out
    people = FaceStore(tmp_path / "faces.sqlite3").people()
    assert [(p.name, p.encoding_count) for p in people] == [("Barack Obama", 2)]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","click")', "+1+cmd|' /C calc'!A0",
                                  "-2+3", "@SUM(A1:A2)", "O'Brien / Ü <x> \"q\" ; : * ? \\"])
def test_names_that_look_like_formulas_or_break_paths_are_stored_as_plain_text(
    name: str, tmp_path: Path
) -> None:
    """Formula injection: a name starting with = + - @ must not become a formula."""
    store = FaceStore(tmp_path / "faces.sqlite3")
    from enrolment import NewEncoding
    person = store.enrol(name, [NewEncoding(np.zeros(128), "a.jpg")])
    assert person.name == name
    journal = Journal(tmp_path / "journal.sqlite3")
    workbook = tmp_path / "attendance.xlsx"
    recorder = AttendanceRecorder(journal, WorkbookSync(journal, workbook), AttendancePolicy(), "Door")
    recorder.record(person.person_id, person.name, 0.3, datetime(2026, 3, 2, 9, 0))
    cell = load_workbook(workbook)["Attendance"]["B2"]
    assert cell.value == name and cell.data_type == "s"
    if name[0] in "=+-@":
        assert cell.quotePrefix, "Excel must keep it text even when the cell is edited"


def test_a_stream_address_with_a_password_is_never_printed(tmp_path: Path) -> None:
    """A network camera's address often carries its password: a camera that cannot be
    opened is named with the password hidden (nothing listens on port 9 here)."""
    address = "http://admin:Cam-Secret-7@127.0.0.1:9/video.mjpg"
    result = cli("run", "--headless", "--source", address, "--data-dir", str(tmp_path))
    assert result.returncode == 1
    assert "http://admin:***@127.0.0.1:9/video.mjpg" in result.stderr
    assert "Cam-Secret-7" not in result.stdout + result.stderr


def test_start_time_setting_is_checked(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("attendance:\n  start_time: \"8h30\"\n")
    result = cli("people", "--config", str(config), "--data-dir", str(tmp_path))
    assert result.returncode == 1
    assert "line 2" in result.stderr and "attendance.start_time" in result.stderr
    assert "HH:MM" in result.stderr
