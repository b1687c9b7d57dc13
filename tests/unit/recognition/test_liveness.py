"""Liveness (liveness.mode): a photo or a phone held up to the camera logs nobody, a real
person who moves their head still gets their row, and the refusals stay out of the
attendance rows.

The check is tested on points of a photo and of a rough head, on real footage (the
walkers video) and a rendered photo attack followed face by face, the whole app on rendered photo attacks (tests/support/photo_attack.py), on door videos made of
still photos (tests/support/scenes.py: photo attacks by construction) and on the real
walkers video, through the real command line where the setting is read.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from attendance_app.app.workspace import Workspace
from attendance_app.camera.images import load_bgr
from attendance_app.config.settings import AppConfig, ConfigError, LivenessConfig, parse_config
from attendance_app.faces.sface import SFaceEngine
from attendance_app.recognition.face_flow import FaceFlow, off_plane
from attendance_app.recognition.identity import TrackIdentity, VotingRule
from attendance_app.recognition.liveness import (
    MOTION_DRIFT,
    MOTION_MIN_FACE_PX,
    MOTION_SPAN,
    Liveness,
    MotionCheck,
    withdrawn_note,
)
from attendance_app.recognition.liveness_gate import LivenessGate
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.recognition.refusal import Refusal
from attendance_app.records.journal import Journal
from attendance_app.records.policy import AttendancePolicy
from attendance_app.records.recorder import AttendanceRecorder
from attendance_app.types import AttendanceEvent, Box, Frame, TrackStatus
from enrolment import Match
from tests.support.live_truth import read_truth
from tests.support.photo_attack import HeldPhoto, attack_frames, render_attack
from tests.support.scenes import probe_people, render, sequential_scene

WALKERS = Path("video") / "walkers_royal_opera_house.mp4"
WALKERS_TRUTH = Path(__file__).parents[2] / "system" / "end_to_end" / "data" / "walkers_truth.csv"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "attendance_app", *args], capture_output=True,
                          text=True, timeout=600, check=False)


def _held(seed: int) -> np.ndarray:
    """A homography as a hand holding a photo makes: moved, scaled, rolled, tilted."""
    rng = np.random.default_rng(seed)
    angle = rng.uniform(-0.3, 0.3)
    scale = rng.uniform(0.6, 1.6)
    return np.array([[scale * np.cos(angle), -scale * np.sin(angle), rng.uniform(-200, 200)],
                     [scale * np.sin(angle), scale * np.cos(angle), rng.uniform(-100, 100)],
                     [rng.uniform(-4e-4, 4e-4), rng.uniform(-4e-4, 4e-4), 1.0]])


def _head(count: int = 60) -> np.ndarray:
    """Points on a rough head 100 px tall, (x, y, depth towards the camera): a face
    rounded back towards the ears, a nose standing 25 px out of it."""
    rng = np.random.default_rng(1)
    x, y = rng.uniform(-40, 40, count), rng.uniform(-50, 50, count)
    depth = -0.012 * x ** 2 + 25 * np.exp(-(x ** 2 + (y - 5) ** 2) / 150)
    return np.stack([x, y, depth], axis=1)


def _seen(head: np.ndarray, turn_deg: float) -> np.ndarray:
    """The head's points as a camera far in front sees them, turned sideways."""
    angle = np.radians(turn_deg)
    x = head[:, 0] * np.cos(angle) + head[:, 2] * np.sin(angle)
    return np.stack([x + 320, head[:, 1] + 240], axis=1)


def test_points_on_a_photo_stay_on_one_plane_however_it_is_held() -> None:
    points = _seen(_head(), 0)
    for seed in range(20):
        carried = cv2.perspectiveTransform(points[None], _held(seed))[0]
        assert off_plane(points, carried, 100) < 1e-6


def test_points_on_a_head_turning_a_little_leave_the_plane() -> None:
    """A turn of 8 degrees moves the nose across the cheeks by more than the check needs;
    the tracker's error alone (0.3 px per point) does not."""
    head = _head()
    assert off_plane(_seen(head, 0), _seen(head, 8), 100) > 1.3 * MOTION_DRIFT
    noise = np.random.default_rng(2).normal(0, 0.3, (len(head), 2))
    assert off_plane(_seen(head, 0), _seen(head, 0) + noise, 100) < MOTION_DRIFT / 2


def test_points_the_tracker_lost_are_not_a_change_of_shape() -> None:
    """A few points found far from where the rest of the photo went (10 px, at a face
    100 px tall) are left out of the fit and of the drift."""
    points = _seen(_head(), 0)
    carried = cv2.perspectiveTransform(points[None], _held(1))[0]
    carried[:8] += 10
    assert off_plane(points, carried, 100) < MOTION_DRIFT / 10


def test_a_face_that_jumps_by_more_than_a_tenth_of_its_height_is_not_judged(
        faces_dir: Path) -> None:
    """Lucas-Kanade then finds points somewhere wrong: a photo swung by hand."""
    frame = load_bgr(faces_dir / "enrol" / "obama" / "obama.jpg")
    (box,) = SFaceEngine().detect_in_photo(frame)
    for shift, judged in ((0.05, True), (0.15, False)):
        pixels = round(shift * box.height)
        flow = FaceFlow(MOTION_SPAN)
        flow.add(frame, box, 0)
        moved = np.roll(frame, pixels, axis=1)
        drift = flow.add(moved, Box(box.x1 + pixels, box.y1, box.x2 + pixels, box.y2), 1)
        assert (drift is not None) == judged, shift


def _follow(video: Path, boxes: dict[int, Box]) -> tuple[MotionCheck, int | None]:
    """Run a MotionCheck over a face's boxes (frame: box) of a video, in order: the check
    and the frame it passed on."""
    check, passed_on = MotionCheck(), None
    capture = cv2.VideoCapture(str(video))
    for index in range(max(boxes) + 1):
        ok, bgr = capture.read()
        assert ok
        if index in boxes:
            check.add(bgr, boxes[index], index)
            if check.passed and passed_on is None:
                passed_on = index
    capture.release()
    return check, passed_on


def test_walker_01_passes_within_a_second_of_real_footage(faces_dir: Path) -> None:
    """He looks down, talks and turns his head: followed on the boxes the truth file gives
    (tests/system/end_to_end/data), he passes well within 2 s (50 frames at 25 frames/s)."""
    truth = read_truth(WALKERS_TRUTH)
    boxes = {frame: face.box for frame, faces in truth.items() for face in faces
             if face.who == "walker_01"}
    check, passed_on = _follow(faces_dir / WALKERS, boxes)
    assert passed_on is not None and passed_on - min(boxes) < 50


def test_a_photo_swung_turned_and_brought_nearer_never_passes(faces_dir: Path,
                                                               tmp_path: Path) -> None:
    """The enrolment photo printed and held up by hand for 4 s, the face found by the
    detector on every frame: the largest level its drifts reach stays under the check's."""
    held = HeldPhoto(faces_dir / "enrol" / "obama" / "obama.jpg", 0, 99, seed=3)
    video = render_attack([held], tmp_path / "attack.mp4")
    engine, boxes = SFaceEngine(), {}
    capture = cv2.VideoCapture(str(video))
    for index in range(100):
        ok, bgr = capture.read()
        assert ok
        found = engine.detect(bgr)
        if found:
            boxes[index] = max(found, key=lambda box: box.area)
    capture.release()
    check, passed_on = _follow(video, boxes)
    assert len(boxes) > 80 and passed_on is None
    assert 0 < check.largest < MOTION_DRIFT


def test_small_faces_are_not_looked_at_and_a_gap_starts_the_corners_afresh(
        faces_dir: Path) -> None:
    """A face under MOTION_MIN_FACE_PX gets no check; corners are never followed across a
    frame the face was not seen on (what it did meanwhile is unknown)."""
    liveness = Liveness()
    frame = load_bgr(faces_dir / "enrol" / "obama" / "obama.jpg")
    (box,) = SFaceEngine().detect_in_photo(frame)
    small = Box(box.x1, box.y1, box.x2, box.y1 + MOTION_MIN_FACE_PX - 1)
    liveness.observe(1, frame, small, 0)
    assert not liveness.passed(1) and liveness.check(1).largest == 0
    flow = FaceFlow(MOTION_SPAN)
    assert flow.add(frame, box, 0) is None  # corners found
    assert flow.add(frame, box, 1) is not None  # followed
    assert flow.add(frame, box, 3) is None  # frame 2 was missed: found afresh


# --- the gate: who waits, and the refusals ------------------------------------------------


def _identity(person_id: int | None, looks: int = 2) -> TrackIdentity:
    identity = TrackIdentity(VotingRule(votes_needed=2, max_attempts=3))
    for frame in range(looks):
        accepted = person_id is not None
        identity.add(Match(person_id, f"p{person_id}" if accepted else None,
                           0.3 if accepted else 0.9, 0.9, accepted, not accepted), frame)
    return identity


def test_only_faces_that_may_still_get_a_row_wait_for_liveness(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    recorder = AttendanceRecorder(journal, _NoWorkbook(), AttendancePolicy(), "door")
    gate = LivenessGate(Liveness(), recorder, 40)
    now = datetime.now()
    assert gate.awaits(1, None, now)  # not looked at yet
    assert gate.awaits(1, _identity(None, looks=1), now)  # still deciding
    assert not gate.awaits(1, _identity(None, looks=3), now)  # settled as nobody enrolled
    waiting = _identity(7)
    assert gate.awaits(1, waiting, now)
    assert gate.holding(1, waiting, now) == "turn your head a little"
    recorder.record(7, "p7", 0.3, now)  # already here today: no row would be written
    assert not gate.awaits(1, waiting, now) and gate.holding(1, waiting, now) is None


def test_refusals_are_kept_apart_from_attendance_rows(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with sqlite3.connect(path) as old:  # a journal of a version without refusals
        old.execute("CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp TEXT"
                    " NOT NULL, person_id INTEGER NOT NULL, name TEXT NOT NULL, camera TEXT NOT"
                    " NULL, distance REAL NOT NULL, kind TEXT NOT NULL)")
    journal = Journal(path)
    when = datetime(2026, 3, 2, 8, 15, 0)
    refused = journal.refuse(Refusal(when, 7, "Ada", "door", 0.31, "no head movement seen"))
    assert refused.refusal_id == 1 and journal.refusals() == [refused]
    assert journal.events() == [] and journal.events_on(when.date()) == []
    event = journal.record(AttendanceEvent(when, 7, "Ada", "door", 0.31, "in"))
    assert journal.events() == [event] and journal.refusals() == [refused]


class _NoWorkbook:
    def notify(self) -> None: ...

    def flush(self) -> bool:
        return True

    def close(self) -> None: ...


def test_a_misspelt_mode_stops_start_up_with_one_line() -> None:
    assert parse_config("liveness:\n  mode: motion\n").liveness.mode == "motion"
    assert parse_config("liveness:\n  mode: blink\n").liveness.mode == "blink"  # read as motion
    with pytest.raises(ConfigError, match=r"line 2: liveness.mode must be one of off, motion, "
                                          r"blink, got 'blinks'"):
        parse_config("liveness:\n  mode: blinks\n")


# --- the whole app ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def obama_workspace(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with obama enrolled from his enrolment photo."""
    folder = tmp_path_factory.mktemp("obama")
    workspace = Workspace.resolve(AppConfig(), folder, None)
    photo = faces_dir / "enrol" / "obama" / "obama.jpg"
    workspace.store().enrol("obama", [enrolment_shot(workspace.engine(), photo, 40)])
    return folder


@pytest.mark.parametrize("mode", ["off", "motion", "blink"])
def test_his_own_photo_held_up_logs_nobody_with_liveness_on(
        obama_workspace: Path, faces_dir: Path, tmp_path: Path, mode: str) -> None:
    """The enrolment photo itself, printed, moved, tilted and brought nearer for 4 s: with
    liveness off it is logged (the attack works); on, the box asks for what the photo
    cannot do, no row is written and a refusal is noted when it leaves."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "faces.sqlite3").write_bytes((obama_workspace / "faces.sqlite3").read_bytes())
    workspace = Workspace.resolve(replace(AppConfig(), liveness=LivenessConfig(mode)), data, None)
    recorder = workspace.recorder()
    pipeline = workspace.pipeline(recorder, encode_in_worker=False)
    held = HeldPhoto(faces_dir / "enrol" / "obama" / "obama.jpg", 5, 104, seed=3)
    events, labels = [], set()
    for index, image in enumerate(attack_frames([held], (1280, 720), 125)):
        result = pipeline.process(Frame(image, index, datetime.now()))
        events += result.events
        labels |= {(view.label, view.status) for view in result.tracks}
    events += pipeline.finish()
    recorder.close()

    refusals = recorder.journal.refusals()
    if mode == "off":
        assert [e.name for e in events] == ["obama"] and refusals == []
        return
    assert events == [] and recorder.journal.events() == []
    assert ("obama – turn your head a little", TrackStatus.UNSURE) in labels
    assert ("obama", TrackStatus.RECOGNISED) not in labels
    assert [(r.name, r.reason) for r in refusals] == [("obama", "no head movement seen")]


ENROLLED = ("obama", "biden", "lennon", "bbt_howard")


def test_door_videos_of_still_photos_log_nobody_with_liveness_on(
        faces_dir: Path, tmp_path: Path) -> None:
    """The door videos the other tests and the door benchmarks use are photos sliding by:
    with liveness on (through the settings file, as a user sets it) nobody is logged, and
    each recognised walker is noted as refused."""
    people = probe_people(faces_dir, ENROLLED)
    video = render(sequential_scene(people), tmp_path / "door.mp4")
    data = ["--data-dir", str(tmp_path / "data")]
    for name in ENROLLED:
        photo = next((faces_dir / "enrol" / name).iterdir())
        assert _cli("enrol", name, str(photo), *data).returncode == 0
    settings = tmp_path / "settings.yaml"
    settings.write_text("liveness:\n  mode: motion\n", encoding="utf-8")

    result = _cli("run", "--source", str(video), "--headless", "--config", str(settings), *data)

    assert result.returncode == 0, result.stderr
    assert " IN " not in result.stdout
    journal = Journal(tmp_path / "data" / "journal.sqlite3")
    assert journal.events() == []
    assert {r.name for r in journal.refusals()} == set(ENROLLED)


@pytest.mark.parametrize("mode", ["motion", "blink"])
def test_walker_01_in_the_real_video_gets_his_row_with_liveness_on(
        faces_dir: Path, enrol_dir: Path, tmp_path: Path, mode: str) -> None:
    """He looks down, talks and turns his head in those 4 s: logged once, nobody refused.
    `blink`, withdrawn, is read as motion, and the run says so once."""
    data = ["--data-dir", str(tmp_path)]
    crop = next((enrol_dir / "walker_01").iterdir())
    assert _cli("enrol", "walker_01", str(crop), *data).returncode == 0
    settings = tmp_path / "settings.yaml"
    settings.write_text(f"liveness:\n  mode: {mode}\n", encoding="utf-8")

    result = _cli("run", "--source", str(faces_dir / WALKERS), "--headless", "--config",
                  str(settings), *data)

    assert result.returncode == 0, result.stderr
    journal = Journal(tmp_path / "journal.sqlite3")
    assert [e.name for e in journal.events()] == ["walker_01"] and journal.refusals() == []
    note = withdrawn_note(mode)
    assert result.stderr.count("was withdrawn") == (0 if note is None else 1)
    assert note is None or note in result.stderr
