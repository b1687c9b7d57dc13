"""Settings: each one declared once with its description, unit and bounds (declarations.py),
the typed values read once from config.yaml (settings.py), which file is read and where the
Settings dialog saves (location.py), writing changes back (save.py), and docs/settings.md
written from the declarations (docs.py)."""
