"""Synthetic data at N times the size of Tower Hamlets, for load tests and benchmarks.

Each synthetic intervention is the real 2025 Tower Hamlets file imported under another slug
and a title that says it is synthetic, then grown: more milestones per programme, and as many
history rows as asked for, spread over the milestones and the intervention's years. History is
written with bulk inserts, so a million rows take minutes rather than hours.

Never run this against a database holding real interventions: the benchmark command builds it
in a throwaway database of its own.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from interventions.access import roles
from interventions.choices import RAG, WorkStatus
from interventions.history import change_log
from interventions.interchange.importer import import_intervention, read
from interventions.models import Intervention, Milestone, Person, Programme
from interventions.models.data_version import new_version

SOURCE = Path(settings.BASE_DIR) / "data" / "tower-hamlets-2025.yaml"
SLUG = "synthetic-{n}"
BATCH = 5_000
COMMENTARY = [
    "Work is on track; the next step is agreed.",
    "Waiting for the Board's decision before going further.",
    "Recruitment delayed the start; a new plan is in place.",
    "Draft circulated to the Internal Assurance Board for comment.",
    "Consultation closed; responses are being analysed.",
]


@dataclass
class Built:
    """What a build wrote."""

    interventions: list[Intervention]
    milestones: int
    history_rows: int


def build(
    interventions: int = 1,
    *,
    milestones_per_programme: int = 9,
    history_rows: int = 0,
    user: User | None = None,
    seed: int = 7,
) -> Built:
    """Create `interventions` synthetic interventions (slugs synthetic-1, synthetic-2, …).

    Every programme gets at least `milestones_per_programme` milestones (Tower Hamlets has
    about four); `history_rows` more history rows are spread over all their milestones. A
    `user`, if given, is named in each intervention (so they see it), is SRO of programme 1 and
    is recorded as the author of the synthetic history.
    """
    rng = random.Random(seed)
    source = read(SOURCE)
    first = Intervention.objects.filter(slug__startswith="synthetic-").count() + 1
    built = []
    for n in range(first, first + interventions):
        data = source.model_copy(
            update={
                "intervention": source.intervention.model_copy(
                    update={
                        "slug": SLUG.format(n=n),
                        "title": f"Synthetic intervention {n} (copy of Tower Hamlets 2025)",
                    }
                )
            }
        )
        intervention = import_intervention(data, reason="Synthetic data for benchmarks")
        _grow_milestones(intervention, milestones_per_programme)
        if user is not None:
            person = Person.objects.create(
                intervention=intervention, key="synthetic-user", name="Benchmark user", user=user
            )
            Programme.objects.filter(intervention=intervention, number=1).update(sro=person)
        built.append(intervention)
    milestones = list(Milestone.objects.filter(programme__intervention__in=built))
    written = _write_history(milestones, history_rows, user, rng) if history_rows else 0
    # Bulk inserts send no signals: log what they wrote, as a deployment's `migrate` would.
    change_log.sync()
    # Milestones and history written without signals: answers kept from before are stale.
    new_version()
    return Built(interventions=built, milestones=len(milestones), history_rows=written)


def benchmark_user(username: str, password: str) -> User:
    """An improvement team member (who sees and edits everything in their interventions)."""
    roles.sync_groups()
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=roles.IMPROVEMENT_TEAM)])
    return user


def _grow_milestones(intervention: Intervention, per_programme: int) -> None:
    new = []
    for programme in intervention.programmes.all():
        have = programme.milestones.count()
        for position in range(have + 1, per_programme + 1):
            milestone = Milestone(
                programme=programme,
                position=position,
                number=f"{programme.number}.{position}",
                title=f"Synthetic milestone {position} of programme {programme.number}",
                start_as_written="Apr 2025",
                end_as_written=["Sep 2025", "Mar 2026", "Autumn 2026", "TBC"][position % 4],
                rag=[RAG.GREEN, RAG.AMBER, RAG.RED, RAG.NOT_STARTED][position % 4],
                status=WorkStatus.IN_PROGRESS if position % 3 else WorkStatus.NOT_STARTED,
            )
            # bulk_create skips save(), which computes these.
            milestone.compute_dates()
            milestone.baseline_end = milestone.planned_end
            new.append(milestone)
    bulk_create_with_history(
        new, Milestone, batch_size=BATCH, default_change_reason="Synthetic data for benchmarks"
    )


def _write_history(
    milestones: list[Milestone], rows: int, user: User | None, rng: random.Random
) -> int:
    """Write `rows` update records for the milestones, as if officers had edited them."""
    Historical = Milestone.history.model
    fields = [field.attname for field in Milestone._meta.concrete_fields]
    start = datetime.datetime(2025, 1, 22, 9, tzinfo=datetime.UTC)  # the Directions date
    span = (timezone.now() - start).total_seconds()
    user_id = getattr(user, "pk", None)

    def records() -> Iterator[object]:
        for i in range(rows):
            milestone = milestones[i % len(milestones)]
            values = {name: getattr(milestone, name) for name in fields}
            values["rag"] = rng.choice(RAG.values)
            values["percent_complete"] = rng.randrange(0, 101, 5)
            values["commentary"] = rng.choice(COMMENTARY)
            values["version"] = milestone.version + 1 + i // len(milestones)
            yield Historical(
                **values,
                history_date=start + datetime.timedelta(seconds=rng.uniform(0, span)),
                history_type="~",
                history_user_id=user_id,
                history_change_reason="Synthetic update",
            )

    written = 0
    batch: list[object] = []
    for record in records():
        batch.append(record)
        if len(batch) == BATCH:
            written += _insert(Historical, batch)
            batch = []
    if batch:
        written += _insert(Historical, batch)
    return written


def _insert(model: Any, batch: list[object]) -> int:
    """`model` is a history record class, which simple-history builds at run time."""
    with transaction.atomic():
        model.objects.bulk_create(batch, batch_size=BATCH)
    return len(batch)
