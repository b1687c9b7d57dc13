"""Photo attacks: a still picture of a face held up to the door camera by hand.

Liveness (attendance_app/recognition/liveness.py) must refuse a printed photo or a phone showing a
still picture. This module renders that attack as a video: the picture is a flat card in
front of the camera, moved across the frame, brought nearer and taken back, turned and
tilted about both axes (real perspective, from a pinhole camera) and rotated in its plane,
along smooth paths with a hand's tremor on top, over the door videos' corridor
(tests/support/scenes.py), and filmed as a webcam films: blurred by its motion while the
shutter is open, by the lens, and grainy. A printed photo has a white border; a phone, a
dark bezel and a brighter picture. Tests and benchmarks import it from here;
benchmarks/photo_attack.py writes one attack from the command line.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from tests.support.scenes import corridor, write_video

FOCAL_PER_WIDTH = 1.0
"""The camera's focal length in frame widths: a 53-degree view across, a webcam's."""


@dataclass(frozen=True)
class HeldPhoto:
    """One picture held up between two frame numbers.

    height: the card's height as a fraction of the frame height when facing the camera,
    at the start and at the end of the attack (the hand brings it nearer);
    turn_deg: the largest turn of the card about the vertical axis (its tilt about the
    horizontal axis reaches 0.6 of that), and roll_deg its largest rotation in its own
    plane;
    phone: a phone's dark bezel and bright screen instead of a print's white border;
    seed: the hand's own path and tremor;
    bend_deg: a print bent round its vertical axis, as a sheet held at its edges sags:
    the arc its width makes, in degrees (0: flat), its middle nearer the camera, as a
    face's is. A bent print is no longer flat, the one photo attack parallax may see."""

    photo: Path
    first_frame: int
    last_frame: int
    height: tuple[float, float] = (0.45, 0.6)
    turn_deg: float = 25.0
    roll_deg: float = 10.0
    phone: bool = False
    seed: int = 0
    bend_deg: float = 0.0

    def pose(self, frame_index: float) -> tuple[float, float, float, float, float, float] | None:
        """(centre x, centre y as fractions of the frame; height as a fraction of the frame
        height; turn, tilt, roll in degrees) at `frame_index` (fractions: between frames),
        or None when out of view."""
        if not self.first_frame <= frame_index <= self.last_frame:
            return None
        span = max(self.last_frame - self.first_frame, 1)
        t = (frame_index - self.first_frame) / span
        rng = np.random.default_rng(self.seed)
        phases = rng.uniform(0, 2 * math.pi, 6)
        rates = rng.uniform(0.6, 1.4, 6)
        wave = [math.sin(2 * math.pi * rates[i] * t * 1.5 + phases[i]) for i in range(6)]
        tremor = [math.sin(frame_index * rates[i] * 1.7 + phases[i]) for i in range(3)]
        x = 0.3 + 0.4 * t + 0.05 * wave[0] + 0.004 * tremor[0]
        y = 0.5 + 0.06 * wave[1] + 0.004 * tremor[1]
        height = self.height[0] + (self.height[1] - self.height[0]) * t + 0.04 * wave[2]
        turn = self.turn_deg * wave[3]
        tilt = 0.6 * self.turn_deg * wave[4]
        roll = self.roll_deg * wave[5] + 0.5 * tremor[2]
        return x, y, height, turn, tilt, roll


@lru_cache(maxsize=32)
def card(photo: Path, phone: bool) -> np.ndarray:
    """The picture as it is held: a print with a white border, or a phone screen (a bit
    brighter, as a lit screen is) in a dark bezel. BGR."""
    picture = cv2.imread(str(photo), cv2.IMREAD_COLOR)
    if picture is None:
        raise ValueError(f"{photo}: not an image")
    border = max(4, round(0.05 * max(picture.shape[:2])))
    if phone:
        picture = cv2.convertScaleAbs(picture, alpha=1.1, beta=15)
        colour = (25, 25, 25)
        border *= 2
    else:
        colour = (235, 235, 235)
    return cv2.copyMakeBorder(picture, border, border, border, border, cv2.BORDER_CONSTANT,
                              value=colour)


def _rotation(turn: float, tilt: float, roll: float) -> np.ndarray:
    """The card's rotation: turned about the vertical axis, tilted about the horizontal
    one, rolled in its plane (degrees)."""
    a, b, c = (math.radians(v) for v in (turn, tilt, roll))
    about_y = np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])
    about_x = np.array([[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]])
    about_z = np.array([[math.cos(c), -math.sin(c), 0], [math.sin(c), math.cos(c), 0], [0, 0, 1]])
    return about_y @ about_x @ about_z


def project(local: np.ndarray, card_size: tuple[int, int], frame_size: tuple[int, int],
            pose: tuple[float, float, float, float, float, float]) -> np.ndarray:
    """Where points of the card (x, y, z in card pixels from its centre, z towards the
    camera's back) appear in the frame, in pixels, seen through a pinhole camera."""
    frame_w, frame_h = frame_size
    x, y, height, turn, tilt, roll = pose
    focal = FOCAL_PER_WIDTH * frame_w
    depth = focal * card_size[1] / (height * frame_h)  # card units: one unit is one card pixel
    centre = np.array([(x - 0.5) * frame_w * depth / focal, (y - 0.5) * frame_h * depth / focal,
                       depth])
    points = local @ _rotation(turn, tilt, roll).T + centre
    return np.stack([focal * points[:, 0] / points[:, 2] + frame_w / 2,
                     focal * points[:, 1] / points[:, 2] + frame_h / 2], axis=1).astype(np.float32)


def card_corners(card_size: tuple[int, int], frame_size: tuple[int, int],
                 pose: tuple[float, float, float, float, float, float]) -> np.ndarray:
    """Where the card's four corners (top-left, top-right, bottom-right, bottom-left) appear
    in the frame, in pixels: the card is a plane in front of the camera, so picture and
    frame are related by a perspective transform (a homography)."""
    card_w, card_h = card_size
    local = np.array([[-card_w / 2, -card_h / 2, 0], [card_w / 2, -card_h / 2, 0],
                      [card_w / 2, card_h / 2, 0], [-card_w / 2, card_h / 2, 0]], dtype=float)
    return project(local, card_size, frame_size, pose)


BEND_STRIPS = 24
"""A bent print is drawn as this many flat vertical strips, each warped on its own."""


def _strips(width: int, height: int, bend_deg: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """The bent card as flat strips: (source corners in the picture, corners on the card in
    3-D card pixels) per strip. The card's width is an arc of `bend_deg` degrees of a
    cylinder whose axis is vertical, behind the card, so the middle bulges towards the
    camera."""
    arc = np.radians(bend_deg)
    radius = width / arc
    edges = np.linspace(0, width, BEND_STRIPS + 1)
    angles = (edges - width / 2) / radius
    xs, zs = radius * np.sin(angles), -radius * (np.cos(angles) - np.cos(arc / 2))
    strips = []
    for i in range(BEND_STRIPS):
        source = np.array([[edges[i], 0], [edges[i + 1], 0], [edges[i + 1], height],
                           [edges[i], height]], dtype=np.float32)
        local = np.array([[xs[i], -height / 2, zs[i]], [xs[i + 1], -height / 2, zs[i + 1]],
                          [xs[i + 1], height / 2, zs[i + 1]], [xs[i], height / 2, zs[i]]])
        strips.append((source, local))
    return strips


def _paste(canvas: np.ndarray, picture: np.ndarray, source: np.ndarray,
           target: np.ndarray) -> None:
    """Warp the `source` quadrilateral of `picture` onto `target` in `canvas`, in place,
    computing only the pixels of the target's bounding box (warping onto the whole frame
    made a bent print, 24 strips at four moments a frame, take a second a frame)."""
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


def draw(canvas: np.ndarray, held: HeldPhoto, moment: float) -> None:
    """Draw the held picture onto `canvas` (BGR) in place as it is at `moment` (a frame
    number, fractions between frames), when in view then."""
    pose = held.pose(moment)
    if pose is None:
        return
    picture = card(held.photo, held.phone)
    height, width = picture.shape[:2]
    frame_size = (canvas.shape[1], canvas.shape[0])
    if held.bend_deg == 0:
        source = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
        _paste(canvas, picture, source, card_corners((width, height), frame_size, pose))
        return
    for source, local in _strips(width, height, held.bend_deg):
        # The strip's source reaches a pixel further right, so no seam shows between strips.
        source = source + np.array([[0, 0], [1, 0], [1, 0], [0, 0]], dtype=np.float32)
        _paste(canvas, picture, source, project(local, (width, height), frame_size, pose))


EXPOSURE_STEPS = 4
"""Moments averaged over a frame's exposure, for the motion blur of a moving hand."""


def attack_frames(helds: Sequence[HeldPhoto], size: tuple[int, int], frame_count: int,
                  noise: float = 3.0, exposure: float = 0.5,
                  defocus: float = 0.8) -> Iterator[np.ndarray]:
    """Every frame of the attack, BGR, in order, as a webcam sees it: the picture blurred
    by its motion while the shutter is open (`exposure`: the part of a frame's time it is
    open), the lens's blur (`defocus`: Gaussian sigma in pixels) and the sensor's noise
    (`noise`: standard deviation in grey levels, the same every run)."""
    background = corridor(size)
    rng = np.random.default_rng(1)
    for index in range(frame_count):
        light = np.zeros(background.shape, np.float32)
        for step in range(EXPOSURE_STEPS):
            canvas = background.copy()
            for held in helds:
                draw(canvas, held, index - exposure * step / EXPOSURE_STEPS)
            light += canvas
        light /= EXPOSURE_STEPS
        if defocus > 0:
            light = cv2.GaussianBlur(light, (0, 0), defocus)
        light += rng.normal(0.0, noise, light.shape)
        yield np.clip(light, 0, 255).astype(np.uint8)


def render_attack(helds: Sequence[HeldPhoto], path: Path, size: tuple[int, int] = (1280, 720),
                  fps: float = 25.0) -> Path:
    """Write the attack as an MPEG-4 video at `path` (as long as the last picture is held)
    and return it."""
    frame_count = max(held.last_frame for held in helds) + 1
    return write_video(attack_frames(helds, size, frame_count), path, fps, size)
