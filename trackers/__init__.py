"""Follow objects from frame to frame (SORT); knows nothing of faces, cameras or Qt."""

from trackers.sort import Sort, Track, iou_matrix

__all__ = ["Sort", "Track", "iou_matrix"]
