"""The app put together: where its files are and the objects built from them
(workspace.py), one app per data folder (instance_lock.py), the warnings a user must act
on (notices.py), and the run of a door (headless.py)."""
