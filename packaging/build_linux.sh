#!/usr/bin/env bash
# Builds the downloadable Linux app from the locked environment (uv.lock):
#   dist/attendance-app/attendance-app                 the program, in its one folder
#   dist/attendance-app-<version>-linux-<arch>.tar.gz  that folder, to hand out
# Run from anywhere: bash packaging/build_linux.sh (about 1.5 to 3 minutes on 2 cores).
# docs/packaging.md says what is in the folder, what is left out and why.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v objdump >/dev/null; then  # PyInstaller reads every library with it
    echo "error: the build needs objdump: install binutils (Debian/Ubuntu: sudo apt install" \
         "binutils; Fedora: sudo dnf install binutils) and build again" >&2
    exit 1
fi
uv sync --locked --quiet
rm -rf build/pyinstaller dist/attendance-app
uv run --locked pyinstaller --noconfirm --clean --log-level WARN \
    --workpath build/pyinstaller --distpath dist packaging/attendance-app.spec
cp attendance_app/app/desktop_files/* dist/attendance-app/

# The window's X11 plugin links against a few xcb libraries that the build copies from this
# machine: one missing here is missing from the app, whose window then needs it installed.
internal=dist/attendance-app/_internal
missing=$(LD_LIBRARY_PATH=$internal ldd "$internal/PySide6/Qt/plugins/platforms/libqxcb.so" \
          | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
if [ -n "$missing" ]; then
    echo "warning: not in the app (not on this machine): $missing- users without them get a" \
         "one-line message naming the package; install them here and build again" >&2
fi

# The oldest glibc the app runs on is the newest symbol version any of its files asks for
# (the build machine's glibc, at most): docs/packaging.md, "Which Linux".
glibc=$(cat dist/attendance-app/attendance-app $(find "$internal" -name '*.so*' -type f) \
        | grep -aoE 'GLIBC_2\.[0-9]+' | sort -t. -k2,2n -u | tail -1)

version=$(dist/attendance-app/attendance-app --version | awk '{print $2}')
archive="dist/attendance-app-${version}-linux-$(uname -m).tar.gz"
tar -C dist -czf "$archive" attendance-app
echo "built $archive: folder $(du -sh dist/attendance-app | cut -f1), archive" \
     "$(du -h "$archive" | cut -f1), needs ${glibc/_/ } or newer"
