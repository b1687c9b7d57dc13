"""Write a synthetic door video (tests/support/scenes.py) from the command line: the
shared face set's people, and a few strangers, walking by.

    uv run python -m benchmarks.door_video OUT.mp4 [--size 640x360] [--faces-in-view 3]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tests.support.scenes import DEFAULT_FACES, crowd_scene, render, shared_people, shared_strangers


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="video file to write (.mp4)")
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES, help="shared face folder")
    parser.add_argument("--size", default="640x360", help="WIDTHxHEIGHT")
    parser.add_argument("--faces-in-view", type=int, default=1)
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    people = shared_people(args.faces) + shared_strangers(args.faces)[:4]
    scene = crowd_scene(people, args.faces_in_view, (width, height))
    print(render(scene, args.out), f"{scene.frame_count} frames")


if __name__ == "__main__":
    main()
