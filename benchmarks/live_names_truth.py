"""Write the per-frame truth of a real video: who is where, frame by frame (issue 22).

Semi-automatic, then checked by eye on sampled frames: every frame is searched whole by
the detector, every face is compared with the cast photos, and a face counts as a cast
member only at a strict distance (STRICT, far below the app's tolerance) and clearly
nearer than the runner-up. Faces are then chained within each shot (boxes overlapping
from one frame to the next; a cut ends every chain), and a chain takes the name most of
its strict looks agree on, so a turned or blurred frame of a named face keeps its name;
a chain with no such agreement is `?` (a face, who is not known), and the app's names
on it are judged neither right nor wrong.

    uv run python -m benchmarks.live_names_truth VIDEO CAST_FOLDER OUT.csv [--frames N]
        [--people NAME ...]

--people: only these folders of CAST_FOLDER are the cast (the walkers video: walker_01
among the shared people; with one person, no runner-up distance is asked for).
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

import cv2
import numpy as np

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.recognition.regions import CutFinder
from attendance_app.types import Box

STRICT = 0.47
"""SFace cosine distance a face must be within to count as a cast member (the app's
tolerance is 0.575; faces of the cast sat at 0.22-0.47 from their own photo and 0.7-1.0
from the next, on sampled frames): strict, so that a truth label is rarely wrong."""
STRICT_GAP = 0.25
"""How much nearer than the next cast member it must be."""
CHAIN_IOU = 0.3
"""Overlap with the previous frame's box that continues a chain."""
UNKNOWN = "?"


@dataclass
class _Chain:
    rows: list[tuple[int, Box]] = field(default_factory=list)
    votes: Counter[str] = field(default_factory=Counter)

    def name(self) -> str:
        if not self.votes:
            return UNKNOWN
        best, count = self.votes.most_common(1)[0]
        return best if count >= 2 and count >= 0.8 * sum(self.votes.values()) else UNKNOWN


def _iou(a: Box, b: Box) -> float:
    x1, y1, x2, y2 = max(a.x1, b.x1), max(a.y1, b.y1), min(a.x2, b.x2), min(a.y2, b.y2)
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    return inter / (a.area + b.area - inter) if inter else 0.0


def truth(video: Path, cast: Path, frames: int | None,
          people: Sequence[str] | None = None) -> list[tuple[int, Box, str]]:
    """(frame, box, name or UNKNOWN) of every face in the first `frames` frames, the
    cast being `people` (default: every folder of `cast`)."""
    with TemporaryDirectory() as scratch:
        engine = Workspace.resolve(AppConfig(), Path(scratch), None).engine()
    names = sorted(people or (p.name for p in cast.iterdir() if p.is_dir()))
    vectors = np.stack([enrolment_shot(engine, next((cast / n).iterdir()), 40).vector
                        for n in names])
    capture = cv2.VideoCapture(str(video))
    cuts, chains, open_chains = CutFinder(), [], []
    index = 0
    while frames is None or index < frames:
        ok, image = capture.read()
        if not ok:
            break
        if cuts.is_cut(image):
            open_chains = []
        boxes = [b for b in engine.detect(image) if b.width >= 1 and b.height >= 1]
        encodings = engine.encode(image, boxes) if boxes else []
        continued = []
        for box, encoding in zip(boxes, encodings, strict=True):
            chain = max(open_chains, key=lambda c: _iou(c.rows[-1][1], box), default=None)
            if chain is None or _iou(chain.rows[-1][1], box) < CHAIN_IOU or chain in continued:
                chain = _Chain()
                chains.append(chain)
            chain.rows.append((index, box))
            continued.append(chain)
            distances = engine.distances(encoding, vectors)
            order = np.argsort(distances)
            gap = distances[order[1]] - distances[order[0]] if len(order) > 1 else np.inf
            if distances[order[0]] <= STRICT and gap >= STRICT_GAP:
                chain.votes[names[order[0]]] += 1
        open_chains = continued
        index += 1
    return sorted(((frame, box, chain.name()) for chain in chains for frame, box in chain.rows),
                  key=lambda row: (row[0], row[1].x1))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", type=Path)
    parser.add_argument("cast", type=Path, help="a folder of one folder of photos per person")
    parser.add_argument("out", type=Path, help="CSV: frame,x1,y1,x2,y2,who")
    parser.add_argument("--frames", type=int, default=None, help="only the first N frames")
    parser.add_argument("--people", nargs="+", help="only these folders are the cast")
    args = parser.parse_args(argv)
    rows = truth(args.video, args.cast, args.frames, args.people)
    with args.out.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["frame", "x1", "y1", "x2", "y2", "who"])
        for frame, box, who in rows:
            writer.writerow([frame, round(box.x1), round(box.y1), round(box.x2), round(box.y2), who])
    print(f"{args.out}: {len(rows)} faces, {Counter(who for *_, who in rows)}")


if __name__ == "__main__":
    main()
