"""Filters of the Directions list."""

import django_filters

from directions.choices import Compliance, DeadlineKind, DirectionStatus
from directions.models import Direction, DirectionSet
from interventions.kit.lists import BaseFilterSet
from interventions.models import Theme


def direction_sets(request):
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

    class Meta:
        model = Direction
        fields = ["theme", "deadline_kind", "compliance", "status", "direction_set"]
