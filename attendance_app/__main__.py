"""Allow `python -m attendance_app`."""

import sys

from attendance_app.cli import main

sys.exit(main())
