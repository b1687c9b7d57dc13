"""Enrolment and recognition on the real faces in ../shared/faces, through the command line.

Everyone in enrol/ (one photo each) is enrolled with `enrol --folder`; then `identify`
must name enrolled people in their other photos, never name a stranger, find each
enrolled person in the group photos, and enrolment must refuse unusable files.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from attendance_app.cli import main

LINE = re.compile(r"^\s+x=\d+ y=\d+ w=\d+ h=\d+\s+(?P<label>.+?)\s+distance (?P<distance>[\d.]+)")


def _manifest(faces_dir: Path) -> list[dict[str, str]]:
    with (faces_dir / "MANIFEST.tsv").open(newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _files(faces_dir: Path, kind: str, lfw: bool = False) -> list[dict[str, str]]:
    return [r for r in _manifest(faces_dir) if r["kind"] == kind and r["file"].startswith("lfw/") == lfw]


def _labels(output: str) -> list[str]:
    """The label of every face line printed by `identify` ("Unknown" for rejected faces)."""
    return [m["label"].split("  ")[0] for m in map(LINE.match, output.splitlines()) if m]


@pytest.fixture(scope="module")
def enrolled(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the 13 people of enrol/ enrolled from one photo each."""
    data_dir = tmp_path_factory.mktemp("data")
    assert main(["enrol", "--folder", str(faces_dir / "enrol"), "--data-dir", str(data_dir)]) == 0
    return data_dir


def _identify(data_dir: Path, paths: list[Path], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "identify", *map(str, paths)]) == 0
    return capsys.readouterr().out


def test_enrol_folder_enrols_everyone_with_one_encoding(enrolled: Path, faces_dir: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["people", "--data-dir", str(enrolled)]) == 0
    listing = capsys.readouterr().out
    expected = sorted(p.name for p in (faces_dir / "enrol").iterdir() if p.is_dir())
    for name in expected:
        assert re.search(rf"^{name}\s+\d+\s+1\s+\d{{4}}-", listing, re.MULTILINE), name


def test_probes_are_named_correctly_and_never_as_someone_else(
    enrolled: Path, faces_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    probes = _files(faces_dir, "probe")
    output = _identify(enrolled, [faces_dir / r["file"] for r in probes], capsys)
    per_file = output.split("\n" + str(faces_dir))
    assert len(per_file) == len(probes)
    correct = 0
    for row, block in zip(probes, per_file):
        labels = _labels(block)
        assert labels, f"no face found in {row['file']}"
        assert labels[0] in (row["identity"], "Unknown"), f"{row['file']} named {labels[0]}"
        correct += labels[0] == row["identity"]
    # One enrol photo per person at the default tolerance: most probes, and every obama one.
    assert correct >= 0.75 * len(probes), f"only {correct} of {len(probes)} probes named"
    obama = _labels(_identify(enrolled, sorted((faces_dir / "probe" / "obama").iterdir()), capsys))
    assert obama == ["obama"] * 4


def test_strangers_are_never_named(enrolled: Path, faces_dir: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    strangers = [faces_dir / r["file"] for r in _files(faces_dir, "stranger")]
    labels = _labels(_identify(enrolled, strangers, capsys))
    assert len(labels) >= len(strangers)
    assert set(labels) == {"Unknown"}


@pytest.mark.parametrize("photo", ["two_people.jpg", "obama_and_biden.jpg", "bbt2.jpg", "bbt3.jpg"])
def test_group_photos_yield_each_enrolled_face(enrolled: Path, faces_dir: Path, photo: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    row = next(r for r in _manifest(faces_dir) if r["file"] == f"group/{photo}")
    expected = sorted(i for i in row["identity"].split(";") if i != "unknown")
    labels = _labels(_identify(enrolled, [faces_dir / row["file"]], capsys))
    assert sorted(label for label in labels if label != "Unknown") == expected
    assert len(labels) == len(row["identity"].split(";"))


def test_group_photo_of_strangers_names_nobody(enrolled: Path, faces_dir: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    labels = _labels(_identify(enrolled, [faces_dir / "group" / "longoria-cooper.jpg"], capsys))
    assert labels == ["Unknown", "Unknown"]


def test_unusable_enrolment_photos_are_refused_one_line_each_and_the_rest_count(
    faces_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_an_image = tmp_path / "notes.jpg"
    not_an_image.write_text("this is not a picture")
    noface = [faces_dir / r["file"] for r in _files(faces_dir, "noface")]
    two_faces = faces_dir / "group" / "two_people.jpg"
    good = faces_dir / "enrol" / "clapton" / "clapton-1.jpg"
    args = ["enrol", "Eric", *map(str, noface), str(two_faces), str(not_an_image), str(good)]
    assert main([*args, "--data-dir", str(tmp_path / "data")]) == 0
    captured = capsys.readouterr()
    warnings = captured.err.strip().splitlines()
    assert len(warnings) == len(noface) + 2
    for path in noface:
        assert any(str(path) in w and "no face found" in w for w in warnings), path
    assert any(str(two_faces) in w and "more than one face" in w for w in warnings)
    assert any(str(not_an_image) in w and "not a readable image" in w for w in warnings)
    assert "Enrolled Eric" in captured.out and "1 new face" in captured.out


def test_enrolment_with_no_usable_photo_enrols_nobody(faces_dir: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "data"
    photo = faces_dir / "noface" / "skimage_coffee.png"
    assert main(["enrol", "Nobody", str(photo), "--data-dir", str(data_dir)]) == 1
    assert "nothing enrolled for Nobody" in capsys.readouterr().err
    assert main(["people", "--data-dir", str(data_dir)]) == 0
    assert "Nobody is enrolled yet" in capsys.readouterr().out


def test_a_face_too_small_is_refused(faces_dir: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    photo = faces_dir / "enrol" / "bbt_amy" / "amy1.png"
    config = tmp_path / "strict.yaml"
    config.write_text("enrolment:\n  min_face_px: 400\n")
    args = ["--config", str(config), "--data-dir", str(tmp_path / "d"), "enrol", "Amy", str(photo)]
    assert main(args) == 1
    assert "face too small" in capsys.readouterr().err


def test_enrolling_a_known_face_under_another_name_warns(enrolled: Path, faces_dir: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    photo = faces_dir / "probe" / "obama" / "obama1.jpg"
    capsys.readouterr()
    assert main(["enrol", "Barry", str(photo), "--data-dir", str(enrolled)]) == 0
    err = capsys.readouterr().err
    assert "Barry looks like obama" in err
    assert main(["forget", "Barry", "--data-dir", str(enrolled)]) == 0


def test_adding_a_photo_of_someone_else_to_a_person_warns(faces_dir: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main(["enrol", "clapton", str(faces_dir / "enrol" / "clapton" / "clapton-1.jpg"), *data]) == 0
    capsys.readouterr()
    assert main(["enrol", "clapton", str(faces_dir / "enrol" / "lennon" / "lennon-1.jpg"), *data]) == 0
    assert "does not look like the clapton already enrolled" in capsys.readouterr().err


def test_enrolling_from_fewer_than_three_photos_suggests_adding_more(
        faces_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path)]
    photos = [faces_dir / "enrol" / "obama" / "obama.jpg",
              faces_dir / "probe" / "obama" / "obama1.jpg",
              faces_dir / "probe" / "obama" / "obama2.jpg"]
    assert main(["enrol", "Barack", str(photos[0]), *data]) == 0
    assert "Tip: enrol Barack from 3 or more photos" in capsys.readouterr().out
    assert main(["enrol", "Barack", *map(str, photos[1:]), *data]) == 0
    out = capsys.readouterr().out
    assert "3 in total" in out and "Tip" not in out
