"""The photo attacks benchmarks/liveness.py measures: flat prints and phones, and prints
bent round their vertical axis, rendered by tests/support/photo_attack.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from attendance_app.camera.images import load_rgb
from tests.support.photo_attack import HeldPhoto, render_attack

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


def _render(held: HeldPhoto, path: Path, size: tuple[int, int]) -> Path:
    return render_attack([held], path, size)


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
