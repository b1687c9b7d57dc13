"""Write a photo attack (tests/support/photo_attack.py) from the command line: a still
picture of a face held up to the door camera by hand, as a video.

    uv run python -m benchmarks.photo_attack PHOTO OUT.mp4 [--size 1280x720] [--phone]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tests.support.photo_attack import HeldPhoto, render_attack


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("photo", type=Path, help="the picture held up")
    parser.add_argument("out", type=Path, help="video file to write (.mp4)")
    parser.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--phone", action="store_true", help="a phone instead of a print")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    held = HeldPhoto(args.photo, 5, 5 + round(args.seconds * 25), phone=args.phone)
    print(render_attack([held], args.out, (width, height)))


if __name__ == "__main__":
    main()
