"""Allow `python -m attendance_app`."""

import sys

from attendance_app.cli.main import main

if __name__ == "__main__":  # the face-encoder worker process must not run the app again
    sys.exit(main())
