"""Build a draft report PDF from the command line, exactly as the report's page would.

    manage.py build_report sos tower-hamlets-2025 --as-of 2025-07-22 --output sos.pdf

Nothing is saved: the draft exists only while it is built, so scheduled jobs can make PDFs
without filling the register.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from directions.choices import ReportKind
from interventions.models import Intervention
from reports import drafting
from reports.build import build_pdf
from reports.models import Report


class Command(BaseCommand):
    help = "Build a draft report PDF (board, sos or stocktake) as of a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ReportKind.values, help="board, sos or stocktake")
        parser.add_argument("slug", help="The intervention's slug, e.g. tower-hamlets-2025")
        parser.add_argument("--as-of", required=True, help="YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="Where to write the PDF")
        parser.add_argument("--title", default="", help="The title on the cover")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = datetime.date.fromisoformat(options["as_of"])
        except ValueError:
            raise CommandError(
                f"--as-of must be a date written YYYY-MM-DD, not {options['as_of']!r}."
            ) from None
        intervention = (
            Intervention.objects.select_related("authority").filter(slug=options["slug"]).first()
        )
        if intervention is None:
            known = ", ".join(Intervention.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No intervention {options['slug']!r}. Known: {known}.")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        kind = options["kind"]
        words = intervention.words
        if kind not in words.report_kinds:
            raise CommandError(
                f"A {intervention.get_model_display()} intervention has no {kind!r} report. "
                f"Its kinds: {', '.join(words.report_kinds)}."
            )
        # The default title is the kind as the intervention's model names it.
        title = options["title"] or f"{words.report_label(kind)}, as of {as_of:%-d %B %Y}"
        # The draft is saved only so that the PDF is built exactly as for a saved report
        # (previous report, history); it is rolled back afterwards.
        with transaction.atomic():
            report = Report(intervention=intervention, kind=kind, title=title, as_of=as_of)
            report.previous = report.find_previous()
            drafting.prefill(report)
            report.save()
            data = build_pdf(report)
            transaction.set_rollback(True)
        output.write_bytes(data)
        self.stdout.write(f"Wrote {output} ({len(data):,} bytes).")
