"""Filters of the intervention list, programmes and milestones."""

import datetime
from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from interventions.choices import (
    RAG,
    InterventionModel,
    InterventionStatus,
    MilestoneSchedule,
    Phase,
    SlipBaseline,
    WorkStatus,
)
from interventions.kit.as_of import AS_OF
from interventions.kit.lists import BaseFilterSet
from interventions.kit.widgets import DateInput
from interventions.models import Intervention, Milestone, Programme, StrategicAim, Theme
from interventions.querysets import MilestoneQuerySet

YES_NO = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])


def as_of_filter(label: str) -> django_filters.DateFilter:
    """The day a date-dependent filter ("overdue") is worked out for; empty means today.

    It narrows nothing by itself: the filters that depend on it read it.
    """
    return django_filters.DateFilter(
        method=lambda queryset, name, value: queryset,
        label=label,
        help_text="Leave empty for today.",
        widget=DateInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )


def as_of(filterset: django_filters.FilterSet) -> datetime.date:
    return filterset.form.cleaned_data.get(AS_OF) or timezone.localdate()


def aims(request):
    return StrategicAim.objects.filter(intervention=request.intervention)


def programmes(request):
    return Programme.objects.filter(intervention=request.intervention)


class InterventionFilterSet(BaseFilterSet):
    model = django_filters.ChoiceFilter(choices=InterventionModel.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(choices=InterventionStatus.choices, empty_label="Any")

    class Meta:
        model = Intervention
        fields = ["model", "status"]


class ProgrammeFilterSet(BaseFilterSet):
    aim = django_filters.ModelChoiceFilter(queryset=aims)
    phase = django_filters.ChoiceFilter(choices=Phase.choices, empty_label="Any")
    rag = django_filters.ChoiceFilter(choices=RAG.choices, empty_label="Any", label="RAG")
    status = django_filters.ChoiceFilter(choices=WorkStatus.choices, empty_label="Any")
    theme = django_filters.ModelChoiceFilter(
        field_name="themes", queryset=Theme.objects.all(), label="Best Value theme"
    )
    required = django_filters.BooleanFilter(
        field_name="required_by_directions", label="Required by Directions", widget=YES_NO
    )
    # Read by the list view, which leaves closed programmes out unless this says "Yes": a
    # filter's method runs only when the form has data, and the list opens without any.
    closed = django_filters.BooleanFilter(
        label="Show closed programmes",
        method=lambda queryset, name, value: queryset,
        widget=forms.Select(choices=[("", "No"), ("true", "Yes")]),
    )

    class Meta:
        model = Programme
        fields = ["aim", "phase", "rag", "status", "theme", "required", "closed"]

    @staticmethod
    def shows_closed(data: Mapping[str, Any]) -> bool:
        return data.get("closed") == "true"


class MilestoneFilterSet(BaseFilterSet):
    programme = django_filters.ModelChoiceFilter(queryset=programmes)
    status = django_filters.ChoiceFilter(choices=WorkStatus.choices, empty_label="Any")
    rag = django_filters.ChoiceFilter(choices=RAG.choices, empty_label="Any", label="RAG")
    schedule = django_filters.ChoiceFilter(
        choices=MilestoneSchedule.choices,
        empty_label="Any",
        label="Against its dates",
        method="filter_schedule",
    )
    # Read by `filter_schedule`: by itself it narrows nothing.
    against = django_filters.ChoiceFilter(
        choices=SlipBaseline.choices,
        empty_label=None,
        label="Slipped against",
        help_text="The original baseline is the first end agreed; approving a slip through "
        "change control moves the last approved baseline, never the original.",
        method=lambda queryset, name, value: queryset,
    )
    as_of = as_of_filter("Dates as of")

    class Meta:
        model = Milestone
        fields = ["programme", "status", "rag", "schedule", "against", AS_OF]

    def filter_schedule(
        self, queryset: MilestoneQuerySet, name: str, value: str
    ) -> QuerySet[Milestone]:
        return queryset.with_schedule(as_of(self), against(self)).filter(schedule=value)


def against(filterset: django_filters.FilterSet) -> str:
    """The baseline slips are measured against: the original one unless the list asks."""
    return filterset.form.cleaned_data.get("against") or SlipBaseline.ORIGINAL
