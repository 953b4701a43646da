"""Filters of the boards and recommendations lists."""

import django_filters

from boards.choices import BoardKind, RecommendationSource, RecommendationStatus
from boards.models import Board, Recommendation
from interventions.filters import YES_NO
from interventions.generic import BaseFilterSet


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

    class Meta:
        model = Recommendation
        fields = ["source", "status", "answered"]
