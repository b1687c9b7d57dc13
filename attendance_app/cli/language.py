"""The language of the command line (and of the window it opens), chosen once at start.

The settings are read before the argparse parser is built, so that `--help` is in the
user's language too. --config is looked for in the arguments as the parser will read it;
the usual location rules (attendance_app.config.location) apply otherwise. A settings file
that cannot be read leaves the system's language (as locale.language auto would): the
command then reports the file's problem in its usual one line, in the language the user
is known to read (English where the system's is none of the app's).

ATTENDANCE_LANGUAGE (attendance_app.i18n.OVERRIDE) wins over the setting, here and in
the window, which applies the settings again with the system's region as Qt knows it
(attendance_app.gui.app).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from attendance_app.i18n import apply_locale


def _config_option(argv: Sequence[str]) -> Path | None:
    """The --config given in `argv`, before or after the subcommand, or None."""
    finder = argparse.ArgumentParser(add_help=False)
    finder.add_argument("--config", type=Path)
    known, _unknown = finder.parse_known_args(list(argv))
    return known.config


def _settings(argv: Sequence[str]) -> tuple[str, bool]:
    """locale.language and locale.iso_dates of the settings in use; ("auto", False) when
    the file cannot be read (the command reports why, in the system's language)."""
    from attendance_app.config.location import locate
    from attendance_app.config.settings import load_config
    from attendance_app.errors import AttendanceError

    try:
        config = load_config(locate(_config_option(argv)).read_path)
    except (AttendanceError, OSError, ValueError):
        return "auto", False
    return config.locale.language, config.locale.iso_dates


def start(argv: Sequence[str]) -> str:
    """Apply the language and date format of the settings `argv` names (or of
    $ATTENDANCE_LANGUAGE) for the whole process; returns the language used."""
    return apply_locale(*_settings(argv))

