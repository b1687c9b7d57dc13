"""Does the person in view see their name? The live view on real footage, frame by frame
(issue 22): the pipeline as the door runs it, over a video with a per-frame truth file,
scored by tests/support/live_truth.py.

    uv run python -m benchmarks.live_names [--frames N] [--enrol tv_louis ...]

Faces are encoded in this process (as the tests do), so a run gives the same figures
every time; the door's worker process only changes when the looks come back.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tests.support.live_truth import CAST, score

VIDEO_DIR = Path(__file__).resolve().parents[2] / "shared" / "faces-video"
TRUTH = (Path(__file__).resolve().parents[1] / "tests" / "system" / "end_to_end" / "data"
         / "tv_family_dinner_truth.csv")
def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video", type=Path, default=VIDEO_DIR / "video" / "tv_family_dinner.mp4")
    parser.add_argument("--cast", type=Path, default=VIDEO_DIR / "enrol")
    parser.add_argument("--truth", type=Path, default=TRUTH)
    parser.add_argument("--enrol", nargs="+", default=list(CAST))
    parser.add_argument("--frames", type=int, default=None, help="only the first N frames")
    args = parser.parse_args(argv)
    result = score(args.video, args.cast, args.truth, args.enrol, args.frames)
    print("| person | frames in, after first named | named | share |")
    print("| --- | --- | --- | --- |")
    for who in args.enrol:
        print(f"| {who} | {result.frames_in[who]} | {result.frames_named[who]} "
              f"| {result.named_share(who):.0%} |")
    total_in, total_named = sum(result.frames_in.values()), sum(result.frames_named.values())
    print(f"all: {total_named}/{total_in} = {total_named / max(total_in, 1):.1%}; "
          f"wrong names {len(result.wrong)}, names on unknown faces {result.on_unknown}, "
          f"boxes on no face {len(result.on_no_face)}")
    for line in result.wrong + result.on_no_face:
        print(" ", line)


if __name__ == "__main__":
    main()
