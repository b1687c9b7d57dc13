"""One lock around every face detection and encoding done by the window's threads.

face_recognition keeps one global dlib detector and encoder per process. Used from the
video worker and the enrol dialog's judge at the same time, the process aborted inside
OpenCV's decoder and once hung in dlib (PySide6 6.12, dlib 20); taking turns costs the
live video a short pause while an enrolment shot is judged, and nothing else.
"""

from __future__ import annotations

import threading

FACE_LOCK = threading.Lock()
