"""Opening files and folders in the programs the user already has (Excel, Files…).

On Linux Qt hands the path to `xdg-open` and reports success as soon as that program
starts, even when no program is set up for folders (a bare desktop, a server): nothing
opens and nothing is said. So the handler is looked up first, and a missing one is
reported as a failure, which the caller shows with the path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

FOLDER_MIME = "inode/directory"


def _linux_handler_exists(path: Path) -> bool:
    """Whether xdg-open is there and, for a folder outside a desktop environment (whose
    own opener shows folders), a file manager is set up for folders."""
    if shutil.which("xdg-open") is None:
        return False
    if not path.is_dir() or os.environ.get("XDG_CURRENT_DESKTOP") or shutil.which("xdg-mime") is None:
        return True  # xdg-open hands it to the desktop's own opener
    try:
        answer = subprocess.run(["xdg-mime", "query", "default", FOLDER_MIME], capture_output=True,
                                text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return True  # cannot tell: let Qt try
    return bool(answer.stdout.strip())


def open_in_system(path: Path) -> bool:
    """Open `path` with its default program; False if there is none or the desktop refused."""
    if sys.platform.startswith("linux") and not _linux_handler_exists(path):
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
