"""Settings: the typed values read once from config.yaml (settings.py), which file is read
and where the Settings dialog saves (location.py), and writing changes back (save.py)."""
