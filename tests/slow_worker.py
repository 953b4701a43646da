"""`manage.py db_worker`, slowed at one point so that a test can kill it there.

Run as `python tests/slow_worker.py db_worker ...` with STOCKTAKE_PAUSE_MARKER set: when a
build has written its PDF file but not yet recorded it (the row is still uncommitted), this
writes the marker file and waits a minute, long enough for the test to SIGKILL the process.
Everything else is the real worker and the real build.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import execute_from_command_line  # noqa: E402

from reports import build  # noqa: E402

marker = Path(os.environ["STOCKTAKE_PAUSE_MARKER"])
set_change_reason = build.set_change_reason


def pause_after_the_file_is_written(report, reason):  # type: ignore[no-untyped-def]
    set_change_reason(report, reason)
    marker.write_text(report.pdf.name)
    time.sleep(60)


build.set_change_reason = pause_after_the_file_is_written  # type: ignore[assignment]
execute_from_command_line(["manage.py", *sys.argv[1:]])
