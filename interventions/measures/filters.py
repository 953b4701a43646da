"""Filters of the success measures list."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from interventions.choices import OFF_TARGET, MeasureAgreement, MeasureStanding
from interventions.kit.as_of import AS_OF
from interventions.kit.lists import BaseFilterSet
from interventions.kit.widgets import DateInput
from interventions.models import Measure, Person, Programme, StrategicAim, Theme


def aims(request: Any) -> QuerySet[StrategicAim]:
    # django-filter calls it with the request, on which the list view put the intervention.
    return StrategicAim.objects.filter(intervention=request.intervention)


def programmes(request: Any) -> QuerySet[Programme]:
    return Programme.objects.filter(intervention=request.intervention)


def owners(request: Any) -> QuerySet[Person]:
    return Person.objects.filter(
        intervention=request.intervention, owned_measures__isnull=False
    ).distinct()


OFF_TARGET_CHOICE = "off_target"


def standing_ids(measures: QuerySet[Measure], on: datetime.date, rag: str) -> list[int]:
    """The measures of `measures` whose RAG against target on `on` is `rag` (or amber or
    red, for `OFF_TARGET_CHOICE`): worked out from each measure's readings in Python, since
    an intervention has tens of measures, not thousands."""
    wanted = set(OFF_TARGET) if rag == OFF_TARGET_CHOICE else {rag}
    rows = measures.prefetch_related("readings")
    return [m.pk for m in rows if m.standing_on(on, list(m.readings.all())).rag in wanted]


class MeasureFilterSet(BaseFilterSet):
    theme = django_filters.ModelChoiceFilter(queryset=Theme.objects.all(), label="Best Value theme")
    aim = django_filters.ModelChoiceFilter(queryset=aims, label="Strategic aim")
    programme = django_filters.ModelChoiceFilter(queryset=programmes)
    owner = django_filters.ModelChoiceFilter(queryset=owners)
    agreement = django_filters.ChoiceFilter(
        choices=MeasureAgreement.choices, empty_label="Any", label="Agreed or proposed"
    )
    standing = django_filters.ChoiceFilter(
        choices=[*MeasureStanding.choices, (OFF_TARGET_CHOICE, "Off target: amber or red")],
        empty_label="Any",
        label="RAG against target",
        method="filter_standing",
    )
    as_of = django_filters.DateFilter(
        method=lambda queryset, name, value: queryset,
        label="RAG as of",
        help_text="Leave empty for today.",
        widget=DateInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )

    class Meta:
        model = Measure
        fields = ["theme", "aim", "programme", "owner", "agreement", "standing", AS_OF]

    def on(self) -> datetime.date:
        data = getattr(self.form, "cleaned_data", {}) or {}
        day: datetime.date | None = data.get(AS_OF)
        return day or timezone.localdate()

    def filter_standing(
        self, queryset: QuerySet[Measure], name: str, value: str
    ) -> QuerySet[Measure]:
        return queryset.filter(pk__in=standing_ids(queryset, self.on(), value))
