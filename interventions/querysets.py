"""Domain queries: who may see what, and the shapes list pages need."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import models

from interventions.choices import MilestoneSchedule, WorkStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

ADMINISTRATOR_GROUP = "Administrator"


def sees_everything(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Superusers and the Administrator group see every intervention."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(group.name == ADMINISTRATOR_GROUP for group in user.groups.all())


class InterventionQuerySet(models.QuerySet):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> InterventionQuerySet:
        """The interventions a user may see: those where they are a named person."""
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(people__user=user).distinct()


class ProgrammeQuerySet(models.QuerySet):
    def for_list(self) -> ProgrammeQuerySet:
        return self.select_related("intervention", "aim", "sponsor", "sro", "lead_member").annotate(
            milestone_count=models.Count("milestones", distinct=True)
        )


class MilestoneQuerySet(models.QuerySet):
    def for_list(self) -> MilestoneQuerySet:
        return self.select_related("programme", "programme__intervention")

    def with_schedule(self, on: datetime.date) -> MilestoneQuerySet:
        """Annotate `schedule`: a `MilestoneSchedule` value as things stand on the day `on`.

        Complete and cancelled come from the status. An open milestone is overdue once its
        forecast end (else its baseline end) has passed, as `Milestone.is_overdue` says;
        otherwise it has slipped if its forecast end is later than its baseline end, and is
        on track if not.
        """
        overdue = models.Q(forecast_end__lt=on) | models.Q(
            forecast_end__isnull=True, baseline_end__lt=on
        )
        return self.annotate(
            schedule=models.Case(
                models.When(
                    status=WorkStatus.COMPLETE, then=models.Value(MilestoneSchedule.COMPLETE)
                ),
                models.When(
                    status=WorkStatus.CANCELLED, then=models.Value(MilestoneSchedule.CANCELLED)
                ),
                models.When(overdue, then=models.Value(MilestoneSchedule.OVERDUE)),
                models.When(
                    forecast_end__gt=models.F("baseline_end"),
                    then=models.Value(MilestoneSchedule.SLIPPED),
                ),
                default=models.Value(MilestoneSchedule.ON_TRACK),
                output_field=models.CharField(),
            )
        )


class AppointmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date) -> AppointmentQuerySet:
        """Appointments held on the given day (an empty start or end is open)."""
        return self.filter(
            models.Q(starts_on__isnull=True) | models.Q(starts_on__lte=on),
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on),
        )


def schedule_of(milestone: Any, on: datetime.date) -> MilestoneSchedule:
    """Where a milestone (or a history record of one) stands against its dates on `on`: the
    same rule as `MilestoneQuerySet.with_schedule`, for rows already in memory."""
    if milestone.status == WorkStatus.COMPLETE:
        return MilestoneSchedule.COMPLETE
    if milestone.status == WorkStatus.CANCELLED:
        return MilestoneSchedule.CANCELLED
    due = milestone.forecast_end or milestone.baseline_end
    if due is not None and due < on:
        return MilestoneSchedule.OVERDUE
    forecast, baseline = milestone.forecast_end, milestone.baseline_end
    if forecast and baseline and forecast > baseline:
        return MilestoneSchedule.SLIPPED
    return MilestoneSchedule.ON_TRACK
