"""Domain queries: who may see what, and the shapes list pages need."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db import models
from django.db.models.functions import Coalesce

from interventions import schedule
from interventions.choices import DatePrecision, SlipBaseline

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django_stubs_ext import WithAnnotations

    # Intervention, Programme and Appointment are named in the quoted bases below.
    from interventions.models import (  # noqa: F401
        Appointment,
        Intervention,
        Milestone,
        Programme,
        StrategicAim,
    )


class Scheduled(TypedDict):
    """What `MilestoneQuerySet.with_schedule` annotates."""

    schedule: str


class Due(TypedDict):
    """What `MilestoneQuerySet.with_due` annotates."""

    due: datetime.date


ADMINISTRATOR_GROUP = "Administrator"


# Each request's user learns its groups once: their names, kept on the user object.
_GROUP_NAMES = "_stocktake_group_names"


def group_names(user: User | AnonymousUser) -> frozenset[str]:
    """The names of the user's groups (their roles): one query, then kept on the request's
    user object, since every permission rule asks."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, _GROUP_NAMES, None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, _GROUP_NAMES, cached)
    return cached


def sees_everything(user: User | AnonymousUser) -> bool:
    """Superusers and the Administrator group see every intervention."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or ADMINISTRATOR_GROUP in group_names(user)


class InterventionQuerySet(models.QuerySet["Intervention"]):
    def visible_to(self, user: User | AnonymousUser) -> InterventionQuerySet:
        """The interventions a user may see: those where they are a named person."""
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(people__user=user).distinct()


def _open_on(day: datetime.date) -> models.Q:
    """Part of the plan on `day`: opened by then (or from the start) and not yet closed."""
    return (models.Q(opened_on__isnull=True) | models.Q(opened_on__lte=day)) & (
        models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=day)
    )


class StrategicAimQuerySet(models.QuerySet["StrategicAim"]):
    def open_on(self, day: datetime.date) -> StrategicAimQuerySet:
        """The aims that were part of the plan on `day`."""
        return self.filter(_open_on(day))


def _related_model(model: type[models.Model], name: str) -> type[models.Model]:
    """The model at the other end of a relation (models.py imports this module, not the
    other way round)."""
    related = model._meta.get_field(name).related_model
    assert isinstance(related, type)
    return related


def _milestone_count(milestone: type[models.Model]) -> models.Func:
    """How many milestones a programme has, as a subquery: a COUNT over a join would group by
    every column of the six tables the list selects, which PostgreSQL took 9 ms to plan."""
    milestones = (
        milestone._default_manager.filter(programme=models.OuterRef("pk"))
        .order_by()
        .annotate(n=models.Func(models.F("pk"), function="COUNT"))
        .values("n")
    )
    return Coalesce(models.Subquery(milestones, output_field=models.IntegerField()), 0)


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def for_list(self) -> ProgrammeQuerySet:
        return self.select_related(
            "intervention", "aim", "sponsor", "sro", "lead_member", "merged_into"
        ).annotate(milestone_count=_milestone_count(_related_model(self.model, "milestones")))

    def with_former_number(self, intervention: Intervention, number: int) -> Programme | None:
        """The programme of `intervention` that last had `number` before it was renumbered
        (by when the renumbering was recorded), or None if none ever had it."""
        history = self.model.history.model
        record = (
            history.objects.filter(intervention_id=intervention.pk, number=number)
            .order_by("-history_date", "-history_id")
            .first()
        )
        if record is None:
            return None
        return self.select_related("intervention").filter(pk=record.id).first()

    def open_on(self, day: datetime.date) -> ProgrammeQuerySet:
        """The programmes that were part of the plan on `day`: a programme closed (or merged)
        on a day is no longer part of it from that day."""
        return self.filter(_open_on(day))


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    def for_list(self) -> MilestoneQuerySet:
        return self.select_related("programme", "programme__intervention")

    # `self` is annotated in these two so that django-stubs' plugin can type what `annotate`
    # returns: milestones with the annotation.
    def with_schedule(
        self: MilestoneQuerySet, on: datetime.date, against: str = SlipBaseline.ORIGINAL
    ) -> models.QuerySet[WithAnnotations[Milestone, Scheduled]]:
        """Annotate `schedule`: a `MilestoneSchedule` value as things stand on the day `on`,
        slips measured `against` a baseline (the rule is `interventions.schedule`)."""
        return self.annotate(schedule=schedule.schedule_case(on, against))

    def with_due(self: MilestoneQuerySet) -> models.QuerySet[WithAnnotations[Milestone, Due]]:
        """Annotate `due`: the forecast end, else the baseline end."""
        return self.annotate(due=schedule.due_expression())


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def current(self, on: datetime.date) -> AppointmentQuerySet:
        """Appointments held on the given day (an empty start or end is open). An end known
        only to the month or the year ("left in January 2024", stored as its first day) is
        held to the end of that month or year."""
        month_start = on.replace(day=1)
        year_start = on.replace(month=1, day=1)
        return self.filter(
            models.Q(starts_on__isnull=True) | models.Q(starts_on__lte=on),
            models.Q(ends_on__isnull=True)
            | models.Q(ends_on_precision=DatePrecision.DAY, ends_on__gte=on)
            | models.Q(ends_on_precision=DatePrecision.MONTH, ends_on__gte=month_start)
            | models.Q(ends_on_precision=DatePrecision.YEAR, ends_on__gte=year_start),
        )
