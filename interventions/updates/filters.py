"""Filters of the change requests list."""

from __future__ import annotations

import django_filters

from interventions.choices import ChangeKind, ChangeStatus
from interventions.kit.lists import (
    BaseFilterSet,
)
from interventions.models import ChangeRequest


class ChangeRequestFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=ChangeStatus.choices, empty_label="Any")
    kind = django_filters.ChoiceFilter(
        choices=ChangeKind.choices, empty_label="Any", label="Kind of change"
    )

    programme = django_filters.NumberFilter(
        field_name="milestone__programme__number", label="Programme number"
    )

    class Meta:
        model = ChangeRequest
        fields = ["status", "kind", "programme"]
