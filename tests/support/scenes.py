"""Synthetic door scenes: real face photos walking across a plain background.

Tests and benchmarks need videos where it is known who appears, when, and how many faces
are in view at once. This module cuts the face (with some hair and chin around it) out of
real photos, blends it onto a synthetic corridor with a soft elliptical edge, and moves it
across the frame, growing slightly as if walking towards the camera. It is the one scene
builder: tests import it from here, and so do the benchmarks (benchmarks/door_video.py
writes one such video from the command line).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[2]
DEFAULT_FACES = REPO.parent / "shared" / "faces"

Person = tuple[str, Path]
"""A label (who this is, for the test's bookkeeping) and a photo of them."""


@dataclass(frozen=True)
class Walker:
    """One face crossing the frame between two frame numbers, along a straight line.

    Positions are the face centre as fractions of the frame size; `height_start` and
    `height_end` are the patch height as a fraction of the frame height."""

    label: str
    photo: Path
    first_frame: int
    last_frame: int
    start: tuple[float, float]
    end: tuple[float, float]
    height_start: float = 0.30
    height_end: float = 0.36

    def placement(self, frame_index: int) -> tuple[float, float, float] | None:
        """(centre x, centre y, height) as fractions at `frame_index`, or None when out of view."""
        if not self.first_frame <= frame_index <= self.last_frame:
            return None
        progress = (frame_index - self.first_frame) / max(self.last_frame - self.first_frame, 1)
        x = self.start[0] + (self.end[0] - self.start[0]) * progress
        y = self.start[1] + (self.end[1] - self.start[1]) * progress
        height = self.height_start + (self.height_end - self.height_start) * progress
        return x, y, height


@dataclass(frozen=True)
class DoorScene:
    """Everything needed to draw the video: frame size, rate, length and who walks when."""

    size: tuple[int, int]
    fps: float
    frame_count: int
    walkers: tuple[Walker, ...]
    cut_at: int | None = None  # from this frame on, another room: an edited video's cut

    def labels_in_view(self, frame_index: int) -> list[str]:
        return [w.label for w in self.walkers if w.placement(frame_index) is not None]


def sequential_scene(people: Sequence[Person], size: tuple[int, int] = (640, 360),
                     fps: float = 25.0, seconds_each: float = 3.0,
                     seconds_between: float = 1.0) -> DoorScene:
    """People walk across one at a time, left to right, with an empty corridor in between."""
    walk, gap = round(seconds_each * fps), round(seconds_between * fps)
    walkers = []
    start = gap
    for label, photo in people:
        walkers.append(Walker(label, photo, start, start + walk - 1, (0.15, 0.45), (0.85, 0.5)))
        start += walk + gap
    return DoorScene(size, fps, start, tuple(walkers))


def crossing_scene(left: Person, right: Person, size: tuple[int, int] = (640, 360),
                   fps: float = 25.0, seconds: float = 4.0) -> DoorScene:
    """Two people walk towards each other along one line and pass (the later one in front),
    as at a door where someone comes in while another goes out."""
    walk, gap = round(seconds * fps), round(0.4 * fps)
    walkers = (Walker(left[0], left[1], gap, gap + walk - 1, (0.12, 0.45), (0.88, 0.47)),
               Walker(right[0], right[1], gap, gap + walk - 1, (0.88, 0.5), (0.12, 0.48)))
    return DoorScene(size, fps, gap * 2 + walk, walkers)


def cut_scene(before: Person, after: Person, size: tuple[int, int] = (640, 360),
              fps: float = 25.0, seconds_each: float = 3.0) -> DoorScene:
    """One person stands in view; the picture cuts to another room where someone else
    stands at nearly the same place and size (as a stage video cutting to the audience)."""
    shot = round(seconds_each * fps)
    walkers = (Walker(before[0], before[1], 0, shot - 1, (0.45, 0.45), (0.5, 0.46)),
               Walker(after[0], after[1], shot, 2 * shot - 1, (0.48, 0.47), (0.53, 0.48)))
    return DoorScene(size, fps, 2 * shot, walkers, cut_at=shot)


def crowd_scene(people: Sequence[Person], faces_in_view: int, size: tuple[int, int] = (640, 360),
                fps: float = 25.0, seconds_each: float = 4.0,
                empty_seconds: float = 0.0) -> DoorScene:
    """`faces_in_view` lanes side by side, each walked by its share of `people` in turn, so
    that about that many faces are in view at any moment, after `empty_seconds` of an
    empty corridor."""
    if not 1 <= faces_in_view <= 8:
        raise ValueError(f"faces_in_view must be 1 to 8, got {faces_in_view}")
    walk, gap = round(seconds_each * fps), round(0.4 * fps)
    lane_width = 1.0 / faces_in_view
    height = min(0.32, 0.9 * lane_width * size[0] / size[1])
    rows = 1 if faces_in_view <= 3 else 2
    walkers = []
    lane_clock = [round(empty_seconds * fps) + gap * lane for lane in range(faces_in_view)]
    for number, (label, photo) in enumerate(people):
        lane = number % faces_in_view
        left = lane * lane_width
        y = 0.3 + 0.4 * (lane % rows) if rows > 1 else 0.45
        first = lane_clock[lane]
        walkers.append(Walker(label, photo, first, first + walk - 1,
                              (left + 0.3 * lane_width, y), (left + 0.7 * lane_width, y + 0.05),
                              height, height * 1.1))
        lane_clock[lane] = first + walk + gap
    return DoorScene(size, fps, max(lane_clock), tuple(walkers))


def corridor(size: tuple[int, int]) -> np.ndarray:
    """A plain BGR background: wall gradient, floor, a door frame and a notice board."""
    width, height = size
    shade = np.linspace(150, 200, width, dtype=np.float32)
    image = np.empty((height, width, 3), dtype=np.uint8)
    image[:] = np.stack([shade * 0.9, shade * 0.95, shade], axis=-1).astype(np.uint8)
    floor = int(height * 0.82)
    image[floor:] = (90, 100, 110)
    cv2.rectangle(image, (int(width * 0.05), int(height * 0.08)),
                  (int(width * 0.30), floor), (60, 80, 110), thickness=max(3, width // 160))
    cv2.rectangle(image, (int(width * 0.72), int(height * 0.12)),
                  (int(width * 0.92), int(height * 0.30)), (40, 140, 40), thickness=-1)
    return image


@lru_cache(maxsize=256)
def face_patch(photo: Path) -> tuple[np.ndarray, np.ndarray]:
    """The photo's largest face with margin, as BGR pixels and a soft elliptical alpha mask
    (float32, 0..1). Raises ValueError when no face is found."""
    from PIL import Image

    from attendance_app.faces.dlib_engine import face_locations

    with Image.open(photo) as image:  # as face_recognition.load_image_file reads it
        rgb = np.array(image.convert("RGB"))
    locations = face_locations(rgb, 1, "hog")
    if not locations:
        raise ValueError(f"{photo}: no face found to cut out")
    top, right, bottom, left = max(locations, key=lambda b: (b[2] - b[0]) * (b[1] - b[3]))
    face_w, face_h = right - left, bottom - top
    top = max(0, top - int(0.6 * face_h))
    bottom = min(rgb.shape[0], bottom + int(0.3 * face_h))
    left = max(0, left - int(0.4 * face_w))
    right = min(rgb.shape[1], right + int(0.4 * face_w))
    bgr = cv2.cvtColor(np.ascontiguousarray(rgb[top:bottom, left:right]), cv2.COLOR_RGB2BGR)
    mask = np.zeros(bgr.shape[:2], dtype=np.float32)
    centre = (bgr.shape[1] // 2, bgr.shape[0] // 2)
    axes = (max(1, int(bgr.shape[1] * 0.48)), max(1, int(bgr.shape[0] * 0.48)))
    cv2.ellipse(mask, centre, axes, 0, 0, 360, 1.0, thickness=-1)
    feather = max(3, (min(bgr.shape[:2]) // 12) | 1)
    mask = cv2.GaussianBlur(mask, (feather, feather), 0)
    return bgr, mask


def patch_rectangle(photo: Path, placement: tuple[float, float, float],
                    frame_size: tuple[int, int]) -> tuple[int, int, int, int]:
    """(x0, y0, width, height) in pixels of the patch of `photo` pasted at `placement`
    (Walker.placement's centre and height as fractions) on a frame of `frame_size`
    (width, height); it may reach past the frame's edges."""
    pixels, _ = face_patch(photo)
    frame_w, frame_h = frame_size
    target_h = max(8, int(placement[2] * frame_h))
    target_w = max(8, int(target_h * pixels.shape[1] / pixels.shape[0]))
    x0 = int(placement[0] * frame_w) - target_w // 2
    y0 = int(placement[1] * frame_h) - target_h // 2
    return x0, y0, target_w, target_h


def pasted_faces(scene: DoorScene, frame_index: int) -> list[tuple[str, tuple[int, int, int, int]]]:
    """(label, (x1, y1, x2, y2)) of every patch pasted on frame `frame_index`, where
    `frames` pastes it: the ground truth a test compares drawn boxes with."""
    placed = []
    for walker in scene.walkers:
        placement = walker.placement(frame_index)
        if placement is not None:
            x0, y0, width, height = patch_rectangle(walker.photo, placement, scene.size)
            placed.append((walker.label, (x0, y0, x0 + width, y0 + height)))
    return placed


def _paste(canvas: np.ndarray, photo: Path, placement: tuple[float, float, float]) -> None:
    """Blend the face patch onto `canvas` in place; parts outside the frame are clipped."""
    pixels, mask = face_patch(photo)
    frame_h, frame_w = canvas.shape[:2]
    x0, y0, target_w, target_h = patch_rectangle(photo, placement, (frame_w, frame_h))
    pixels = cv2.resize(pixels, (target_w, target_h), interpolation=cv2.INTER_AREA)
    mask = cv2.resize(mask, (target_w, target_h), interpolation=cv2.INTER_LINEAR)[..., None]
    cx0, cy0 = max(x0, 0), max(y0, 0)
    cx1, cy1 = min(x0 + target_w, frame_w), min(y0 + target_h, frame_h)
    if cx1 <= cx0 or cy1 <= cy0:
        return
    patch = pixels[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0].astype(np.float32)
    alpha = mask[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0]
    region = canvas[cy0:cy1, cx0:cx1].astype(np.float32)
    canvas[cy0:cy1, cx0:cx1] = (patch * alpha + region * (1 - alpha)).astype(np.uint8)


def other_room(size: tuple[int, int]) -> np.ndarray:
    """A background unlike the corridor in every part, for the far side of a cut."""
    room = corridor(size)[:, ::-1]
    return np.ascontiguousarray(255 - room // 2 - 60)


def frames(scene: DoorScene) -> Iterator[np.ndarray]:
    """Every frame of the scene, BGR, in order."""
    background = corridor(scene.size)
    for index in range(scene.frame_count):
        if index == scene.cut_at:
            background = other_room(scene.size)
        canvas = background.copy()
        for walker in scene.walkers:
            placement = walker.placement(index)
            if placement is not None:
                _paste(canvas, walker.photo, placement)
        yield canvas


def write_video(images: Iterable[np.ndarray], path: Path, fps: float,
                size: tuple[int, int]) -> Path:
    """Write BGR `images` of `size` (width, height) as an MPEG-4 video at `path` and return
    it: the one writer of every synthetic video (door scenes, photo attacks, faceless)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    if not writer.isOpened():
        raise OSError(f"cannot write a video at {path}")
    try:
        for image in images:
            writer.write(image)
    finally:
        writer.release()
    return path


def faceless_video(path: Path, seconds: float, fps: int = 10) -> Path:
    """A small video of changing grey frames and no face: the app plays it and logs
    nobody (for what happens around a video: closing, states, the status bar)."""
    greys = (np.full((120, 160, 3), (index * 7) % 255, np.uint8)
             for index in range(int(seconds * fps)))
    return write_video(greys, path, fps, (160, 120))


def render(scene: DoorScene, path: Path) -> Path:
    """Write the scene as an MPEG-4 video at `path` and return it."""
    return write_video(frames(scene), path, scene.fps, scene.size)


def probe_photo(faces_dir: Path, name: str) -> Path:
    """The first probe photo of `name` in the shared set: a photo other than the ones
    enrolled, as a person walking by is another picture of them."""
    return min((faces_dir / "probe" / name).iterdir())


def probe_people(faces_dir: Path, names: Iterable[str]) -> list[Person]:
    """(name, probe_photo) for each of `names`, in order: walkers of a door scene."""
    return [(name, probe_photo(faces_dir, name)) for name in names]


def shared_people(faces_dir: Path = DEFAULT_FACES) -> list[Person]:
    """One probe photo per enrolled identity in the shared face set (label = folder name)."""
    names = [folder.name for folder in sorted((faces_dir / "probe").iterdir()) if folder.is_dir()]
    return probe_people(faces_dir, names)


def shared_strangers(faces_dir: Path = DEFAULT_FACES) -> list[Person]:
    """The shared set's stranger photos, each labelled 'stranger'."""
    return [("stranger", photo) for photo in sorted((faces_dir / "stranger").iterdir())
            if photo.suffix.lower() in {".jpg", ".jpeg", ".png"}]
