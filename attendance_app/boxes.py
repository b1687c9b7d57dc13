"""Face boxes in frame pixels, in the one order the app uses everywhere.

face_recognition speaks (top, right, bottom, left); SORT speaks (x1, y1, x2, y2). The
conversion happens once, at the face-engine boundary, so nothing else has to remember
which order a tuple is in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """An axis-aligned box (x1, y1) top-left to (x2, y2) bottom-right, in pixels."""

    x1: float
    y1: float
    x2: float
    y2: float

    @classmethod
    def from_css(cls, css: tuple[int, int, int, int]) -> Box:
        """Build from face_recognition's (top, right, bottom, left)."""
        top, right, bottom, left = css
        return cls(float(left), float(top), float(right), float(bottom))

    def to_css(self) -> tuple[int, int, int, int]:
        """Return face_recognition's (top, right, bottom, left) as whole pixels."""
        return (round(self.y1), round(self.x2), round(self.y2), round(self.x1))

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2)

    def scaled(self, factor: float) -> Box:
        """The same box in an image resized by `factor` (0.5 = half the pixels per side)."""
        return Box(self.x1 * factor, self.y1 * factor, self.x2 * factor, self.y2 * factor)

    def clipped(self, width: int, height: int) -> Box:
        """The part of the box inside a width x height image."""
        return Box(
            min(max(self.x1, 0.0), width),
            min(max(self.y1, 0.0), height),
            min(max(self.x2, 0.0), width),
            min(max(self.y2, 0.0), height),
        )

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.x1, self.y1, self.x2, self.y2)

    def describe(self) -> str:
        """Whole-pixel text for people: 'x=10 y=20 w=80 h=80'."""
        return f"x={round(self.x1)} y={round(self.y1)} w={round(self.width)} h={round(self.height)}"
