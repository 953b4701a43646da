"""Pages of the RAID log: the list, the heat map with the top risks, a risk with its
mitigations and history, and the forms to add, edit, review and close risks and to add and
update their mitigations."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_tables2 import Table

from interventions.access.risks import can_manage_risks, can_update_risk
from interventions.kit.as_of import AS_OF
from interventions.kit.lists import ObjectListView, tag_html
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.kit.saving import versioned_edit
from interventions.kit.widgets import DateInput
from interventions.models import Intervention, Mitigation, Risk
from interventions.models.risks import (
    AMBER_FROM,
    RED_FROM,
    RISK_BAND_TAG_COLOURS,
    RISK_STATUS_TAG_COLOURS,
    RiskStatus,
    band_label,
)
from interventions.risks import services
from interventions.risks.filters import RiskFilterSet
from interventions.risks.forms import CloseForm, MitigationForm, ReviewForm, RiskForm
from interventions.risks.heatmap import caption, heat_map, top_risks
from interventions.risks.tables import RiskTable

SECTION = "risks"
TITLE = "Risks, issues and dependencies"


class RiskListView(ObjectListView):
    queryset = Risk.objects.for_list()
    intervention_field = "intervention"
    filterset_class = RiskFilterSet
    table_class = RiskTable
    title = TITLE
    item_name = "entries"
    item_name_one = "entry"
    section = SECTION
    template_name = "risks/risk_list.html"

    def get_table(self, **kwargs: Any) -> Table:
        table = super().get_table(**kwargs)
        table.today = timezone.localdate()
        return table

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assert self.intervention is not None  # a page inside an intervention
        context["can_manage"] = can_manage_risks(self.request.user, self.intervention)
        context["red_from"], context["amber_from"] = RED_FROM, AMBER_FROM
        return context


def list_url(intervention: Intervention, **params: object) -> str:
    url = reverse("interventions:risk_list", kwargs={"slug": intervention.slug})
    return f"{url}?{urlencode(params)}" if params else url


def _risk(intervention: Intervention, pk: int) -> Risk:
    return get_object_or_404(Risk.objects.for_list(), intervention=intervention, pk=pk)


def _crumbs(intervention: Intervention, risk: Risk | None = None) -> list[tuple[str, str]]:
    more = [(TITLE, list_url(intervention))]
    if risk is not None:
        more.append((str(risk), risk.get_absolute_url()))
    return crumbs_for(intervention, *more)


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        required=False,
        label="Show the log as of",
        help_text="Leave empty for today.",
        widget=DateInput(),
    )


@intervention_page
def risk_heatmap(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """The heat maps (residual and inherent) of the open risks and the top risks, as of a
    day: read from the audit trail, as the dashboard and the reports read them."""
    form = AsOfForm(request.GET or None)
    today = timezone.localdate()
    on = (form.cleaned_data.get(AS_OF) if form.is_valid() else None) or today
    risks = services.risks_as_of(intervention, on)

    def cell_url(likelihood: int, impact: int) -> str:
        # The list shows the log as it is now; a cell of today's map lists its risks.
        return list_url(intervention, status="open", likelihood=likelihood, impact=impact)

    residual = heat_map(
        risks,
        caption(on),
        url=cell_url if on == today else None,
    )
    inherent = heat_map(
        risks,
        caption(on, "inherent"),
        which="inherent",
    )
    top = top_risks(risks)
    owners = {p.pk: p for p in intervention.people.all()} if top else {}
    programmes = {p.pk: p for p in intervention.programmes.all()} if top else {}
    return render(
        request,
        "risks/risk_heatmap.html",
        {
            "intervention": intervention,
            "section": SECTION,
            "crumbs": _crumbs(intervention),
            "form": form,
            "on": on,
            "today": today,
            "residual": residual,
            "inherent": inherent,
            "top": [
                {
                    "risk": r,
                    "owner": owners.get(r.owner_id),
                    "programme": programmes.get(r.programme_id),
                    "score": r.residual_likelihood * r.residual_impact,
                    "band": r.band,
                    "band_label": r.get_band_display().split(" ")[0],
                    "overdue": r.review_on is not None and r.review_on < on,
                }
                for r in top
            ],
            "band_colours": RISK_BAND_TAG_COLOURS,
            "red_from": RED_FROM,
            "amber_from": AMBER_FROM,
        },
    )


@intervention_page
def risk_detail(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    risk = _risk(intervention, pk)
    today = timezone.localdate()
    can_update = can_update_risk(request.user, risk)
    mitigations = list(risk.mitigations.select_related("owner").order_by("done_on", "due_on", "pk"))
    return render(
        request,
        "risks/risk_detail.html",
        {
            "intervention": intervention,
            "section": SECTION,
            "crumbs": _crumbs(intervention),
            "risk": risk,
            "today": today,
            "review_overdue": risk.review_overdue(today),
            "band_tag": tag_html(
                risk.band, RISK_BAND_TAG_COLOURS, label=band_label(risk.band).split(" ")[0]
            ),
            "inherent_band_tag": tag_html(
                risk.inherent_band,
                RISK_BAND_TAG_COLOURS,
                label=band_label(risk.inherent_band).split(" ")[0],
            ),
            "mitigations": [{"mitigation": m, "overdue": m.overdue(today)} for m in mitigations],
            "can_update": can_update,
            "history": services.risk_history(risk),
            "band_colours": RISK_BAND_TAG_COLOURS,
            "status_colours": RISK_STATUS_TAG_COLOURS,
            "red_from": RED_FROM,
            "amber_from": AMBER_FROM,
        },
    )


def _form_page(
    request: HttpRequest,
    intervention: Intervention,
    risk: Risk | None,
    template: str,
    form: Any,
    **extra: Any,
) -> Any:
    def page(stale: Any) -> HttpResponse:
        return render(
            request,
            template,
            {
                "intervention": intervention,
                "section": SECTION,
                "crumbs": _crumbs(intervention, risk),
                "risk": risk,
                "form": form,
                "stale": stale,
                **extra,
            },
        )

    return page


@intervention_page
def risk_create(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    if not can_manage_risks(request.user, intervention):
        raise PermissionDenied("Only the improvement team adds to the log.")
    form = RiskForm(
        request.POST or None, instance=Risk(intervention=intervention), intervention=intervention
    )
    if request.method == "POST" and form.is_valid():
        created = form.save()
        messages.success(request, f"{created.get_kind_display()} {created.reference} added.")
        return redirect(created.get_absolute_url())
    return _form_page(request, intervention, None, "risks/risk_form.html", form)(None)


def _refuse_unless_updater(request: HttpRequest, risk: Risk) -> None:
    if not can_update_risk(request.user, risk):
        raise PermissionDenied("Only the risk's owner or the improvement team update it.")


@intervention_page
def risk_edit(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    risk = _risk(intervention, pk)
    _refuse_unless_updater(request, risk)
    form = RiskForm(request.POST or None, instance=risk, intervention=intervention)
    return versioned_edit(
        request,
        form,
        reason=lambda: "Risk edited",
        message="Saved.",
        done=risk.get_absolute_url(),
        page=_form_page(request, intervention, risk, "risks/risk_form.html", form),
    )


@intervention_page
def risk_review(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    risk = _risk(intervention, pk)
    _refuse_unless_updater(request, risk)
    if not risk.is_open:
        messages.info(request, "This risk is closed: it is not reviewed any more.")
        return redirect(risk.get_absolute_url())
    form = ReviewForm(request.POST or None, instance=risk)

    def reason() -> str:
        note = form.cleaned_data.get("note", "").strip()
        day = form.cleaned_data["reviewed_on"]
        return f"Reviewed {day.day} {day:%b %Y}" + (f": {note}" if note else "")

    return versioned_edit(
        request,
        form,
        reason=reason,
        message="Review recorded.",
        done=risk.get_absolute_url(),
        page=_form_page(request, intervention, risk, "risks/risk_review.html", form),
    )


@intervention_page
def risk_close(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    risk = _risk(intervention, pk)
    _refuse_unless_updater(request, risk)
    if risk.status == RiskStatus.CLOSED:
        messages.info(request, "This risk is already closed.")
        return redirect(risk.get_absolute_url())
    form = CloseForm(request.POST or None, instance=risk)
    return versioned_edit(
        request,
        form,
        reason=lambda: f"Closed: {form.cleaned_data['closure_note'][:200]}",
        message="Closed.",
        done=risk.get_absolute_url(),
        page=_form_page(request, intervention, risk, "risks/risk_close.html", form),
    )


def _mitigation_page(
    request: HttpRequest, intervention: Intervention, risk: Risk, mitigation: Mitigation
) -> HttpResponse:
    _refuse_unless_updater(request, risk)
    adding = mitigation.pk is None
    form = MitigationForm(request.POST or None, instance=mitigation, risk=risk)
    page = _form_page(
        request,
        intervention,
        risk,
        "risks/mitigation_form.html",
        form,
        mitigation=None if adding else mitigation,
    )
    if adding:
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, "Mitigation added.")
            return redirect(risk.get_absolute_url())
        return page(None)
    return versioned_edit(
        request,
        form,
        reason=lambda: "Mitigation updated",
        message="Mitigation saved.",
        done=risk.get_absolute_url(),
        page=page,
    )


@intervention_page
def mitigation_add(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    risk = _risk(intervention, pk)
    return _mitigation_page(request, intervention, risk, Mitigation(risk=risk))


@intervention_page
def mitigation_edit(
    request: HttpRequest, intervention: Intervention, pk: int, mitigation: int
) -> HttpResponse:
    risk = _risk(intervention, pk)
    row = get_object_or_404(Mitigation, risk=risk, pk=mitigation)
    return _mitigation_page(request, intervention, risk, row)


def overdue_reviews_url(intervention: Intervention, today: datetime.date) -> str:
    """The list of the intervention's open risks whose review is overdue."""
    return list_url(intervention, review="overdue")
