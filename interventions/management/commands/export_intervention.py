"""manage.py export_intervention SLUG [--output FILE]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interventions.interchange.exporter import export_intervention
from interventions.models import Intervention


class Command(BaseCommand):
    help = (
        "Write a whole intervention in the import format (docs/data-format.md), to standard "
        "output or to --output FILE: everything entered, with the dated history of each row "
        "changed in Stocktake. Papers and evidence files are named, not included: they stay "
        "in EVIDENCE_ROOT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--output", "-o", type=Path, help="File to write instead of stdout.")

    def handle(self, *args: Any, slug: str, output: Path | None, **options: Any) -> None:
        intervention = Intervention.objects.select_related("authority").filter(slug=slug).first()
        if intervention is None:
            known = ", ".join(Intervention.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No intervention with the slug {slug!r} (known: {known}).")
        text = export_intervention(intervention)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {intervention.slug} to {output}.")
