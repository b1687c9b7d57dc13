"""People and their face encodings: the SQLite store, the gallery search, shot checks.

This package receives encodings; it never detects faces, opens cameras or imports Qt.
"""

from enrolment.days_off import Closure, DaysOffBook, LeaveEntry
from enrolment.gallery import Gallery, Match, person_distances
from enrolment.groups import Group, GroupBook
from enrolment.quality import ShotProblem, judge_shot
from enrolment.store import FaceStore, NewEncoding
from enrolment.values import EncodingTable, Person, StoredShot, StoreError

__all__ = [
    "Closure",
    "DaysOffBook",
    "EncodingTable",
    "FaceStore",
    "Gallery",
    "Group",
    "GroupBook",
    "LeaveEntry",
    "Match",
    "NewEncoding",
    "Person",
    "ShotProblem",
    "StoreError",
    "StoredShot",
    "judge_shot",
    "person_distances",
]
