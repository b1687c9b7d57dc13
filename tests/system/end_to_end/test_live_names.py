"""The person at the door sees their name (issue 22, point 4), on real footage.

A TV family of six at dinner (faces-video's tv_family_dinner.mp4: they talk, nod and
turn; the shot cuts between them), the six enrolled from one cast photo each, and the
pipeline run as the door runs it. The per-frame truth beside this test
(data/tv_family_dinner_truth.csv, written by benchmarks/live_names_truth.py and checked
by eye on sampled frames) says who is where. Once a person's face has carried their name,
it must carry it in at least 80% of the frames they are in, and no box may ever carry a
name on another cast member's face; boxes on no face stay few.

Only the first 960 frames (40 s of 82) are run, to keep the suite short; the whole clip
is measured by benchmarks/live_names.py (docs/measurements/live_names.md).

The bug this guards against: on a real stage clip the performer's face carried his name
in 10 of about 150 frames: a new face waited a whole detection round for the look that
confirmed it, after every cut.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.live_truth import CAST, score
from tests.support.shared_sets import faces_video_root

FRAMES = 960
TRUTH = Path(__file__).parent / "data" / "tv_family_dinner_truth.csv"


@pytest.fixture(scope="module")
def faces_video() -> Path:
    """The shared real footage (ATTENDANCE_TEST_FACES_VIDEO overrides where it is)."""
    return faces_video_root()


def test_each_person_keeps_their_name_on_their_own_face(faces_video: Path) -> None:
    result = score(faces_video / "video" / "tv_family_dinner.mp4", faces_video / "enrol",
                   TRUTH, CAST, FRAMES)

    frames_in = sum(result.frames_in.values())
    named = sum(result.frames_named.values())
    assert set(result.frames_in) >= {"tv_eddie", "tv_emery", "tv_evan", "tv_grandma", "tv_louis"}
    assert named >= 0.8 * frames_in, {who: f"{result.frames_named[who]}/{n}"
                                      for who, n in result.frames_in.items()}
    assert result.wrong == []
    # Boxes on no face are not yet none (docs/measurements/live_names.md says what they
    # are): 14 here, 39 before boxes followed their faces between detection rounds.
    assert len(result.on_no_face) <= 20, result.on_no_face


WALKERS_TRUTH = Path(__file__).parent / "data" / "walkers_truth.csv"


def test_the_walker_keeps_his_name_and_no_passer_by_gets_one(faces_dir: Path) -> None:
    """The shared walkers video (1920x1080, 105 frames): walker_01 and passers-by, every
    shared person enrolled from one photo. The truth (data/walkers_truth.csv, checked by
    eye on 4 frames) has walker_01's face in every frame, so every other face in it is a
    stranger, and a green name on one is wrong."""
    enrolled = sorted(p.name for p in (faces_dir / "enrol").iterdir() if p.is_dir())
    result = score(faces_dir / "video" / "walkers_royal_opera_house.mp4", faces_dir / "enrol",
                   WALKERS_TRUTH, enrolled, None)

    assert result.frames_in["walker_01"] >= 100
    assert result.frames_named["walker_01"] >= 0.8 * result.frames_in["walker_01"]
    assert result.wrong == []
    assert result.on_unknown == 0, "a name on a passer-by"
