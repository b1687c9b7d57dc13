"""A video file played as a viewer expects: frames due on the file's own clock (a fake
clock here), a slow frame not delaying the later ones, pause, seek and restart on the
shared real video, and the "fast" choice reading every frame without waiting."""

from __future__ import annotations

import threading
from itertools import islice

import pytest

from attendance_app.camera.playback import MediaClock, PlaybackControl, clock_text, play
from attendance_app.camera.sources import SourceSpec
from tests.support.shared_sets import faces_video_root


class FakeClock:
    """Seconds that move only when told to."""

    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_frames_are_due_one_interval_apart_from_the_anchor() -> None:
    clock = FakeClock()
    media = MediaClock(25.0, clock)
    media.anchor(0)
    assert media.wait_before(0) == 0.0
    assert media.wait_before(1) == pytest.approx(0.04)
    assert media.wait_before(25) == pytest.approx(1.0)
    clock.t += 0.03  # processing took 30 ms: only 10 ms are left to wait
    assert media.wait_before(1) == pytest.approx(0.01)


def test_a_slow_frame_does_not_delay_the_later_ones() -> None:
    clock = FakeClock()
    media = MediaClock(10.0, clock)  # a frame every 0.1 s
    media.anchor(0)
    clock.t += 0.35  # frame 0 took 0.35 s to process
    assert media.wait_before(1) == 0.0  # frames 1 to 3 are late: shown at once
    assert media.wait_before(3) == 0.0
    assert media.wait_before(4) == pytest.approx(0.05)  # back on the file's own clock
    assert media.due(5) == pytest.approx(100.5)  # not pushed later by the slow frame


def test_a_long_stall_sets_the_clock_again_instead_of_racing() -> None:
    clock = FakeClock()
    media = MediaClock(10.0, clock, max_lag_s=1.0)
    media.anchor(0)
    clock.t += 5.0  # the disk held the reader for 5 s
    assert media.wait_before(1) == 0.0
    assert media.due(2) == pytest.approx(clock.t + 0.1)  # the next one a frame later


def test_clock_text_reads_as_a_player_shows_it() -> None:
    assert clock_text(42.7) == "0:42"
    assert clock_text(82) == "1:22"
    assert clock_text(3723) == "1:02:03"


@pytest.fixture(scope="module")
def video() -> SourceSpec:
    return SourceSpec.parse(str(faces_video_root() / "video" / "tv_family_dinner.mp4"))


def test_fast_play_reads_every_frame_in_order_without_pacing(video: SourceSpec) -> None:
    control, stop = PlaybackControl(fast=True), threading.Event()
    indexes = [frame.index for frame in islice(play(video, control, stop), 120)]
    assert indexes == list(range(120))
    assert control.position == 119
    assert control.fps == pytest.approx(23.976, abs=0.01)
    assert control.frame_count == 1972


def test_seek_and_restart_move_the_position_but_never_the_frame_count(video: SourceSpec) -> None:
    control, stop = PlaybackControl(fast=True), threading.Event()
    frames = play(video, control, stop)
    next(frames)
    control.seek(1000)
    frame = next(frames)
    assert control.position == 1000
    assert frame.index == 1  # the pipeline's count goes on: its every-Nth rhythm holds
    control.restart()
    next(frames)
    assert control.position == 0
    control.seek(99_999)  # past the end: the last frame
    next(frames)
    assert control.position == 1971
    assert list(frames) == [] and control.ended


def test_pause_holds_the_reader_until_resumed(video: SourceSpec) -> None:
    control, stop = PlaybackControl(fast=True), threading.Event()
    read: list[int] = []
    control.pause()
    control.seek(10)  # sought while paused: that one frame is shown, then it holds

    def reader() -> None:
        for _ in play(video, control, stop):
            read.append(control.position)
            if len(read) == 3:
                stop.set()

    thread = threading.Thread(target=reader)
    thread.start()
    thread.join(timeout=1.0)
    assert thread.is_alive() and read == [10]  # held: nothing read past the sought frame
    control.resume()
    thread.join(timeout=10)
    assert not thread.is_alive() and read == [10, 11, 12]


def test_stop_ends_a_paused_reader(video: SourceSpec) -> None:
    control, stop = PlaybackControl(fast=True), threading.Event()
    frames = play(video, control, stop)
    control.pause()
    thread = threading.Thread(target=lambda: list(frames))
    thread.start()
    stop.set()
    control.wake()
    thread.join(timeout=5)
    assert not thread.is_alive()
