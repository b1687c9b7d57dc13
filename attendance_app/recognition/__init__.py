"""The frame's path: finding where to look (regions.py), following faces (trackers.Sort),
encoding them off the loop (encoders.py), votes per track (identity.py), the pipeline that
ties them together (pipeline.py), and the side stages it feeds (liveness, evidence, the
unknown visitors' collector). Also faces in still photos (photos.py)."""
