"""Filters of the RAID log's list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from interventions.kit.lists import BaseFilterSet
from interventions.models import Person, Programme, Risk
from interventions.models.risks import (
    IMPACT_CHOICES,
    LIKELIHOOD_CHOICES,
    RiskBand,
    RiskKind,
    RiskStatus,
)

OVERDUE = "overdue"


def programmes(request: Any) -> QuerySet[Programme]:
    # django-filter calls it with the request, on which the list view put the intervention.
    return Programme.objects.filter(intervention=request.intervention).order_by("number")


def owners(request: Any) -> QuerySet[Person]:
    return Person.objects.filter(
        intervention=request.intervention, owned_risks__isnull=False
    ).distinct()


class RiskFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=RiskKind.choices, empty_label="Any")
    programme = django_filters.ModelChoiceFilter(
        queryset=programmes, null_label="Plan-wide (no programme)"
    )
    owner = django_filters.ModelChoiceFilter(queryset=owners)
    band = django_filters.ChoiceFilter(
        choices=RiskBand.choices, empty_label="Any", label="Residual RAG band"
    )
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, empty_label="Any")
    review = django_filters.ChoiceFilter(
        choices=[(OVERDUE, "Review overdue")],
        empty_label="Any",
        label="Review",
        method="filter_review",
    )
    likelihood = django_filters.ChoiceFilter(
        field_name="residual_likelihood",
        choices=[(str(n), label) for n, label in LIKELIHOOD_CHOICES],
        empty_label="Any",
        label="Residual likelihood",
    )
    impact = django_filters.ChoiceFilter(
        field_name="residual_impact",
        choices=[(str(n), label) for n, label in IMPACT_CHOICES],
        empty_label="Any",
        label="Residual impact",
    )

    class Meta:
        model = Risk
        fields = ["kind", "programme", "owner", "band", "status", "review", "likelihood", "impact"]

    def filter_review(self, queryset: QuerySet[Risk], name: str, value: str) -> QuerySet[Risk]:
        if value == OVERDUE:
            return queryset.filter(status=RiskStatus.OPEN, review_on__lt=timezone.localdate())
        return queryset
