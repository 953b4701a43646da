"""manage.py import_intervention FILE [--skip-existing]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interventions.interchange.importer import (
    IMPORTED_FROM,
    ImportFailed,
    ImportRefused,
    InterventionExists,
    import_intervention,
    read,
)


class Command(BaseCommand):
    help = (
        "Import a whole intervention from a YAML file (format: docs/data-format.md). "
        "All or nothing: a file with any error changes nothing. An intervention whose slug "
        "already exists is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--skip-existing",
            action="store_true",
            help="If the intervention already exists, leave it unchanged and succeed.",
        )

    def handle(self, *args: Any, file: Path, skip_existing: bool, **options: Any) -> None:
        try:
            data = read(file)
        except ImportFailed as exc:
            count = len(exc.errors)
            raise CommandError(
                f"{file} was not imported ({count} problem{'s' if count > 1 else ''}); "
                f"nothing was changed:\n" + "\n".join(exc.errors)
            ) from exc
        try:
            intervention = import_intervention(
                data, reason=f"{IMPORTED_FROM} {file.name}", name=str(file)
            )
        except ImportFailed as exc:
            raise CommandError(
                f"{file} was not imported; nothing was changed:\n" + "\n".join(exc.errors)
            ) from exc
        except InterventionExists as exc:
            if skip_existing:
                self.stdout.write(f"{data.intervention.slug} is already present; left unchanged.")
                return
            raise CommandError(f"{file} was not imported: {exc}") from exc
        except ImportRefused as exc:
            raise CommandError(f"{file} was not imported: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(f"Imported {intervention.title} ({intervention.slug}) from {file}.")
        )
