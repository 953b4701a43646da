"""Filters of the intervention list, programmes and milestones."""

import django_filters
from django import forms

from interventions.choices import RAG, InterventionModel, InterventionStatus, Phase, WorkStatus
from interventions.generic import BaseFilterSet
from interventions.models import Intervention, Milestone, Programme, StrategicAim, Theme

YES_NO = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])


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

    class Meta:
        model = Programme
        fields = ["aim", "phase", "rag", "status", "theme", "required"]


class MilestoneFilterSet(BaseFilterSet):
    programme = django_filters.ModelChoiceFilter(queryset=programmes)
    status = django_filters.ChoiceFilter(choices=WorkStatus.choices, empty_label="Any")
    rag = django_filters.ChoiceFilter(choices=RAG.choices, empty_label="Any", label="RAG")

    class Meta:
        model = Milestone
        fields = ["programme", "status", "rag"]
