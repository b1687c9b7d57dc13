"""The desktop window (PySide6): live video with names, today's attendance, enrolment,
the people list and the settings, for people who never open a terminal.

Only this package imports Qt. Nothing is imported here, so that a module of it can be
imported without loading the whole window (start it with attendance_app.gui.app.run_gui).
"""
