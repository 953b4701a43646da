"""Filters of the portfolio: which interventions, and the day they are shown as of.

The choices offer only what the user's own interventions hold (their authorities); the
as-of day narrows nothing, every figure of every row is read as of it.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from interventions.choices import InterventionModel, InterventionStatus
from interventions.kit.as_of import AS_OF
from interventions.kit.lists import BaseFilterSet
from interventions.models import Authority, Intervention
from interventions.plan.filters import as_of_filter

OVERDUE = "overdue"


def authorities(request: Any) -> QuerySet[Authority]:
    """The authorities of the interventions the user may see, and no other."""
    if request is None:
        return Authority.objects.none()
    visible = Intervention.objects.visible_to(request.user)
    return Authority.objects.filter(pk__in=visible.values("authority_id")).order_by("name")


class PortfolioFilterSet(BaseFilterSet):
    authority = django_filters.ModelChoiceFilter(queryset=authorities, label="Authority")
    model = django_filters.ChoiceFilter(
        choices=InterventionModel.choices, label="Model", empty_label="Any"
    )
    status = django_filters.ChoiceFilter(
        choices=InterventionStatus.choices, label="Status", empty_label="Any"
    )
    overdue = django_filters.BooleanFilter(
        label="Only those with overdue deadlines",
        # Read by the view, once the deadlines are worked out (they are not in the database).
        method=lambda queryset, name, value: queryset,
        widget=forms.CheckboxInput,
    )
    as_of = as_of_filter("As of")

    class Meta:
        model = Intervention
        fields = ["authority", "model", "status", OVERDUE, AS_OF]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        # Bound even with no query string, so that the as-of day defaults to today.
        super().__init__(QueryDict() if data is None else data, *args, **kwargs)

    @property
    def day(self) -> datetime.date:
        """The day the rows are shown as of: `?as_of=`, else today."""
        if self.form.is_valid():
            return self.form.cleaned_data.get(AS_OF) or timezone.localdate()
        return timezone.localdate()

    @property
    def overdue_only(self) -> bool:
        return bool(self.form.is_valid() and self.form.cleaned_data.get(OVERDUE))
