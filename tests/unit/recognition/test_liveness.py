"""Liveness (liveness.mode): a photo or a phone held up to the camera logs nobody, a real
person who moves their head still gets their row, and the refusals stay out of the
attendance rows.

The checks are tested on real landmarks (the shared photos, the real walkers video), the
whole app on rendered photo attacks (tests/support/photo_attack.py), on door videos made of
still photos (tests/support/scenes.py: photo attacks by construction) and on the real
walkers video, through the real command line where the setting is read.
"""

from __future__ import annotations

import csv
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
from attendance_app.faces.dlib_engine import bgr_to_rgb
from attendance_app.faces.landmarks import Landmarker
from attendance_app.faces.sface import SFaceEngine
from attendance_app.recognition.identity import TrackIdentity, VotingRule
from attendance_app.recognition.liveness import (
    BLINK_MIN_FACE_PX,
    MOTION_LOOK_SPACING,
    MOTION_MIN_FACE_PX,
    MOTION_RESIDUAL,
    BlinkCheck,
    Liveness,
    MotionCheck,
    eye_aspect_ratio,
    eye_distance,
    planar_residual,
)
from attendance_app.recognition.liveness_gate import LivenessGate
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.recognition.refusal import Refusal
from attendance_app.records.journal import Journal
from attendance_app.records.policy import AttendancePolicy
from attendance_app.records.recorder import AttendanceRecorder
from attendance_app.types import AttendanceEvent, Frame, TrackStatus
from enrolment import Match
from tests.support.photo_attack import HeldPhoto, attack_frames
from tests.support.scenes import probe_people, render, sequential_scene

WALKERS = Path("video") / "walkers_royal_opera_house.mp4"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "attendance_app", *args], capture_output=True,
                          text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def obama_points(faces_dir: Path) -> np.ndarray:
    """The 68 landmarks of the face in obama's enrolment photo."""
    bgr = load_bgr(faces_dir / "enrol" / "obama" / "obama.jpg")
    (box,) = SFaceEngine().detect_in_photo(bgr)
    return Landmarker("sface").landmarks(bgr_to_rgb(bgr), box)


def _carried(points: np.ndarray, transform: np.ndarray) -> np.ndarray:
    return cv2.perspectiveTransform(points[None], transform)[0]


def _held(seed: int) -> np.ndarray:
    """A homography as a hand holding a photo makes: moved, scaled, rolled, tilted."""
    rng = np.random.default_rng(seed)
    angle = rng.uniform(-0.3, 0.3)
    scale = rng.uniform(0.6, 1.6)
    return np.array([[scale * np.cos(angle), -scale * np.sin(angle), rng.uniform(-200, 200)],
                     [scale * np.sin(angle), scale * np.cos(angle), rng.uniform(-100, 100)],
                     [rng.uniform(-4e-4, 4e-4), rng.uniform(-4e-4, 4e-4), 1.0]])


DEPTH = np.concatenate([
    -0.6 + 0.5 * np.sin(np.linspace(0, np.pi, 17)),  # jaw line: back at the ears, out at the chin
    np.full(10, 0.1),  # brows
    np.linspace(0.2, 0.6, 4), np.full(5, 0.35),  # nose bridge to tip, nostrils
    np.zeros(12),  # eyes
    np.full(20, 0.25),  # mouth
])
"""How far each of the 68 landmarks stands out of the plane of the eyes, in eye distances:
a rough adult head, enough to turn it."""


def _turned(points: np.ndarray, degrees: float) -> np.ndarray:
    """`points` as a head turned sideways by `degrees` would show them (orthographic):
    no flat picture's landmarks change like this."""
    angle = np.radians(degrees)
    centre = points[36:48].mean(axis=0)
    depth = DEPTH * eye_distance(points)
    moved = points.copy()
    moved[:, 0] = centre[0] + (points[:, 0] - centre[0]) * np.cos(angle) + depth * np.sin(angle)
    return moved


def test_a_photo_moved_tilted_and_scaled_stays_on_one_plane(obama_points: np.ndarray) -> None:
    for seed in range(20):
        assert planar_residual(obama_points, _carried(obama_points, _held(seed))) < 1e-6


def test_the_walker_turning_his_head_is_no_plane(faces_dir: Path) -> None:
    """walker_01 in the real video looking down (frame 30) and turned (frame 80)."""
    engine, landmarker = SFaceEngine(), Landmarker("sface")
    crop = load_bgr(faces_dir / "enrol" / "walker_01" / "walker_01_frame010_crop.png")
    boy = max(engine.detect_faces(crop), key=lambda face: face.box.area)
    (his_face,) = engine.encode_faces(crop, [boy])
    capture = cv2.VideoCapture(str(faces_dir / WALKERS))
    points = {}
    for index in range(81):
        ok, bgr = capture.read()
        assert ok
        if index in (30, 80):
            faces = engine.detect_faces(bgr)
            encodings = engine.encode_faces(bgr, faces)
            nearest = int(np.argmin([engine.distance(e, his_face) for e in encodings]))
            points[index] = landmarker.landmarks(bgr_to_rgb(bgr), faces[nearest].box)
    capture.release()
    assert planar_residual(points[30], points[80]) > 1.2 * MOTION_RESIDUAL


def test_motion_passes_on_a_shape_held_for_two_looks_not_on_one_odd_look(
        obama_points: np.ndarray) -> None:
    rng = np.random.default_rng(0)

    def look(points: np.ndarray, seed: int) -> np.ndarray:
        noise = rng.normal(0, 0.01 * eye_distance(points), points.shape)
        return _carried(points + noise, _held(seed))

    odd = MotionCheck()
    for index in range(8):  # a photo whose landmarks jump to another fit once
        odd.add(look(_turned(obama_points, 35) if index == 4 else obama_points, index),
                index * 5)
        assert not odd.passed

    turned = MotionCheck()
    for index in range(4):
        turned.add(look(_turned(obama_points, 35) if index >= 2 else obama_points, index),
                   index * 5)
        assert turned.passed == (index == 3)


def _eyes_open(points: np.ndarray, openness: float) -> np.ndarray:
    """`points` with both eyes' lids moved towards their middle line: 1 as they are, 0 shut."""
    moved = points.copy()
    for eye in (slice(36, 42), slice(42, 48)):
        middle = moved[eye][[0, 3], 1].mean()
        lids = moved[eye].copy()
        lids[[1, 2, 4, 5], 1] = middle + openness * (lids[[1, 2, 4, 5], 1] - middle)
        moved[eye] = lids
    return moved


@pytest.mark.parametrize(("closed_frames", "blinked"), [(1, False), (3, True), (20, False)])
def test_blink_is_a_short_closing_of_the_eyes(obama_points: np.ndarray, closed_frames: int,
                                              blinked: bool) -> None:
    """One frame is the landmark model's noise, twenty are looking down."""
    assert eye_aspect_ratio(_eyes_open(obama_points, 0.1)) < 0.2 * eye_aspect_ratio(obama_points)
    check = BlinkCheck()
    openness = [1.0] * 10 + [0.1] * closed_frames + [1.0] * 5
    for frame, amount in enumerate(openness):
        check.add(_eyes_open(obama_points, amount), frame)
    assert check.passed == blinked


def test_small_faces_are_not_looked_at_and_a_blink_across_a_gap_does_not_count(
        obama_points: np.ndarray) -> None:
    """Their landmarks wander too much to tell an eyelid or a turn from noise."""
    blink = BlinkCheck()
    assert not blink.wants(0, BLINK_MIN_FACE_PX - 1) and blink.wants(0, BLINK_MIN_FACE_PX)
    motion = MotionCheck()
    assert not motion.wants(0, MOTION_MIN_FACE_PX - 1) and motion.wants(0, MOTION_MIN_FACE_PX)
    motion.add(obama_points, 0)
    assert not motion.wants(MOTION_LOOK_SPACING - 1, 120) and motion.wants(MOTION_LOOK_SPACING, 120)

    gap = BlinkCheck()
    frames = list(range(10)) + [10, 11, 30] + [31, 32]  # not seen from frame 12 to 29
    for frame, amount in zip(frames, [1.0] * 10 + [0.1] * 3 + [1.0] * 2):
        gap.add(_eyes_open(obama_points, amount), frame)
    assert not gap.passed


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
    gate = LivenessGate(Liveness("motion", Landmarker("sface")), recorder, 40)
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
    with pytest.raises(ConfigError, match=r"line 2: liveness.mode must be one of off, blink, "
                                          r"motion, got 'blinks'"):
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
    prompt = "turn your head a little" if mode == "motion" else "blink, please"
    assert (f"obama – {prompt}", TrackStatus.UNSURE) in labels
    assert ("obama", TrackStatus.RECOGNISED) not in labels
    assert [(r.name, r.reason) for r in refusals] == [
        ("obama", "no head movement seen" if mode == "motion" else "no blink seen")]


ENROLLED = ("obama", "biden", "lennon", "bbt_howard")


@pytest.mark.parametrize("mode", ["motion", "blink"])
def test_door_videos_of_still_photos_log_nobody_with_liveness_on(
        faces_dir: Path, tmp_path: Path, mode: str) -> None:
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
    settings.write_text(f"liveness:\n  mode: {mode}\n", encoding="utf-8")

    result = _cli("run", "--source", str(video), "--headless", "--config", str(settings), *data)

    assert result.returncode == 0, result.stderr
    assert " IN " not in result.stdout
    journal = Journal(tmp_path / "data" / "journal.sqlite3")
    assert journal.events() == []
    assert {r.name for r in journal.refusals()} == set(ENROLLED)


@pytest.mark.parametrize(("mode", "logged"), [("motion", True), ("blink", False)])
def test_walker_01_in_the_real_video_passes_motion_not_blink(
        faces_dir: Path, enrol_dir: Path, tmp_path: Path, mode: str, logged: bool) -> None:
    """He looks down, talks and turns his head in those 4 s, and never visibly blinks
    (his eyes are 3 to 5 px tall): motion logs him once; blink does not (the box keeps
    asking him to blink), and notes him as refused when the video ends."""
    data = ["--data-dir", str(tmp_path)]
    crop = next((enrol_dir / "walker_01").iterdir())
    assert _cli("enrol", "walker_01", str(crop), *data).returncode == 0
    settings = tmp_path / "settings.yaml"
    settings.write_text(f"liveness:\n  mode: {mode}\n", encoding="utf-8")
    tracks = tmp_path / "tracks.csv"

    result = _cli("run", "--source", str(faces_dir / WALKERS), "--headless", "--config",
                  str(settings), "--tracks", str(tracks), *data)

    assert result.returncode == 0, result.stderr
    journal = Journal(tmp_path / "journal.sqlite3")
    assert [e.name for e in journal.events()] == (["walker_01"] if logged else [])
    assert [r.name for r in journal.refusals()] == ([] if logged else ["walker_01"])
    with tracks.open(newline="", encoding="utf-8") as stream:
        labels = {row["label"] for row in csv.DictReader(stream)}
    assert ("walker_01 – blink, please" in labels) == (not logged)
