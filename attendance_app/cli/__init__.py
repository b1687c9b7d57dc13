"""The `attendance-app` command: parsing (main.py) and one module per command group.

Nothing here imports Qt: the window is imported only when no command is given."""
