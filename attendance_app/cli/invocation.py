"""One run of the `attendance-app` command, as its handler sees it: the settings file in
use, and the settings and workspace read from it when the handler first asks.

Reading them only when asked keeps `config path` and the window free of what they do not
use; every other handler asks first, so a bad setting is reported before anything else."""

from __future__ import annotations

import argparse
from functools import cached_property
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace
    from attendance_app.config.location import SettingsLocation
    from attendance_app.config.settings import AppConfig


class Invocation:
    """The parsed command line and what it resolves to (settings file, settings, workspace)."""

    def __init__(self, parser: argparse.ArgumentParser, args: argparse.Namespace,
                 location: SettingsLocation) -> None:
        self.parser = parser
        self.args = args
        self.location = location

    @cached_property
    def config(self) -> AppConfig:
        """The settings in use (ConfigError, one line, when the file is wrong)."""
        from attendance_app.config.settings import load_config

        return load_config(self.location.read_path)

    @cached_property
    def workspace(self) -> Workspace:
        """The data folder, workbook and database the global options and settings name."""
        from attendance_app.app.workspace import Workspace

        return Workspace.resolve(self.config, self.args.data_dir, self.args.workbook,
                                 self.args.database)

    def usage_error(self, message: str) -> NoReturn:
        """Arguments that do not go together: the usage line and `message`, exit code 2,
        as argparse reports its own errors."""
        self.parser.error(message)
