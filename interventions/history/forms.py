"""The What changed page's form: the dates, person, programme, theme and kind of change it lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from interventions.access import roles
from interventions.history.timeline import KINDS, user_name
from interventions.kit.forms import field_of
from interventions.kit.widgets import DateInput
from interventions.models import Intervention, Programme, Theme


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return user_name(obj)


class WhatChangedForm(forms.Form):
    """The date range and filters of the "What changed" page."""

    from_date = forms.DateField(label="From", widget=DateInput())
    to_date = forms.DateField(label="To", widget=DateInput())
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.none(), required=False, empty_label="Any"
    )
    person = PersonChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Anyone",
        label="Changed by",
    )
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(), required=False, empty_label="Any", label="Best Value theme"
    )
    kind = forms.ChoiceField(choices=[("", "Any"), *KINDS], required=False, label="Kind of change")

    def __init__(self, *args: Any, intervention: Intervention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "programme", forms.ModelChoiceField).queryset = Programme.objects.filter(
            intervention=intervention
        )
        person = field_of(self, "person", forms.ModelChoiceField)
        person.queryset = people_who_may_change(intervention)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("from_date"), data.get("to_date")
        if start and end and start > end:
            self.add_error("to_date", "The end of the range must be on or after its start")
        return data


def people_who_may_change(intervention: Intervention) -> QuerySet:
    """Users named in the intervention, and administrators (who may change anything)."""
    User = get_user_model()
    return (
        User.objects.filter(
            Q(people__intervention=intervention)
            | Q(is_superuser=True)
            | Q(groups__name=roles.ADMINISTRATOR)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
