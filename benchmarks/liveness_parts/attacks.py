"""The photo attacks benchmarks/liveness.py measures: flat prints and phones, and prints
bent round their vertical axis, rendered as tests/support/photo_attack.py renders them.

The renderer there warps the picture onto the whole frame once per piece and per moment
of the exposure: a bent print is 24 strips, four moments a frame, over a second a frame
at 1280x720. Here each piece is warped onto the frame's part it covers only, which gives
the same pixels (same transform, same interpolation; a few hundredths of the card's edge
pixels differ by rounding) ten to twenty times sooner; the camera
(corridor, motion blur, lens blur, noise) is the renderer's own.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from attendance_app.camera.images import load_rgb
from tests.support.photo_attack import (
    EXPOSURE_STEPS,
    HeldPhoto,
    _strips,
    card,
    card_corners,
    project,
)
from tests.support.scenes import corridor, write_video

ATTACK_FRAMES = 100
"""4 s at 25 frames/s: longer than anyone waits at a door."""
BENDS = (60.0, 120.0)
"""The arcs of the bent prints, in degrees (a face is rounder than either)."""


@dataclass(frozen=True)
class Attack:
    """One attack video: whose photo, how it is held, and the file."""

    name: str
    how: str
    video: Path


def _paste_within(canvas: np.ndarray, picture: np.ndarray, source: np.ndarray,
                  target: np.ndarray) -> None:
    """Warp the `source` quadrilateral of `picture` onto `target` in `canvas`, in place,
    computing only the pixels of the target's bounding box."""
    frame_h, frame_w = canvas.shape[:2]
    x0, y0 = max(0, math.floor(target[:, 0].min())), max(0, math.floor(target[:, 1].min()))
    x1 = min(frame_w, math.ceil(target[:, 0].max()) + 1)
    y1 = min(frame_h, math.ceil(target[:, 1].max()) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    shifted = (target - np.array([x0, y0], dtype=np.float32)).astype(np.float32)
    transform = cv2.getPerspectiveTransform(source, shifted)
    size = (x1 - x0, y1 - y0)
    warped = cv2.warpPerspective(picture, transform, size, flags=cv2.INTER_AREA)
    mask = np.zeros(picture.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, np.round(source).astype(np.int32), 255)
    mask = cv2.warpPerspective(mask, transform, size)
    region = canvas[y0:y1, x0:x1]
    region[mask > 127] = warped[mask > 127]


def draw_within(canvas: np.ndarray, held: HeldPhoto, moment: float) -> None:
    """photo_attack.draw, each piece warped onto its bounding box only."""
    pose = held.pose(moment)
    if pose is None:
        return
    picture = card(held.photo, held.phone)
    height, width = picture.shape[:2]
    frame_size = (canvas.shape[1], canvas.shape[0])
    if held.bend_deg == 0:
        source = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
        _paste_within(canvas, picture, source, card_corners((width, height), frame_size, pose))
        return
    seam = np.array([[0, 0], [1, 0], [1, 0], [0, 0]], dtype=np.float32)
    for source, local in _strips(width, height, held.bend_deg):
        _paste_within(canvas, picture, source + seam,
                      project(local, (width, height), frame_size, pose))


def attack_frames(helds: Sequence[HeldPhoto], size: tuple[int, int],
                  frame_count: int) -> Iterator[np.ndarray]:
    """photo_attack.attack_frames with its defaults (half-frame exposure, 0.8 px lens
    blur, noise of 3 grey levels), drawn with draw_within."""
    background = corridor(size)
    rng = np.random.default_rng(1)
    for index in range(frame_count):
        light = np.zeros(background.shape, np.float32)
        for step in range(EXPOSURE_STEPS):
            canvas = background.copy()
            for held in helds:
                draw_within(canvas, held, index - 0.5 * step / EXPOSURE_STEPS)
            light += canvas
        light = cv2.GaussianBlur(light / EXPOSURE_STEPS, (0, 0), 0.8)
        light += rng.normal(0.0, 3.0, light.shape)
        yield np.clip(light, 0, 255).astype(np.uint8)


def _render(held: HeldPhoto, path: Path, size: tuple[int, int]) -> Path:
    return write_video(attack_frames([held], size, held.last_frame + 1), path, 25.0, size)


def _height(photo: Path) -> tuple[float, float]:
    """Pictures of a face alone (150 to 250 px files) are held smaller than portraits, so
    the face is of a door camera's size."""
    return (0.3, 0.4) if max(load_rgb(photo).shape[:2]) <= 300 else (0.45, 0.6)


def flat_attacks(folder: Path, people: Sequence[tuple[str, Path, Path]]) -> list[Attack]:
    """Per person: the enrolment photo printed at 1280x720, the other photo on a phone at
    640x360, each moved, turned, tilted and brought nearer for ATTACK_FRAMES frames."""
    attacks = []
    for number, (name, enrol_photo, probe) in enumerate(people):
        for how, photo, phone, size in (("print", enrol_photo, False, (1280, 720)),
                                        ("phone", probe, True, (640, 360))):
            held = HeldPhoto(photo, 0, ATTACK_FRAMES - 1, _height(photo), phone=phone,
                             seed=number * 2 + phone)
            path = folder / f"attack_{number:02d}_{how}.mp4"
            attacks.append(Attack(name, how, _render(held, path, size)))
    return attacks


def bent_attacks(folder: Path, people: Sequence[tuple[str, Path, Path]],
                 bend_deg: float) -> list[Attack]:
    """Per person: the enrolment photo printed at 1280x720 and bent by `bend_deg`, moved
    as the flat prints are (another draw of the hand's path)."""
    attacks = []
    for number, (name, enrol_photo, _) in enumerate(people):
        held = HeldPhoto(enrol_photo, 0, ATTACK_FRAMES - 1, _height(enrol_photo),
                         seed=100 + number, bend_deg=bend_deg)
        path = folder / f"bent{bend_deg:.0f}_{number:02d}.mp4"
        attacks.append(Attack(name, f"print bent {bend_deg:.0f}", _render(held, path,
                                                                            (1280, 720))))
    return attacks
