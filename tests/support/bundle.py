"""The downloadable app (packaging/attendance-app.spec) as a user would run it, for
tests/system/bundle/test_bundle.py.

A user has no Python: each start gets PATH=/usr/bin:/bin (Windows: its system folder), no
VIRTUAL_ENV or PYTHON* variable, a fresh home with fresh XDG folders, and a library path of
their own that the app must hand on. The app's folder is a read-only copy; when the tests
run as root (CI), for whom permissions stop no write, the app runs as the user `nobody`,
who cannot write there, and the home and work folders are made theirs.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

WINDOWS = sys.platform == "win32"
PROGRAM = "attendance-app.exe" if WINDOWS else "attendance-app"
RUN_TIMEOUT_S = 600
UNPRIVILEGED = "nobody"


def _unprivileged_ids() -> tuple[int, int] | None:
    """(uid, gid) of `nobody` when this process is root, else None (run as oneself)."""
    if WINDOWS or os.geteuid() != 0:
        return None
    import pwd

    entry = pwd.getpwnam(UNPRIVILEGED)
    return entry.pw_uid, entry.pw_gid


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder under `folder`: relative path -> (mode, size, mtime in ns)."""
    found = {}
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        found[path.relative_to(folder).as_posix()] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


def make_read_only(folder: Path) -> None:
    """Take every write permission off `folder` and everything in it (links left alone)."""
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def make_writable(folder: Path) -> None:
    """Give the owner write permission again, so the copy can be deleted."""
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


@dataclass
class Bundle:
    """The app's folder (a read-only copy) and a work folder where each start gets a home."""

    app: Path
    work: Path
    user: tuple[int, int] | None

    @classmethod
    def copied(cls, built: Path) -> Bundle:
        """A read-only copy of the built folder `built` in a new work folder that the
        unprivileged user (when there is one) can reach."""
        work = Path(tempfile.mkdtemp(prefix="attendance-bundle-")).resolve()
        work.chmod(0o755)
        app = work / "attendance-app"
        shutil.copytree(built, app, symlinks=True)
        make_read_only(app)
        return cls(app, work, _unprivileged_ids())

    @property
    def program(self) -> Path:
        return self.app / PROGRAM

    def owned_folder(self, *parts: str) -> Path:
        """A new folder under the work folder that the app's user owns."""
        folder = self.work.joinpath(*parts)
        folder.mkdir(parents=True, exist_ok=True)
        if self.user is not None:
            for path in [folder, *folder.parents]:
                if path == self.work:
                    break
                os.chown(path, *self.user)
        return folder

    def readable_copy(self, source: Path, *parts: str) -> Path:
        """A copy of the file `source` under the work folder that the app's user can read
        (the test's own temporary folders are private to the one running the tests)."""
        target = self.owned_folder(*parts[:-1]) / parts[-1]
        shutil.copyfile(source, target)
        target.chmod(0o644)
        return target

    def environment(self, home: Path, **extra: str) -> dict[str, str]:
        """A user's environment: no Python on PATH, a fresh home and XDG folders, a UTF-8
        locale and `user_library` as their own LD_LIBRARY_PATH."""
        environ = {
            "HOME": str(home), "USERPROFILE": str(home), "LANG": "C.UTF-8",
            "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"), "XDG_STATE_HOME": str(home / ".local" / "state"),
            "TMPDIR": str(home / "tmp"), "TEMP": str(home / "tmp"), "TMP": str(home / "tmp"),
        }
        if WINDOWS:
            system_root = os.environ.get("SYSTEMROOT", r"C:\Windows")
            environ |= {"SYSTEMROOT": system_root, "PATH": rf"{system_root}\System32;{system_root}",
                        "APPDATA": str(home / "AppData" / "Roaming"),
                        "LOCALAPPDATA": str(home / "AppData" / "Local")}
        else:
            environ["PATH"] = "/usr/bin:/bin"
        for folder in ("tmp", ".config"):
            self.owned_folder(*home.relative_to(self.work).parts, folder)
        return environ | extra

    def start(self, home: Path, *args: str, **env: str) -> subprocess.Popen[str]:
        """The app with `args`, as its user, in its own process group, output piped."""
        return subprocess.Popen(
            [str(self.program), *args], cwd=home, env=self.environment(home, **env),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=not WINDOWS,
            user=self.user[0] if self.user else None, group=self.user[1] if self.user else None,
            extra_groups=[] if self.user else None)

    def run(self, home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """The app with `args` to its end; its exit code and output."""
        process = self.start(home, *args, **env)
        try:
            out, err = process.communicate(timeout=RUN_TIMEOUT_S)
        finally:
            if process.poll() is None:
                process.kill()
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)

    def remove(self) -> None:
        make_writable(self.app)
        shutil.rmtree(self.work, ignore_errors=True)
