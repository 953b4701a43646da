"""manage.py rebuild_change_log — write the change log again from history, or check it."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interventions.history import change_log


class Command(BaseCommand):
    help = (
        "Write the change log (what What changed counts and pages) again from the history "
        "tables; with --check, only say where it and history disagree."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Compare with history; write nothing."
        )

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        started = time.perf_counter()
        if check:
            found = change_log.differences()
            if found:
                raise CommandError("The change log disagrees with history:\n" + "\n".join(found))
            self.stdout.write("The change log agrees with history.")
            return
        written = change_log.rebuild()
        self.stdout.write(
            f"Wrote {written} rows of the change log in {time.perf_counter() - started:.0f} s."
        )
