"""The `attendance-app` command: main.py parses and dispatches; one module per command group
(people, run, export, report, void, journal, database, config, unknowns) adds its
subcommands with their handlers; options.py, output.py and invocation.py are what they share.

Nothing here imports Qt: the window is imported only when it opens (run.py)."""
