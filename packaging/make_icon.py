"""Draws attendance_app/app/desktop_files/attendance-app.png, the app's icon (256 px), with Pillow.

Run once when the icon should change (`uv run python packaging/make_icon.py`); the PNG is
checked in, so a build needs no drawing. PyInstaller turns the same PNG into the .ico of
Windows and the .icns of macOS (it converts with Pillow, which the app depends on anyway).
The drawing: a door frame in the app's blue, a head and shoulders in it, and a green tick
for "logged", legible down to the 16 px of a menu.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
OUT = (Path(__file__).resolve().parents[1] / "attendance_app" / "app" / "desktop_files"
       / "attendance-app.png")
BLUE, WHITE, GREEN = (31, 94, 168, 255), (255, 255, 255, 255), (46, 160, 67, 255)


def draw() -> Image.Image:
    """The icon at SIZE px, drawn at 4x and shrunk so its edges are smooth."""
    scale = 4
    big = SIZE * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)

    def box(x1: float, y1: float, x2: float, y2: float) -> tuple[int, int, int, int]:
        return (int(x1 * big), int(y1 * big), int(x2 * big), int(y2 * big))

    pen.rounded_rectangle(box(0.04, 0.04, 0.96, 0.96), radius=int(0.16 * big), fill=BLUE)
    pen.rounded_rectangle(box(0.22, 0.14, 0.78, 0.92), radius=int(0.05 * big), fill=WHITE)
    pen.rounded_rectangle(box(0.27, 0.19, 0.73, 0.92), radius=int(0.03 * big), fill=BLUE)
    pen.ellipse(box(0.39, 0.30, 0.61, 0.52), fill=WHITE)
    pen.pieslice(box(0.30, 0.56, 0.70, 0.96), 180, 360, fill=WHITE)
    pen.ellipse(box(0.58, 0.58, 0.94, 0.94), fill=GREEN)
    pen.line([(0.66 * big, 0.76 * big), (0.74 * big, 0.84 * big), (0.87 * big, 0.68 * big)],
             fill=WHITE, width=int(0.045 * big), joint="curve")
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    draw().save(OUT, optimize=True)
    print(OUT)
