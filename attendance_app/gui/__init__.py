"""The desktop window (PySide6): live video with names, today's attendance, enrolment,
the people list and the settings, for people who never open a terminal.

Qt stays in this package: the pipeline, the store and the exports know nothing of it.
"""

from attendance_app.gui.app import run_gui

__all__ = ["run_gui"]
