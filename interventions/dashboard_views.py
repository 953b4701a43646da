"""The intervention dashboard: the page an Envoy opens first."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from interventions.dashboard import dashboard_context
from interventions.deadlines import STATE_TAG_COLOURS
from interventions.generic import crumbs_for, get_intervention
from interventions.widgets import DateInput


class AsOfForm(forms.Form):
    on = forms.DateField(
        required=False,
        label="Show the dashboard as of",
        help_text="Leave empty for today.",
        widget=DateInput(),
    )


def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    intervention = get_intervention(request, slug)
    today = timezone.localdate()
    form = AsOfForm(request.GET or None)
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or today
    context = {
        "intervention": intervention,
        "section": "dashboard",
        "crumbs": crumbs_for(intervention),
        "form": form,
        "on": on,
        "today": today,
        "tag_colours": STATE_TAG_COLOURS,
        **dashboard_context(intervention, on),
    }
    return render(request, "interventions/dashboard.html", context)
