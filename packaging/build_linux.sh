#!/usr/bin/env bash
# Builds the downloadable Linux app from the locked environment (uv.lock):
#   dist/attendance-app/attendance-app                 the program, in its one folder
#   dist/attendance-app-<version>-linux-<arch>.tar.gz  that folder, to hand out
# Run from anywhere: bash packaging/build_linux.sh (about 3 minutes on 2 cores).
# packaging/README.md says what is in the folder, what is left out and why.
set -euo pipefail
cd "$(dirname "$0")/.."

uv sync --locked --quiet
rm -rf build/pyinstaller dist/attendance-app
uv run --locked pyinstaller --noconfirm --clean --log-level WARN \
    --workpath build/pyinstaller --distpath dist packaging/attendance-app.spec
cp packaging/attendance-app.desktop packaging/attendance-app.png dist/attendance-app/

version=$(dist/attendance-app/attendance-app --version | awk '{print $2}')
archive="dist/attendance-app-${version}-linux-$(uname -m).tar.gz"
tar -C dist -czf "$archive" attendance-app
echo "$archive"
