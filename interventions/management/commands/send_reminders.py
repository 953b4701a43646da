"""manage.py send_reminders [--date YYYY-MM-DD] [--base-url URL]"""

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from interventions.deadlines.filters import parse_date
from interventions.deadlines.reminders import describe, send_reminders

log = logging.getLogger("stocktake.reminders")


class Command(BaseCommand):
    help = (
        "Email each person with an account their daily digest of deadlines they are "
        "responsible for that are due soon or overdue. Run it daily; a second run on the same "
        "day sends nothing twice. Exits non-zero if any digest could not be sent, having sent "
        "the others; those are in the next run's digests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day of the digest (YYYY-MM-DD); today if left out.")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", ""),
            help="The service's address, for the links in the emails, e.g. https://stocktake.example.org",
        )

    def handle(self, *args: Any, date: str | None, base_url: str, **options: Any) -> None:
        try:
            day = parse_date(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date: {error}") from None
        try:
            outcome = send_reminders(day, base_url.rstrip("/"))
        except Exception as error:
            # Run from cron, a traceback on standard error reaches nobody's log: say it as an
            # event, in the log's format (JSON in production), then fail.
            log.exception(
                "The reminder run failed",
                extra={
                    "event": "reminders_run_failed",
                    "on": day.isoformat(),
                    "error": type(error).__name__,
                },
            )
            raise CommandError(f"The reminder run failed: {type(error).__name__}") from error
        count = len(outcome.sent)
        self.stdout.write(f"Sent {count} reminder{'s' if count != 1 else ''} for {day:%-d %b %Y}.")
        # Each failure is also a JSON log event (reminder_failed); neither says the address.
        for person, problem in outcome.failed:
            self.stderr.write(f"Could not email person {person.pk} ({person}): {describe(problem)}")
        if outcome.failed:
            raise CommandError(
                f"{len(outcome.failed)} reminder(s) could not be sent; they are not recorded as "
                "sent, so a rerun today sends them, and tomorrow's digests include their "
                "deadlines if still overdue or due soon."
            )
