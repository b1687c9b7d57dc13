"""Whether a shot is fit to enrol: one face, big enough, sharp enough."""

from __future__ import annotations

import numpy as np

from enrolment import ShotProblem, judge_shot
from enrolment.quality import sharpness


def test_shot_judgement() -> None:
    assert judge_shot([], 60) is ShotProblem.NO_FACE
    assert judge_shot([(80, 80), (70, 70)], 60) is ShotProblem.SEVERAL_FACES
    assert judge_shot([(40, 40)], 60) is ShotProblem.TOO_SMALL
    assert judge_shot([(90, 90)], 60) is None
    flat = np.full((90, 90), 128, dtype=np.uint8)
    assert judge_shot([(90, 90)], 60, flat, min_sharpness=10.0) is ShotProblem.BLURRY


def test_sharpness_is_higher_for_detail_than_for_a_flat_patch() -> None:
    checker = (np.indices((40, 40)).sum(axis=0) % 2 * 255).astype(np.uint8)
    assert sharpness(checker) > 1000 > sharpness(np.zeros((40, 40)))
