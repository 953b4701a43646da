"""manage.py deadlines SLUG [--as-of YYYY-MM-DD] [--format text|csv]"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interventions.deadlines.engine import deadlines_for
from interventions.deadlines.filters import parse_date, write_csv
from interventions.models import Intervention


class Command(BaseCommand):
    help = (
        "List every dated obligation of an intervention, one row per occurrence (due date, "
        "what, source reference, state, and the paper a met date or due date rests on), with "
        "states as of today or --as-of."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--as-of", help="Show states as of this date (YYYY-MM-DD).")
        parser.add_argument("--format", choices=["text", "csv"], default="text")

    def handle(self, *args: Any, slug: str, as_of: str | None, format: str, **options: Any) -> None:
        try:
            day = parse_date(as_of) if as_of else None
        except ValueError as error:
            raise CommandError(f"--as-of: {error}") from None
        intervention = Intervention.objects.filter(slug=slug).first()
        if intervention is None:
            known = ", ".join(Intervention.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No intervention with the slug {slug!r} (known: {known}).")
        items = deadlines_for(intervention, day)
        if format == "csv":
            write_csv(self.stdout, items)
            return
        width = max((len(item.reference) for item in items), default=0)
        state_width = max((len(item.state.label) for item in items), default=0)
        for item in items:
            self.stdout.write(
                f"{item.due.isoformat()}  {item.state.label:<{state_width}}  "
                f"{item.reference:<{width}}  {item.what}"
                + (f"  (met {item.satisfied_on.isoformat()})" if item.satisfied_on else "")
                + (f"  [rests on: {item.basis}]" if item.basis else "")
            )
