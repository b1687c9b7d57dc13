"""Photo formats beyond JPEG and PNG (issue 20, point 12): iPhone HEIC/HEIF, GIF (its
first frame) and JPEG under its other names (.jfif, .jpe) were skipped by folder scans
without a word. Each is made at test time from a real face photo of ../shared/faces
(HEIC with pillow-heif's own encoder: no binary is committed) and goes through the real
command line: enrol, identify, and run on a folder.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from PIL import Image

from attendance_app.camera.images import IMAGE_SUFFIXES, find_images, load_rgb
from tests.support.faults_support import cli


def _rgb(photo: Path) -> Image.Image:
    with Image.open(photo) as image:
        return image.convert("RGB")


def save_heic(photo: Path, target: Path, orientation: int | None = None) -> Path:
    """`photo` re-encoded as HEIC (HEVC, as an iPhone saves it), optionally stored turned
    with the EXIF orientation that turns it back."""
    image = _rgb(photo)
    exif = None
    if orientation is not None:
        image = image.transpose(Image.Transpose.ROTATE_90)  # undone by orientation 6
        exif = Image.Exif()
        exif[0x0112] = orientation
    heif = pillow_heif.from_pillow(image)
    heif.save(target, quality=90, exif=None if exif is None else exif.tobytes())
    return target


def save_gif(photo: Path, target: Path) -> Path:
    """`photo` as the first frame of a two-frame animated GIF whose second frame is blank."""
    first = _rgb(photo)
    blank = Image.new("RGB", first.size, (255, 255, 255))
    first.save(target, save_all=True, append_images=[blank], duration=500, loop=0)
    return target


def save_jpeg_as(photo: Path, target: Path) -> Path:
    """`photo` as a JPEG under another suffix (.jfif, .jpe): the same format."""
    _rgb(photo).save(target, format="JPEG", quality=92)
    return target


@pytest.fixture(scope="module")
def photos(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The enrolment and probe photos of two people in each new format."""
    folder = tmp_path_factory.mktemp("formats")
    obama, biden = faces_dir / "enrol" / "obama" / "obama.jpg", faces_dir / "enrol" / "biden" / "biden.jpg"
    probes = folder / "probes"
    (probes / "phone").mkdir(parents=True)
    return {
        "obama.heic": save_heic(obama, folder / "obama.heic"),
        "biden.jfif": save_jpeg_as(biden, folder / "biden.jfif"),
        "probe-obama.gif": save_gif(faces_dir / "probe" / "obama" / "obama1.jpg", probes / "obama.gif"),
        "probe-biden.HEIC": save_heic(faces_dir / "probe" / "biden" / "biden2.jpg",
                                      probes / "phone" / "IMG_0001.HEIC", orientation=6),
        "probe-obama.jpe": save_jpeg_as(faces_dir / "probe" / "obama" / "obama2.jpg",
                                        probes / "phone" / "obama.jpe"),
        "probes": probes,
    }


def test_heic_gif_and_jfif_are_found_by_folder_scans(photos: dict[str, Path]) -> None:
    assert {".heic", ".heif", ".gif", ".jfif", ".jpe"} <= IMAGE_SUFFIXES
    assert [p.name for p in find_images(photos["probes"])] == ["obama.gif", "IMG_0001.HEIC",
                                                               "obama.jpe"]


@pytest.mark.parametrize("name", ["obama.heic", "biden.jfif", "probe-obama.gif"])
def test_each_format_reads_as_the_photo_it_was_made_from(
        name: str, photos: dict[str, Path], faces_dir: Path) -> None:
    source = {"obama.heic": faces_dir / "enrol" / "obama" / "obama.jpg",
              "biden.jfif": faces_dir / "enrol" / "biden" / "biden.jpg",
              "probe-obama.gif": faces_dir / "probe" / "obama" / "obama1.jpg"}[name]
    rgb, original = load_rgb(photos[name]), np.asarray(_rgb(source), dtype=int)
    assert rgb.dtype == np.uint8 and rgb.shape == original.shape
    # Lossy re-encoding (and the GIF's 256 colours) changes pixels a little; the blank
    # second frame of the GIF would differ by about 100.
    assert np.abs(rgb.astype(int) - original).mean() < 10


def test_an_exif_turned_heic_is_read_upright(photos: dict[str, Path], faces_dir: Path) -> None:
    original = _rgb(faces_dir / "probe" / "biden" / "biden2.jpg")
    rgb = load_rgb(photos["probe-biden.HEIC"])
    assert rgb.shape == (original.height, original.width, 3)
    assert np.abs(rgb.astype(int) - np.asarray(original, dtype=int)).mean() < 10


def test_enrol_identify_and_run_on_heic_gif_and_jfif(photos: dict[str, Path],
                                                     tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    for name, photo in (("obama", photos["obama.heic"]), ("biden", photos["biden.jfif"])):
        enrolled = cli("enrol", name, str(photo), *data)
        assert enrolled.returncode == 0, enrolled.stderr
    identified = cli("identify", str(photos["probes"]), *data)
    assert identified.returncode == 0, identified.stderr
    for photo, person in (("obama.gif", "obama"), ("IMG_0001.HEIC", "biden"), ("obama.jpe", "obama")):
        assert re.search(rf"{re.escape(photo)}: 1 face\n .* {person}  distance", identified.stdout), (
            identified.stdout)
    run = cli("run", "--headless", "--source", str(photos["probes"]), *data)
    assert run.returncode == 0, run.stderr
    assert "IN   obama" in run.stdout and "IN   biden" in run.stdout, run.stdout
    assert "skipped" not in run.stdout + run.stderr


BLOCKED_HEIF = """
import sys
sys.modules["pillow_heif"] = None  # as on a platform pillow-heif has no wheel for
from attendance_app.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_without_pillow_heif_each_heic_file_is_named_with_the_reason(
        photos: dict[str, Path], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCKED_HEIF, "identify", str(photos["probes"]),
         "--data-dir", str(tmp_path / "data")],
        capture_output=True, text=True, timeout=300, check=False)
    assert "IMG_0001.HEIC: HEIC/HEIF photos cannot be read here (the pillow-heif package is " \
           "missing); save it as JPEG, or reinstall the app" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
