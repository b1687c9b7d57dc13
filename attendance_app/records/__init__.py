"""Attendance records: when a person becomes a row (policy.py), committing it first to the
SQLite journal (recorder.py, journal.py), voids, the month workbooks kept equal to the
journal (workbook_sync.py, workbook_writer.py), reports, and rebuilding a lost journal."""
