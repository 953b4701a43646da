"""Filters of the Directions list.

The list shows the Directions in force on its as-of day (today unless `?as_of=` says
otherwise); superseded, revoked and expired ones, and those not yet made, only when
"Show superseded and revoked Directions" is ticked (`?superseded=1`).
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from directions import in_force
from directions.choices import Compliance, DeadlineKind, DirectionStatus
from directions.models import Direction, DirectionSet
from interventions.kit.as_of import AS_OF
from interventions.kit.lists import BaseFilterSet
from interventions.models import Theme
from interventions.plan import filters as plan_filters

SHOW_ENDED = "superseded"


def direction_sets(request: Any) -> QuerySet[DirectionSet]:
    return DirectionSet.objects.filter(intervention=request.intervention)


class DirectionFilterSet(BaseFilterSet):
    theme = django_filters.ModelChoiceFilter(
        field_name="themes", queryset=Theme.objects.all(), label="Best Value theme"
    )
    deadline_kind = django_filters.ChoiceFilter(
        choices=DeadlineKind.choices, empty_label="Any", label="Kind of deadline"
    )
    compliance = django_filters.ChoiceFilter(choices=Compliance.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(choices=DirectionStatus.choices, empty_label="Any")
    direction_set = django_filters.ModelChoiceFilter(
        queryset=direction_sets, label="Set of Directions"
    )
    as_of = plan_filters.as_of_filter("In force on")
    superseded = django_filters.BooleanFilter(
        label="Show superseded and revoked Directions",
        method=lambda queryset, name, value: queryset,  # read by `filter_queryset`
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Direction
        fields = [
            "theme",
            "deadline_kind",
            "compliance",
            "status",
            "direction_set",
            AS_OF,
            SHOW_ENDED,
        ]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        # Bound even with no query string, so that the default (in force today) applies:
        # django-filter leaves an unbound filterset's rows unfiltered.
        super().__init__(QueryDict() if data is None else data, *args, **kwargs)

    @property
    def in_force_day(self) -> datetime.date:
        """The day the list shows Directions in force on: `?as_of=`, else today."""
        if self.form.is_valid():
            return plan_filters.as_of(self)
        return timezone.localdate()

    @property
    def shows_ended(self) -> bool:
        return bool(self.form.is_valid() and self.form.cleaned_data.get(SHOW_ENDED))

    def filter_queryset(self, queryset: QuerySet[Direction]) -> QuerySet[Direction]:
        queryset = super().filter_queryset(queryset)
        if self.shows_ended:
            return queryset
        return queryset.filter(in_force.direction_in_force(self.in_force_day))
