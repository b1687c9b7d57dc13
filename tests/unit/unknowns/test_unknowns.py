"""Unknown regulars (issue 13, part 2): with unknowns.keep_days on, the faces of people
who are not enrolled are kept, grouped by person, and a group can be enrolled or deleted.

The door test runs the real command line in child processes on a rendered door video:
a person who is not enrolled (an LFW person, three different photos of them) walks by
three times among enrolled people and two strangers. What is kept is checked against who
walked by; then the group is enrolled and a second video logs them, or deleted, or left
to expire. Grouping itself is checked in test_clustering.py.
"""

from __future__ import annotations

import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from attendance_app.app.workspace import Workspace
from attendance_app.camera.images import load_rgb
from attendance_app.config.settings import AppConfig, ConfigError, parse_config
from attendance_app.faces.dlib_engine import FaceEngine
from attendance_app.faces.sface import SFaceEngine
from attendance_app.i18n import dates
from attendance_app.recognition.photos import face_thumbnail, faces_in_photo
from attendance_app.unknowns.groups import VISIT_GAP, count_visits, find_group, unknown_groups
from attendance_app.unknowns.listing import current_groups
from attendance_app.unknowns.saver import SightingSaver
from attendance_app.unknowns.store import UNKNOWNS_FILE, NewSighting, UnknownStore
from enrolment import FaceStore
from exports import ExcelWorkbook
from tests.support.scenes import faceless_video, probe_people, render, sequential_scene

REGULAR = "John_McCain"
"""The unknown regular: an LFW person with four photos (none enrolled in these tests);
SFace puts his photos 0.32 apart at most, so they are one person at tolerance 0.575."""

ENROLLED = ("obama", "biden")
STRANGERS = ("openface_adams.jpg", "faceapi_happy.jpg")
KEEP_30_DAYS = "unknowns:\n  keep_days: 30\n"
TOLERANCE = AppConfig().recognition.sface_tolerance


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The app in a child process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "attendance_app", *args], capture_output=True,
                          text=True, timeout=600, check=False)


def _regular_photos(faces_dir: Path) -> list[Path]:
    return (sorted((faces_dir / "lfw" / "enrol" / REGULAR).iterdir())
            + sorted((faces_dir / "lfw" / "probe" / REGULAR).iterdir()))


def _listed_groups(output: str) -> list[list[str]]:
    """The group lines of `attendance-app unknowns` (those starting with a number), split."""
    return [line.split() for line in output.splitlines() if line[:1].isdigit()]


@dataclass(frozen=True)
class FirstRun:
    """A data folder after the door video ran with keep_days 30, the settings file, and
    who each kept sighting is (by the walker photo nearest to it)."""

    data: Path
    config: Path
    labels: dict[int, str]
    output: str


def _label_sightings(store: UnknownStore, walkers: dict[Path, str]) -> dict[int, str]:
    """Each sighting's walker: the label of the walker photo nearest to its mean encoding,
    which must be well within tolerance and no other walker's photo nearly as near."""
    engine = SFaceEngine()
    photos = [(label, faces_in_photo(engine, load_rgb(path))[0].encoding)
              for path, label in walkers.items()]
    vectors = np.array([encoding for _, encoding in photos])
    sightings, looks = store.sightings("sface")
    labels = {}
    for sighting, encodings in zip(sightings, looks):
        distances = engine.distances(encodings.mean(axis=0), vectors)
        best = int(np.argmin(distances))
        others = [d for (label, _), d in zip(photos, distances) if label != photos[best][0]]
        assert distances[best] < TOLERANCE and min(others) > distances[best] + 0.1, distances
        labels[sighting.sighting_id] = photos[best][0]
    return labels


@pytest.fixture(scope="module")
def first_run(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> FirstRun:
    """Enrolled people, the regular (three times, three photos) and two strangers walk by
    one at a time in a 960x540 video (faces about 100 px: clear looks)."""
    folder = tmp_path_factory.mktemp("unknowns")
    regular = _regular_photos(faces_dir)[:3]
    enrolled = dict(probe_people(faces_dir, ENROLLED))
    strangers = [faces_dir / "stranger" / name for name in STRANGERS]
    walkers = [("obama", enrolled["obama"]), ("regular", regular[0]), ("stranger", strangers[0]),
               ("regular", regular[1]), ("biden", enrolled["biden"]), ("stranger", strangers[1]),
               ("regular", regular[2])]
    video = render(sequential_scene(walkers, size=(960, 540)), folder / "door.mp4")
    config = folder / "config.yaml"
    config.write_text(KEEP_30_DAYS)
    data = folder / "data"
    for name in ENROLLED:
        photo = next((faces_dir / "enrol" / name).iterdir())
        assert _cli("enrol", name, str(photo), "--data-dir", str(data)).returncode == 0
    result = _cli("run", "--headless", "--source", str(video), "--data-dir", str(data),
                  "--config", str(config))
    assert result.returncode == 0, result.stderr
    labels = {photo: label for label, photo in walkers}
    labels.update({photo: photo.stem for photo in strangers})  # each stranger is themselves
    return FirstRun(data, config, _label_sightings(UnknownStore(data / UNKNOWNS_FILE), labels),
                    result.stdout)


@pytest.fixture
def kept(first_run: FirstRun, tmp_path: Path) -> FirstRun:
    """A copy of the first run's data folder, for a test to change."""
    data = tmp_path / "data"
    shutil.copytree(first_run.data, data)
    return FirstRun(data, first_run.config, first_run.labels, first_run.output)


def _set_seen(data: Path, times: dict[int, datetime]) -> None:
    """Move sightings in time, as if seen on other days."""
    with closing(sqlite3.connect(data / UNKNOWNS_FILE)) as db, db:
        db.executemany("UPDATE sightings SET seen_at = ? WHERE id = ?",
                       [(when.isoformat(timespec="seconds"), sighting_id)
                        for sighting_id, when in times.items()])


def test_door_video_keeps_each_unknown_once_per_pass_grouped_by_person(first_run: FirstRun) -> None:
    labels = first_run.labels
    assert "IN   obama" in first_run.output and "IN   biden" in first_run.output
    assert not {"obama", "biden"} & set(labels.values()), "enrolled people are never kept"
    assert sorted(set(labels.values())) == ["faceapi_happy", "openface_adams", "regular"], (
        "every unknown pass was kept")
    assert list(labels.values()).count("regular") >= 3, "each of the regular's three passes"
    assert stat.S_IMODE((first_run.data / UNKNOWNS_FILE).stat().st_mode) == 0o600

    listing = _cli("unknowns", "--data-dir", str(first_run.data), "--config", str(first_run.config))
    assert listing.returncode == 0, listing.stderr
    groups = _listed_groups(listing.stdout)
    store = UnknownStore(first_run.data / UNKNOWNS_FILE)
    grouped = {group.number: {labels[i] for i in group.sighting_ids}
               for group in unknown_groups(store, "sface", "cosine", TOLERANCE)}
    assert sorted(map(sorted, grouped.values())) == [["faceapi_happy"], ["openface_adams"],
                                                     ["regular"]], "one group per person"
    number_of = {next(iter(people)): number for number, people in grouped.items()}
    listed = [int(line[0]) for line in groups]
    # The regular (most faces) first; the two strangers seen once each follow, the latest
    # seen first, but on a fast machine both passes fall within one second: a tie.
    assert listed[0] == number_of["regular"], "most seen first"
    assert set(listed[1:]) == {number_of["faceapi_happy"], number_of["openface_adams"]}
    regular = groups[0]  # number, visits, "visit(s)", faces, first seen, last seen
    assert regular[1:4] == ["1", "visit", str(list(labels.values()).count("regular"))], (
        "three passes a few seconds apart are one visit")


def test_the_same_person_on_other_days_is_one_group_with_a_visit_each(kept: FirstRun) -> None:
    regular = sorted(i for i, label in kept.labels.items() if label == "regular")
    now = datetime.now().replace(microsecond=0)
    days = {sighting_id: now - timedelta(days=20 - 5 * n) for n, sighting_id in enumerate(regular)}
    _set_seen(kept.data, days)
    listing = _cli("unknowns", "--data-dir", str(kept.data), "--config", str(kept.config))
    first = _listed_groups(listing.stdout)[0]
    assert int(first[0]) == regular[0] and first[1:3] == [str(len(regular)), "visits"]
    first_seen = dates.moment_text(min(days.values()))  # as the command line writes it
    assert " ".join(first_seen.split()) in " ".join(first)


def test_enrolling_a_group_logs_that_person_in_the_next_run(kept: FirstRun, faces_dir: Path,
                                                           tmp_path: Path) -> None:
    options = ["--data-dir", str(kept.data), "--config", str(kept.config)]
    number = min(i for i, label in kept.labels.items() if label == "regular")
    enrolled = _cli("unknowns", "enrol", str(number), "John McCain", *options)
    assert enrolled.returncode == 0, enrolled.stderr
    assert "Enrolled John McCain" in enrolled.stdout
    person = FaceStore(kept.data / "faces.sqlite3").find("John McCain")
    assert person is not None and person.encoding_count >= 2, "his best faces, as shots"
    for engine in ("sface", "dlib"):
        table = FaceStore(kept.data / "faces.sqlite3").encoding_table(engine)
        assert (table.person_ids == person.person_id).sum() == person.encoding_count, engine
    left = _listed_groups(_cli("unknowns", *options).stdout)
    assert number not in [int(line[0]) for line in left] and len(left) == 2
    assert UnknownStore(kept.data / UNKNOWNS_FILE).count() == len(kept.labels) - list(
        kept.labels.values()).count("regular"), "the enrolled group's faces are deleted"

    fourth_photo = _regular_photos(faces_dir)[3]
    video = render(sequential_scene([("regular", fourth_photo)], size=(960, 540)),
                   tmp_path / "again.mp4")
    again = _cli("run", "--headless", "--source", str(video), *options)
    assert again.returncode == 0, again.stderr
    names = [row.name for row in ExcelWorkbook(kept.data / "attendance.xlsx").read_rows()]
    assert names.count("John McCain") == 1, names
    assert UnknownStore(kept.data / UNKNOWNS_FILE).count() == 2, "a known face is not kept"


def _refused(result: subprocess.CompletedProcess[str], data: Path, count: int) -> str:
    """The one-line error of a refused enrolment, after checking nothing was deleted."""
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert UnknownStore(data / UNKNOWNS_FILE).count() == count, "no kept face was deleted"
    return result.stderr


def test_a_group_already_enrolled_under_another_name_is_refused_and_kept(
        kept: FirstRun, faces_dir: Path) -> None:
    options = ["--data-dir", str(kept.data), "--config", str(kept.config)]
    photo = _regular_photos(faces_dir)[0]  # the photo of his first pass
    assert _cli("enrol", "Senator", str(photo), *options).returncode == 0
    number = min(i for i, label in kept.labels.items() if label == "regular")
    error = _refused(_cli("unknowns", "enrol", str(number), "John McCain", *options), kept.data,
                     len(kept.labels))
    assert f"group {number} is already enrolled as Senator" in error and "--force" in error
    forced = _cli("unknowns", "enrol", str(number), "John McCain", "--force", *options)
    assert forced.returncode == 0, forced.stderr
    assert "Enrolled John McCain" in forced.stdout
    listed = _cli("people", *options).stdout
    assert "Senator" in listed and "John McCain" in listed, "both kept: twins, as enrol --force"


def test_a_group_is_not_added_to_someone_it_does_not_look_like(kept: FirstRun) -> None:
    options = ["--data-dir", str(kept.data), "--config", str(kept.config)]
    stranger = min(i for i, label in kept.labels.items() if label == "openface_adams")
    error = _refused(_cli("unknowns", "enrol", str(stranger), "OBAMA", *options), kept.data,
                     len(kept.labels))
    assert f"group {stranger} does not look like the obama already enrolled" in error
    missing = _cli("unknowns", "enrol", "99999", "Nobody", *options)
    assert missing.returncode == 1 and "there is no unknown group 99999" in missing.stderr


def _pieces(blob: bytes, size: int = 32) -> list[bytes]:
    """Distinctive slices of a face picture's coded data (its second half: the header's
    tables are the same in every JPEG), as tests/system/cli/test_privacy.py looks for remnants."""
    return [blob[i:i + size] for i in range(len(blob) // 2, len(blob) - size, size)
            if len(set(blob[i:i + size])) >= 16]


def test_deleting_a_group_erases_its_faces_from_the_file(kept: FirstRun) -> None:
    options = ["--data-dir", str(kept.data), "--config", str(kept.config)]
    store = UnknownStore(kept.data / UNKNOWNS_FILE)
    number = min(i for i, label in kept.labels.items() if label == "openface_adams")
    pieces = [piece for i, label in kept.labels.items() if label == "openface_adams"
              for piece in _pieces(store.face_image(i) or b"")]
    raw = (kept.data / UNKNOWNS_FILE).read_bytes()
    assert pieces and all(piece in raw for piece in pieces), "premise: the picture is there"
    deleted = _cli("unknowns", "delete", str(number), *options)
    assert deleted.returncode == 0, deleted.stderr
    assert f"Deleted unknown group {number}" in deleted.stdout
    left = [s.sighting_id for s in store.sightings("sface")[0]]
    assert left == sorted(i for i, label in kept.labels.items() if label != "openface_adams")
    raw = (kept.data / UNKNOWNS_FILE).read_bytes()
    assert not any(piece in raw for piece in pieces), (
        "the deleted face pictures are overwritten, not left in free pages")


def test_faces_older_than_keep_days_are_deleted_at_the_next_start(kept: FirstRun) -> None:
    now = datetime.now().replace(microsecond=0)
    ids = sorted(kept.labels)
    _set_seen(kept.data, {ids[0]: now - timedelta(days=31), ids[1]: now - timedelta(days=30, hours=1),
                          ids[2]: now - timedelta(days=29)})
    listing = _cli("unknowns", "--data-dir", str(kept.data), "--config", str(kept.config))
    assert listing.returncode == 0, listing.stderr
    left = [s.sighting_id for s in UnknownStore(kept.data / UNKNOWNS_FILE).sightings("sface")[0]]
    assert left == ids[2:], "only the faces seen more than 30 days ago are gone"


def test_turning_it_off_deletes_the_kept_faces_when_the_camera_next_starts(
        kept: FirstRun, tmp_path: Path) -> None:
    count = len(kept.labels)
    listing = _cli("unknowns", "--data-dir", str(kept.data))  # the default: keep_days 0
    assert listing.returncode == 0
    assert listing.stdout.startswith("Unknown visitors are not kept (unknowns.keep_days is 0")
    assert UnknownStore(kept.data / UNKNOWNS_FILE).count() == count, (
        "a command run with other settings than the camera's erases nothing")
    video = faceless_video(tmp_path / "empty.mp4", seconds=1)
    run = _cli("run", "--headless", "--source", str(video), "--data-dir", str(kept.data))
    assert run.returncode == 0, run.stderr
    assert UnknownStore(kept.data / UNKNOWNS_FILE).count() == 0


def test_off_by_default_nothing_is_kept(faces_dir: Path, tmp_path: Path) -> None:
    stranger = faces_dir / "stranger" / STRANGERS[0]
    video = render(sequential_scene([("stranger", stranger)], size=(960, 540)), tmp_path / "v.mp4")
    data = tmp_path / "data"
    tracks = tmp_path / "tracks.csv"
    result = _cli("run", "--headless", "--source", str(video), "--data-dir", str(data),
                  "--tracks", str(tracks))
    assert result.returncode == 0, result.stderr
    assert ",Unknown,unknown" in tracks.read_text(), "the stranger was seen as Unknown"
    assert not (data / UNKNOWNS_FILE).exists()
    assert parse_config("").unknowns.keep_days == 0


def test_keep_days_must_be_a_whole_number_of_days_from_0() -> None:
    assert parse_config("unknowns:\n  keep_days: 30\n").unknowns.keep_days == 30
    with pytest.raises(ConfigError, match="line 2: unknowns.keep_days must be between 0 and 3650"):
        parse_config("unknowns:\n  keep_days: -1\n")
    with pytest.raises(ConfigError, match="unknowns.keep_days must be a whole number"):
        parse_config("unknowns:\n  keep_days: 1.5\n")


# -- the store and the saver, without a camera -----------------------------------------------

def _sighting(seen_at: datetime, vector: np.ndarray, face_px: int = 100) -> NewSighting:
    return NewSighting(seen_at, "Door", b"\xff\xd8 not shown", face_px, "sface", vector[None, :])


def test_a_running_app_deletes_expired_faces_at_start_and_now_and_then(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = UnknownStore(tmp_path / UNKNOWNS_FILE)
    now = datetime.now()
    vector = np.ones(128)
    store.add(_sighting(now - timedelta(days=8), vector))
    fresh = store.add(_sighting(now - timedelta(days=6), vector))
    monkeypatch.setattr("attendance_app.unknowns.saver.EXPIRY_CHECK_S", 0.05)
    saver = SightingSaver(store, keep_days=7, max_faces=10000)
    try:
        deadline = time.monotonic() + 10
        while store.count() != 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [s.sighting_id for s in store.sightings("sface")[0]] == [fresh], "at start"
        store.add(_sighting(now - timedelta(days=9), vector))  # while running
        while store.count() != 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert store.count() == 1, "now and then while running"
    finally:
        saver.close()


def test_group_numbers_stay_while_new_faces_are_kept(tmp_path: Path) -> None:
    store = UnknownStore(tmp_path / UNKNOWNS_FILE)
    rng = np.random.default_rng(7)
    people = rng.normal(size=(3, 128))
    now = datetime.now().replace(microsecond=0)
    for n, person in enumerate([0, 1, 0, 2, 0, 1]):
        face = people[person] + rng.normal(scale=0.02, size=128)
        store.add(_sighting(now + timedelta(hours=n), face))
    before = unknown_groups(store, "sface", "cosine", TOLERANCE)
    assert [(g.number, len(g.sightings)) for g in before] == [(1, 3), (2, 2), (4, 1)]
    store.add(_sighting(now + timedelta(hours=9), people[2] + rng.normal(scale=0.02, size=128)))
    store.add(_sighting(now + timedelta(hours=9), rng.normal(size=128)))  # someone new
    after = unknown_groups(store, "sface", "cosine", TOLERANCE)
    assert [(g.number, len(g.sightings)) for g in after] == [(1, 3), (4, 2), (2, 2), (8, 1)]
    assert find_group(after, 4) is not None and find_group(after, 3) is None


def test_sightings_less_than_the_visit_gap_apart_are_one_visit() -> None:
    start = datetime(2026, 11, 2, 8, 0)
    times = [start, start + VISIT_GAP / 2, start + VISIT_GAP * 2, start + timedelta(days=1)]
    assert count_visits(times) == 3


# -- grouping across engines ------------------------------------------------------------

def test_faces_kept_under_one_engine_are_grouped_by_another_after_a_switch(
        faces_dir: Path, tmp_path: Path) -> None:
    """Kept by SFace, listed with dlib: each face is encoded by dlib from its kept picture,
    once, and the same people come out."""
    workspace = Workspace.resolve(
        parse_config("unknowns:\n  keep_days: 30\nrecognition:\n  engine: dlib\n"),
        tmp_path / "data", None)
    store = UnknownStore(workspace.data_dir / UNKNOWNS_FILE)
    engine = SFaceEngine()
    photos = [*_regular_photos(faces_dir)[:3], faces_dir / "stranger" / STRANGERS[0]]
    for photo in photos:
        rgb = load_rgb(photo)
        face = faces_in_photo(engine, rgb)[0]
        store.add(NewSighting(datetime.now(), "Door", face_thumbnail(rgb, face.box),
                              round(face.box.height), "sface", face.encoding[None, :]))
    loaded: list[str] = []

    def dlib() -> FaceEngine:
        loaded.append("dlib")
        return FaceEngine()

    groups = current_groups(workspace, store, dlib)
    assert sorted(tuple(sorted(g.sighting_ids)) for g in groups) == [(1, 2, 3), (4,)]
    assert loaded == ["dlib"] and store.pictures_without("dlib") == []
    current_groups(workspace, store, dlib)
    assert loaded == ["dlib"], "encoded once"


def test_switching_engines_keeps_every_kept_face_listed_and_deletable(
        faces_dir: Path, tmp_path: Path) -> None:
    """Issue 20, point 10: strangers of the shared walkers video kept under SFace, then the
    engine switched to dlib, whose detector finds no face in most of their pictures (they
    were left with no dlib encoding and vanished from every list): every kept face is
    listed with either engine, and deleting the listed groups with dlib empties the file."""
    data = tmp_path / "data"
    sface, dlib = tmp_path / "sface.yaml", tmp_path / "dlib.yaml"
    sface.write_text(KEEP_30_DAYS)
    dlib.write_text(KEEP_30_DAYS + "recognition:\n  engine: dlib\n")
    video = faces_dir / "video" / "walkers_royal_opera_house.mp4"
    run = _cli("run", "--headless", "--source", str(video), "--data-dir", str(data),
               "--config", str(sface))
    assert run.returncode == 0, run.stderr
    store = UnknownStore(data / UNKNOWNS_FILE)
    kept_faces = store.count()
    assert kept_faces >= 5, "the walkers were kept"
    listed: list[list[str]] = []
    for config in (dlib, sface, dlib):
        listing = _cli("unknowns", "--data-dir", str(data), "--config", str(config))
        assert listing.returncode == 0, listing.stderr
        listed = _listed_groups(listing.stdout)
        assert sum(int(line[3]) for line in listed) == kept_faces, (config.name, listing.stdout)
    for line in listed:
        deleted = _cli("unknowns", "delete", line[0], "--data-dir", str(data),
                       "--config", str(dlib))
        assert deleted.returncode == 0, deleted.stderr
    assert store.count() == 0


def test_a_face_whose_picture_cannot_be_read_is_still_listed_and_deletable(
        tmp_path: Path) -> None:
    """A sighting with no encodings of the engine in use (its picture is not a JPEG, or
    an older version stored none) is a group of its own, not left out."""
    workspace = Workspace.resolve(parse_config(KEEP_30_DAYS), tmp_path / "data", None)
    store = UnknownStore(workspace.data_dir / UNKNOWNS_FILE)
    good = np.ones((1, 128)) / np.sqrt(128)
    store.add(NewSighting(datetime.now(), "Door", b"not a jpeg", 90, "sface", good))
    broken = store.add(NewSighting(datetime.now(), "Door", b"not a jpeg", 90, "dlib", good))
    store.add_vectors(broken, "sface", np.zeros((0, 128)))
    loaded: list[str] = []

    def sface() -> SFaceEngine:
        loaded.append("sface")
        return SFaceEngine()

    groups = current_groups(workspace, store, sface)
    assert sorted(g.sighting_ids for g in groups) == [(1,), (2,)]
    assert loaded == ["sface"], "the empty encodings were asked for again"
    assert store.delete(groups[0].sighting_ids + groups[1].sighting_ids) == 2


def test_a_store_over_max_faces_drops_its_oldest_faces_when_the_camera_keeps_more(
        faces_dir: Path, tmp_path: Path) -> None:
    """Issue 20, point 12: the store had no cap (about 43,000 faces a day on a busy
    scene). A real store holding unknowns.max_faces faces, the newest first in id order
    (a camera whose clock was late), then the shared walkers video run: the store holds
    max_faces again, the walkers' new faces kept and the oldest seen dropped."""
    data = tmp_path / "data"
    store = UnknownStore(data / UNKNOWNS_FILE)
    rgb = load_rgb(faces_dir / "stranger" / STRANGERS[0])
    face = faces_in_photo(SFaceEngine(), rgb)[0]
    picture = face_thumbnail(rgb, face.box)
    now = datetime.now().replace(microsecond=0)
    cap = 100
    for age in range(cap):  # ids 1..100, seen 1..100 hours ago: id 100 is the oldest
        store.add(NewSighting(now - timedelta(hours=age + 1), "Door", picture, 100, "sface",
                              face.encoding[None, :]))
    config = tmp_path / "config.yaml"
    config.write_text(f"unknowns:\n  keep_days: 30\n  max_faces: {cap}\n")
    video = faces_dir / "video" / "walkers_royal_opera_house.mp4"
    run = _cli("run", "--headless", "--source", str(video), "--data-dir", str(data),
               "--config", str(config))
    assert run.returncode == 0, run.stderr
    kept = [s.sighting_id for s in store.sightings("sface")[0]]
    new = [i for i in kept if i > cap]
    assert len(kept) == cap and len(new) >= 5, "the walkers' faces were kept, within the cap"
    assert kept == list(range(1, cap + 1 - len(new))) + new, "the oldest seen went first"
    assert f"{cap} unknown faces are kept, the most unknowns.max_faces allows" in run.stderr


@pytest.mark.parametrize("value", ["99", "30001", "ten"])
def test_max_faces_is_a_whole_number_from_100_to_30000(value: str) -> None:
    with pytest.raises(ConfigError, match="max_faces"):
        parse_config(f"unknowns:\n  max_faces: {value}\n")
