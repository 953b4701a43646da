"""The exit readiness page ("could this council exit, and what stands in the way", as of a
day) and the form on which the oversight records its judgement of a theme."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from interventions.kit.as_of import AS_OF
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.kit.widgets import DateInput, GovukRadioSelect
from interventions.models import Intervention, Theme
from reports.choices import ExitReadiness
from reports.exit_readiness import readiness
from reports.models import ExitJudgement
from reports.permissions import judging_person

SECTION = "exit"


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        required=False,
        label="Show readiness as of",
        help_text="Leave empty for today.",
        widget=DateInput(),
    )


class ExitJudgementForm(forms.ModelForm):
    """The oversight's judgement of one theme's readiness to exit."""

    class Meta:
        model = ExitJudgement
        fields = ["theme", "judgement", "judged_on", "commentary"]
        widgets = {
            "judgement": GovukRadioSelect(),
            "judged_on": DateInput(),
            "commentary": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {"judged_on": "Judged on"}
        error_messages = {
            "theme": {"required": "Choose the Best Value theme you are judging."},
            "judgement": {"required": "Choose ready, nearly ready or not ready."},
            "judged_on": {
                "required": "Enter the day it was judged.",
                "invalid": "Enter the day it was judged as a real date.",
            },
            "commentary": {"required": "Say why it was judged so."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ModelChoiceField)
        theme.queryset = Theme.objects.order_by("position")
        theme.empty_label = None
        judgement = self.fields["judgement"]
        assert isinstance(judgement, forms.ChoiceField)
        judgement.choices = ExitReadiness.choices

    def clean_judged_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["judged_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The judgement cannot be dated in the future.")
        return day


def _page_url(intervention: Intervention) -> str:
    return reverse("reports:exit_readiness", kwargs={"slug": intervention.slug})


@intervention_page
def exit_readiness(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """Each Best Value theme's readiness to exit on the day: the evidence, the blockers with
    links to their records, and the oversight's latest judgement."""
    form = AsOfForm(request.GET or None)
    today = timezone.localdate()
    on = (form.cleaned_data.get(AS_OF) if form.is_valid() else None) or today
    context = {
        "intervention": intervention,
        "section": SECTION,
        "crumbs": crumbs_for(intervention),
        "form": form,
        "on": on,
        "today": today,
        "exit": readiness(intervention, on),
        "can_judge": judging_person(request.user, intervention) is not None,
    }
    return render(request, "reports/exit_readiness.html", context)


@intervention_page
def exit_judge(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """The oversight's judgement of a theme, recorded by one of them on their own behalf;
    a new judgement supersedes the last from its own date."""
    person = judging_person(request.user, intervention)
    if person is None:
        raise PermissionDenied(
            f"Only {intervention.words.oversight_plural} judge readiness to exit intervention."
        )
    initial: dict[str, Any] = {"judged_on": timezone.localdate()}
    theme = Theme.objects.filter(slug=request.GET.get("theme", "")).first()
    if theme is not None:
        initial["theme"] = theme
    form = ExitJudgementForm(
        request.POST or None,
        instance=ExitJudgement(intervention=intervention, judged_by=person),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        judgement = form.save()
        messages.success(request, f"Judgement of {judgement.theme.name} recorded.")
        return redirect(_page_url(intervention))
    return render(
        request,
        "reports/exit_judge.html",
        {
            "intervention": intervention,
            "section": SECTION,
            "crumbs": crumbs_for(intervention, ("Readiness to exit", _page_url(intervention))),
            "form": form,
        },
    )
