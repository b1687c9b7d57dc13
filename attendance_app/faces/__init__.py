"""Face engines: find faces in RGB images and turn them into comparable encodings.

`sface` (OpenCV YuNet + SFace) lives here; the dlib engine is still
attendance_app/engine.py. Only this package touches the model files.
"""

from attendance_app.faces.models import ModelError
from attendance_app.faces.sface import DEFAULT_TOLERANCE, Face, SFaceEngine

__all__ = ["DEFAULT_TOLERANCE", "Face", "ModelError", "SFaceEngine"]
