"""Can Qt open a window on this Linux desktop? Checked before the QApplication exists.

Without any display (ssh, a server) Qt prints its plugin advice and aborts (exit 134);
here the user gets one line pointing to the command line instead.

Qt 6's X11 platform plugin (xcb) needs a few system libraries that a bare Linux install
may lack, libxcb-cursor0 above all. Without them Qt prints "Could not load the Qt
platform plugin "xcb"" with a page of advice and aborts; here the user gets one line
naming the package to install, or the command line that needs no window.

The sonames are what PySide6's libqxcb.so and libQt6XcbQpa.so link against (`ldd`);
the packages are those listed in docs/user-guide.md, "Desktop on Linux".
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable
from pathlib import Path

XCB_LIBRARIES: dict[str, dict[str, str]] = {
    "libxcb-cursor.so.0": {"debian": "libxcb-cursor0", "fedora": "xcb-util-cursor",
                           "arch": "xcb-util-cursor"},
    "libxcb-icccm.so.4": {"debian": "libxcb-icccm4", "fedora": "xcb-util-wm",
                          "arch": "xcb-util-wm"},
    "libxcb-keysyms.so.1": {"debian": "libxcb-keysyms1", "fedora": "xcb-util-keysyms",
                            "arch": "xcb-util-keysyms"},
    "libxcb-image.so.0": {"debian": "libxcb-image0", "fedora": "xcb-util-image",
                          "arch": "xcb-util-image"},
    "libxcb-render-util.so.0": {"debian": "libxcb-render-util0", "fedora": "xcb-util-renderutil",
                                "arch": "xcb-util-renderutil"},
    "libxkbcommon-x11.so.0": {"debian": "libxkbcommon-x11-0", "fedora": "libxkbcommon-x11",
                              "arch": "libxkbcommon-x11"},
    "libxcb-xkb.so.1": {"debian": "libxcb-xkb1", "fedora": "libxcb", "arch": "libxcb"},
    "libxcb-randr.so.0": {"debian": "libxcb-randr0", "fedora": "libxcb", "arch": "libxcb"},
    "libxcb-shape.so.0": {"debian": "libxcb-shape0", "fedora": "libxcb", "arch": "libxcb"},
    "libX11-xcb.so.1": {"debian": "libx11-xcb1", "fedora": "libX11-xcb", "arch": "libx11"},
}
"""Each library the xcb plugin loads -> the package holding it, per distribution family."""

INSTALL = {"debian": ("Debian/Ubuntu", "sudo apt install"), "fedora": ("Fedora", "sudo dnf install"),
           "arch": ("Arch", "sudo pacman -S")}


def library_present(soname: str) -> bool:
    """Whether the dynamic loader finds `soname`, exactly as Qt's plugin would load it."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def distribution_family(os_release: Path = Path("/etc/os-release")) -> str:
    """"debian", "fedora" or "arch" from /etc/os-release (ID and ID_LIKE); "debian"
    when unknown, the most common family, whose package names the user guide lists first."""
    try:
        text = os_release.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "debian"
    words: set[str] = set()
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key in ("ID", "ID_LIKE"):
            words.update(value.strip().strip("\"'").lower().split())
    for family, members in (("debian", {"debian", "ubuntu"}), ("fedora", {"fedora", "rhel", "centos"}),
                            ("arch", {"arch", "manjaro", "endeavouros"})):
        if words & members:
            return family
    return "debian"


def missing_packages(present: Callable[[str], bool] | None = None,
                     family: str = "debian") -> list[str]:
    """The packages to install for the window, in the order of XCB_LIBRARIES, no repeats.
    `present` tells whether a library loads (default: library_present)."""
    present = present or library_present
    packages: list[str] = []
    for soname, names in XCB_LIBRARIES.items():
        if not present(soname) and names[family] not in packages:
            packages.append(names[family])
    return packages


def needs_xcb(environ: dict[str, str] | os._Environ[str] = os.environ,
              platform: str = sys.platform) -> bool:
    """Whether Qt will use its X11 plugin: on Linux, unless QT_QPA_PLATFORM chooses a
    platform or the session is Wayland (Qt 6 then uses its Wayland plugin)."""
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return False
    return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland")


NO_DISPLAY = ("error: no display found, so the desktop window cannot open; use the command "
              "line instead (attendance-app run --headless), or start the app from a desktop "
              "session (or set DISPLAY)")


def desktop_problem(present: Callable[[str], bool] | None = None,
                    environ: dict[str, str] | os._Environ[str] = os.environ,
                    platform: str = sys.platform, family: str | None = None) -> str | None:
    """One line saying why the window cannot open here (no display at all, as over ssh or
    on a server, or system packages missing), or None if it can open."""
    if not needs_xcb(environ, platform):
        return None
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return NO_DISPLAY
    family = family or distribution_family()
    packages = missing_packages(present, family)
    if not packages:
        return None
    system, command = INSTALL[family]
    names = " ".join(packages)
    noun = "package" if len(packages) == 1 else "packages"
    return (f"error: the desktop window needs the system {noun} {names} ({system}: {command} "
            f"{names}; other systems: see docs/user-guide.md, \"Desktop on Linux\"); or use the "
            "command line (attendance-app run --headless)")
