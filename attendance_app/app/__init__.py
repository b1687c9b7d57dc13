"""The app put together: where its files are (paths.py) and the objects built from them
(workspace.py), one app per data folder (instance_lock.py), the warnings a user must act
on (notices.py), and the run of a door for every source (door_session.py, with
door_photos.py; door_report.py is what it tells the window and the command line, and
headless.py how the command line shows it), and what the downloadable app (PyInstaller)
puts back for the programs it starts (frozen.py)."""
