"""Filters of the boards and recommendations lists."""

from typing import Any

import django_filters
from django.db.models import QuerySet

from boards.choices import BoardKind, RecommendationSource, RecommendationStatus
from boards.models import Board, Recommendation, response_overdue
from interventions.kit.as_of import AS_OF
from interventions.kit.lists import BaseFilterSet
from interventions.plan.filters import YES_NO, as_of, as_of_filter


class BoardFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=BoardKind.choices, empty_label="Any")

    class Meta:
        model = Board
        fields = ["kind"]


class RecommendationFilterSet(BaseFilterSet):
    source = django_filters.ChoiceFilter(choices=RecommendationSource.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(choices=RecommendationStatus.choices, empty_label="Any")
    answered = django_filters.BooleanFilter(
        field_name="responded_on", lookup_expr="isnull", exclude=True, widget=YES_NO
    )
    overdue = django_filters.BooleanFilter(
        label="Response overdue", widget=YES_NO, method="filter_overdue"
    )
    as_of = as_of_filter("Overdue as of")

    class Meta:
        model = Recommendation
        fields = ["source", "status", "answered", "overdue", AS_OF]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The sources as the intervention's model names them (no "Envoys' stocktake" in a
        # Commissioners intervention).
        intervention = getattr(self.request, "intervention", None)
        if intervention is not None:
            self.filters["source"].extra["choices"] = intervention.words.source_choices(
                RecommendationSource.choices
            )

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        overdue = response_overdue(as_of(self))
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
