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
from datetime import datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import cv2

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.types import Frame
from tests.support.live_truth import LiveScore, read_truth

VIDEO_DIR = Path(__file__).resolve().parents[2] / "shared" / "faces-video"
TRUTH = (Path(__file__).resolve().parents[1] / "tests" / "system" / "end_to_end" / "data"
         / "tv_family_dinner_truth.csv")
CAST = ("tv_eddie", "tv_emery", "tv_evan", "tv_grandma", "tv_jessica", "tv_louis")


def score(video: Path, cast: Path, truth: Path, enrolled: Sequence[str],
          frames: int | None) -> LiveScore:
    """Run the pipeline over the first `frames` frames of `video` with `enrolled` (folders
    of `cast`) enrolled from one photo each, and judge every frame's boxes."""
    faces = read_truth(truth)
    result = LiveScore()
    with TemporaryDirectory() as scratch:
        workspace = Workspace.resolve(AppConfig(), Path(scratch), None)
        engine = workspace.engine()
        for name in enrolled:
            workspace.store().enrol(name, [enrolment_shot(engine, next((cast / name).iterdir()), 40)])
        pipeline = workspace.pipeline(None, encode_in_worker=False)
        capture = cv2.VideoCapture(str(video))
        fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
        start = datetime.now()
        index = 0
        try:
            while frames is None or index < frames:
                ok, image = capture.read()
                if not ok:
                    break
                shown = pipeline.process(Frame(image, index, start + timedelta(seconds=index / fps)))
                result.add(index, shown.tracks, faces.get(index, []), enrolled)
                index += 1
        finally:
            pipeline.close()
            capture.release()
    return result


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
