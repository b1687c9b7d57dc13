"""Does the person in view see their name? The live view on real footage, frame by frame
(issue 22): the pipeline as the door runs it, over a video with a per-frame truth file,
scored by tests/support/live_truth.py.

    uv run python -m benchmarks.live_names [--clip tv|walkers] [--frames N] [--enrol NAME ...]

Clips: `tv`, the TV family of six (faces-video; the six enrolled); `walkers`, the shared
walkers video (faces/video: walker_01 and passers-by, every shared person enrolled, so
a name on any other face is a name on a stranger).

Faces are encoded in this process (as the tests do), so a run gives the same figures
every time; the door's worker process only changes when the looks come back.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tests.support.live_truth import score

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = Path(__file__).resolve().parents[1] / "tests" / "system" / "end_to_end" / "data"
CLIPS = {
    "tv": (SHARED / "faces-video" / "video" / "tv_family_dinner.mp4",
           SHARED / "faces-video" / "enrol", DATA / "tv_family_dinner_truth.csv"),
    "walkers": (SHARED / "faces" / "video" / "walkers_royal_opera_house.mp4",
                SHARED / "faces" / "enrol", DATA / "walkers_truth.csv"),
}
"""Per clip: the video, the folder of one photo folder per person, the truth file."""


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", choices=CLIPS, default="tv")
    parser.add_argument("--video", type=Path, help="instead of the clip's")
    parser.add_argument("--cast", type=Path, help="instead of the clip's")
    parser.add_argument("--truth", type=Path, help="instead of the clip's")
    parser.add_argument("--enrol", nargs="+", help="default: everyone in the cast folder")
    parser.add_argument("--frames", type=int, default=None, help="only the first N frames")
    args = parser.parse_args(argv)
    video, cast, truth = (given or default for given, default
                          in zip((args.video, args.cast, args.truth), CLIPS[args.clip], strict=True))
    args.enrol = args.enrol or sorted(p.name for p in cast.iterdir() if p.is_dir())
    result = score(video, cast, truth, args.enrol, args.frames)
    print("| person | frames in, after first named | named | share |")
    print("| --- | --- | --- | --- |")
    for who in (who for who in args.enrol if result.frames_in[who]):
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
