"""Issue 20: `forget`, `enrol` and `rename` reach a running single door (no central
database) within seconds. Before, the forgotten person was logged IN and OUT twice more,
each time with a false "FOREIGN KEY constraint failed … check free disk space".

Real processes: `run --headless` on a paced MJPEG camera showing obama walking by every
five seconds, and the commands run beside it in other processes, as an admin would.
"""

from __future__ import annotations

import subprocess
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from attendance_app.people.roster_watch import RosterWatch
from attendance_app.recognition.evidence import FaceEvidence
from attendance_app.types import AttendanceEvent
from enrolment import FaceStore, NewEncoding
from tests.support.faults_support import BUSY_CONFIG, Camera, app_command, cli, free_port, long_door

__all__ = ["long_door"]  # a fixture used below

SETTLE_S = 3.0
"""After a command returns, the door may still log from looks it took before: the watch
looks every second, and a face takes a few frames to be encoded and voted on."""


class Lines:
    """Every line a child prints on a stream, with the time it was read, from a thread."""

    def __init__(self, stream) -> None:  # noqa: ANN001 - a text pipe
        self.lines: list[tuple[float, str]] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:  # noqa: ANN001
        for line in stream:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def rows(self, name: str, since: float = 0.0) -> list[str]:
        """The event lines naming `name` read after `since`."""
        return [line for at, line in list(self.lines)
                if at >= since and (" IN " in line or " OUT " in line) and f"  {name} (id" in line]

    def wait_for_row(self, name: str, since: float, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.rows(name, since):
            assert time.monotonic() < deadline, f"no row for {name} within {timeout} s"
            time.sleep(0.1)


def _enrol(data_dir: Path, name: str, faces_dir: Path) -> None:
    result = cli("enrol", name, str(faces_dir / "enrol" / "obama" / "obama.jpg"),
                 "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr


def test_forget_enrol_and_rename_reach_a_running_door(long_door: Path, faces_dir: Path,
                                                      tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(BUSY_CONFIG)  # obama is logged again at each walk: a row every 5 s
    data = tmp_path / "data"
    _enrol(data, "obama", faces_dir)
    camera = Camera(free_port(), long_door)
    camera.plug_in()
    door = subprocess.Popen(app_command("run", "--headless", "--source", camera.url,
                                        "--data-dir", str(data), "--config", str(config)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert door.stdout is not None and door.stderr is not None
    out, err = Lines(door.stdout), Lines(door.stderr)
    try:
        out.wait_for_row("obama", 0.0, 90)
        forgotten = cli("forget", "obama", "--data-dir", str(data), "--config", str(config))
        assert forgotten.returncode == 0, forgotten.stderr
        quiet_from = time.monotonic() + SETTLE_S
        time.sleep(SETTLE_S + 11)  # two more walks past the door
        assert out.rows("obama", quiet_from) == []

        enrolled_at = time.monotonic()
        _enrol(data, "Barack", faces_dir)
        out.wait_for_row("Barack", enrolled_at, 20)

        renamed = cli("rename", "Barack", "Barack Obama", "--data-dir", str(data))
        assert renamed.returncode == 0, renamed.stderr
        out.wait_for_row("Barack Obama", time.monotonic() + SETTLE_S, 20)
    finally:
        door.terminate()
        door.wait(timeout=60)
        camera.unplug()
    errors = "\n".join(line for _, line in err.lines)
    assert door.returncode == 143, errors
    assert "FOREIGN KEY" not in errors and "disk space" not in errors, errors


def _shot(seed: int) -> NewEncoding:
    vector = np.random.default_rng(seed).normal(size=128)
    return NewEncoding(vector / np.linalg.norm(vector), f"photo{seed}.jpg", None, None, "dlib")


def test_every_change_to_the_people_moves_the_counter_and_the_watch_sees_it(
        tmp_path: Path) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    watch = RosterWatch(FaceStore(store.path), every=0.0)  # another process's view of the file
    assert not watch.changed()
    store.enrol("Ada", [_shot(1)])
    assert watch.changed() and not watch.changed()
    store.rename("Ada", "Ada L.")
    assert watch.changed()
    person = store.find("Ada L.")
    assert person is not None
    store.keep_event_faces(1, datetime(2026, 12, 4, 9), person.person_id, "dlib",
                           [_shot(2).vector])
    assert not watch.changed(), "keeping a row's faces changes no gallery"
    store.void_event_faces(1, datetime(2026, 12, 4, 9))
    assert watch.changed(), "a void makes negatives: the gallery changes"
    store.forget("Ada L.")
    assert watch.changed()


def test_the_faces_of_a_row_for_someone_just_forgotten_are_not_kept_and_no_fault(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = FaceStore(tmp_path / "faces.sqlite3")
    person = store.enrol("Ada", [_shot(1)])
    store.forget("Ada")
    event = AttendanceEvent(datetime(2026, 12, 4, 9), person.person_id, "Ada", "door", 0.3,
                            "in", event_id=7)
    with caplog.at_level("INFO"):
        FaceEvidence(store, "dlib").keep(event, [_shot(2).vector])
    assert not [r for r in caplog.records if r.levelname == "WARNING"], caplog.text
    assert "forgotten" in caplog.text and "disk space" not in caplog.text


def test_a_face_on_screen_loses_a_forgotten_name_and_takes_a_new_one(faces_dir: Path) -> None:
    """The gallery is replaced while obama stands in view: renamed, his box shows the new
    name; forgotten, it loses his name (either stayed on screen until he left)."""
    from attendance_app.faces.dlib_engine import FaceEngine
    from attendance_app.recognition.identity import VotingRule
    from attendance_app.recognition.photos import enrolment_shot
    from attendance_app.recognition.pipeline import Pipeline, PipelineSettings
    from attendance_app.types import Frame
    from enrolment import EncodingTable, Gallery
    from tests.support.scenes import DoorScene, Walker, frames
    from trackers import Sort

    engine = FaceEngine()
    vector = enrolment_shot(engine, faces_dir / "enrol" / "obama" / "obama.jpg", 60).vector

    def gallery(names: dict[int, str]) -> Gallery:
        ids = list(names)
        table = EncodingTable(np.array([vector] * len(ids)).reshape(len(ids), 128),
                              np.array(ids, dtype=np.int64), names)
        return Gallery(table, 0.6, 0.05)

    standing = Walker("obama", faces_dir / "probe" / "obama" / "obama1.jpg", 0, 119,
                      (0.5, 0.45), (0.5, 0.45))
    pipeline = Pipeline(engine, gallery({7: "obama"}), Sort(3, 1, 0.2), VotingRule(),
                        PipelineSettings(detect_every_n_frames=1))
    started = datetime(2026, 12, 4, 9, 0)
    labels: list[set[str]] = []
    for index, image in enumerate(frames(DoorScene((480, 270), 25.0, 120, (standing,)))):
        if index == 40:
            assert "obama" in labels[-1], "premise: he is named before the change"
            pipeline.set_gallery(gallery({7: "Barack"}))  # renamed
        if index == 80:
            assert "Barack" in labels[-1], "renamed: the new name on his face"
            pipeline.set_gallery(gallery({}))  # forgotten
        result = pipeline.process(Frame(image, index, started + timedelta(seconds=index / 25)))
        labels.append({view.label for view in result.tracks})
    assert not [i for i in range(41, 80) if "obama" in labels[i]], "renamed: old name gone"
    assert not [i for i in range(81, 120) if labels[i] & {"obama", "Barack"}], "forgotten"
    pipeline.close()
