"""What showing the picture costs in the desktop app, per frame.

The headless benchmarks (speed.py) leave out the window. Here real door-video frames with
three labelled boxes go through what the desktop app does with each frame it shows: the
video worker converts it to a QImage, and the window paints it scaled with the boxes and
name tags (VideoView, Qt offscreen, at a typical window size).

    uv run python -m benchmarks.drawing [--frames 200]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from pathlib import Path

from attendance_app.types import Box, TrackStatus, TrackView
from tests.support.scenes import DEFAULT_FACES, DoorScene, crowd_scene, frames, shared_people

VIEW_SIZE = (960, 540)
"""The picture's share of a maximised window on a 1080p screen."""


def tracks_in_view(scene: DoorScene, index: int) -> tuple[TrackView, ...]:
    """A box with a name tag on every face in view, as the pipeline reports them."""
    views = []
    width, height = scene.size
    for number, walker in enumerate(scene.walkers):
        placement = walker.placement(index)
        if placement is None:
            continue
        x, y, size = placement
        half = size * height / 4  # the face is about half the pasted patch
        box = Box(x * width - half, y * height - half, x * width + half, y * height + half)
        status = list(TrackStatus)[number % len(TrackStatus)]
        views.append(TrackView(number, box, walker.label, status, 0.4))
    return tuple(views)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    parser.add_argument("--frames", type=int, default=200)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from attendance_app.gui.qimages import bgr_to_qimage
    from attendance_app.gui.video_view import VideoView

    app = QApplication.instance() or QApplication([])
    view = VideoView()
    view.resize(*VIEW_SIZE)
    view.show()
    print(f"| video | to QImage, ms/frame | painting at {VIEW_SIZE[0]}x{VIEW_SIZE[1]}, "
          "ms/frame |")
    print("| --- | --- | --- |")
    for size in ((640, 360), (1280, 720)):
        scene = crowd_scene(shared_people(args.faces)[:9], 3, size)
        converting = painting = 0.0
        count = 0
        for index, bgr in enumerate(frames(scene)):
            if index >= args.frames:
                break
            started = time.perf_counter()
            image = bgr_to_qimage(bgr)
            converted = time.perf_counter()
            view.show_frame(image, tracks_in_view(scene, index))
            view.repaint()  # paints now, as the event loop would on the next refresh
            app.processEvents()
            painted = time.perf_counter()
            converting += converted - started
            painting += painted - converted
            count += 1
        print(f"| {size[0]}x{size[1]} | {1000 * converting / count:.2f} | "
              f"{1000 * painting / count:.2f} |", flush=True)
    view.close()
    view.deleteLater()
    app.processEvents()


if __name__ == "__main__":
    main()
