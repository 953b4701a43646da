"""Pages of expectations: the list, one with its history, and the forms to record, edit,
answer and judge it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_tables2 import Table

from interventions.kit.as_of import read_as_of
from interventions.kit.changes import changes
from interventions.kit.lists import ObjectListView
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.kit.saving import StaleEdit, keep_input_at, versioned_edit
from interventions.models import Evidence, Intervention, Person, Programme, Theme
from interventions.models.base import create_with_links
from reports import expectations as services
from reports.choices import EXPECTATION_STATE_TAG_COLOURS
from reports.expectation_forms import AnswerForm, ExpectationForm, JudgementForm
from reports.expectation_lists import ExpectationFilterSet, ExpectationTable, set_by
from reports.models import Expectation, Report
from reports.permissions import (
    can_answer_expectation,
    can_judge_expectation,
    can_manage_expectations,
    judging_person,
)

SECTION = "expectations"


class ExpectationListView(ObjectListView):
    queryset = Expectation.objects.for_list()
    intervention_field = "intervention"
    filterset_class = ExpectationFilterSet
    table_class = ExpectationTable
    title = "Expectations"
    item_name = "expectations"
    section = SECTION
    template_name = "expectations/expectation_list.html"

    def on(self) -> datetime.date:
        return read_as_of(self.request)

    def get_queryset(self) -> QuerySet[Expectation]:
        # Only what had been set by the day: its report issued by then.
        return super().get_queryset().filter(set_by(self.on()))

    def get_table(self, **kwargs: Any) -> Table:
        table = super().get_table(**kwargs)
        table.on = self.on()
        return table

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assert self.intervention is not None  # a page inside an intervention
        context["on"] = self.on()
        context["today"] = timezone.localdate()
        context["can_manage"] = can_manage_expectations(self.request.user, self.intervention)
        return context


def _list_url(intervention: Intervention) -> str:
    return reverse("reports:expectation_list", kwargs={"slug": intervention.slug})


def _expectation(intervention: Intervention, pk: int) -> Expectation:
    return get_object_or_404(Expectation.objects.for_list(), intervention=intervention, pk=pk)


def _crumbs(
    intervention: Intervention, expectation: Expectation | None = None
) -> list[tuple[str, str]]:
    more = [("Expectations", _list_url(intervention))]
    if expectation is not None:
        more.append((f"Paragraph {expectation.paragraph}", expectation.get_absolute_url()))
    return crumbs_for(intervention, *more)


@intervention_page
def expectation_detail(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    expectation = _expectation(intervention, pk)
    user = request.user
    today = timezone.localdate()
    state = services.state_of(expectation, today)
    context = {
        "intervention": intervention,
        "section": SECTION,
        "crumbs": _crumbs(intervention),
        "expectation": expectation,
        "state": state,
        "state_colours": EXPECTATION_STATE_TAG_COLOURS,
        "evidence": list(expectation.evidence.select_related("programme")),
        "can_manage": can_manage_expectations(user, intervention),
        "can_answer": can_answer_expectation(user, expectation),
        "can_judge": can_judge_expectation(user, expectation),
        "history": expectation_history(expectation),
    }
    return render(request, "expectations/expectation_detail.html", context)


def expectation_history(expectation: Expectation) -> list[dict[str, Any]]:
    """The expectation's recorded changes, newest first: when, who, what."""
    intervention = expectation.intervention
    # How the history names the rows it links to (people, reports), not by their ids.
    names: dict[tuple[type, Any], str] = {
        (Person, p.pk): p.name or p.post for p in intervention.people.all()
    }
    names.update({(Report, r.pk): r.title for r in intervention.reports.all()})
    names.update({(Programme, p.pk): str(p) for p in intervention.programmes.all()})
    names.update({(Theme, t.pk): t.name for t in Theme.objects.all()})
    names.update({(Evidence, e.pk): e.title for e in intervention.evidence.all()})
    entries: list[dict[str, Any]] = []
    before = None
    records = Expectation.history.filter(id=expectation.pk).select_related("history_user")
    for record in records.order_by("history_date", "history_id"):
        if record.history_type == "+":
            what = ["Recorded"]
        else:
            what = [c.sentence() for c in changes(record, before, names)]
        before = record
        if not what:
            continue
        user = record.history_user
        entries.append(
            {
                "when": record.history_date,
                "valid_from": record.valid_from,
                "who": (user.get_full_name() or user.get_username()) if user else "",
                "reason": record.history_change_reason or "",
                "what": what,
            }
        )
    return list(reversed(entries))


def _form_page(
    request: HttpRequest, intervention: Intervention, expectation: Expectation | None
) -> HttpResponse:
    if not can_manage_expectations(request.user, intervention):
        raise PermissionDenied("Only the improvement team records expectations.")
    instance = expectation or Expectation(intervention=intervention)
    form = ExpectationForm(request.POST or None, instance=instance, intervention=intervention)

    def page(stale: StaleEdit | None) -> HttpResponse:
        return render(
            request,
            "expectations/expectation_form.html",
            {
                "intervention": intervention,
                "section": SECTION,
                "crumbs": _crumbs(intervention, expectation),
                "expectation": expectation,
                "form": form,
                "stale": stale,
                "has_reports": form.fields["report"].queryset.exists(),  # type: ignore[attr-defined]  # a ModelChoiceField
            },
        )

    if expectation is None:
        if request.method == "POST" and form.is_valid():
            created = form.save(commit=False)
            create_with_links(
                created,
                {
                    "programmes": form.cleaned_data["programmes"],
                    "themes": form.cleaned_data["themes"],
                },
            )
            messages.success(request, f"Expectation {created.paragraph} recorded.")
            return redirect(created.get_absolute_url())
        return page(None)
    return versioned_edit(
        request,
        form,
        reason=lambda: "Expectation edited",
        after_save=lambda: form.save_m2m(),  # the links, once the row is saved
        message="Expectation saved.",
        done=expectation.get_absolute_url(),
        page=page,
    )


@intervention_page
def expectation_create(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    return _form_page(request, intervention, None)


@intervention_page
def expectation_edit(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    return _form_page(request, intervention, _expectation(intervention, pk))


@intervention_page
def expectation_answer(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """The council's answer, by the expectation's owner or the improvement team."""
    expectation = _expectation(intervention, pk)
    if not can_answer_expectation(request.user, expectation):
        raise PermissionDenied(
            "Only the person it falls to or the improvement team answer an expectation, "
            "and only before it is judged."
        )
    form = AnswerForm(request.POST or None, expectation=expectation)

    def save(data: dict[str, Any]) -> None:
        services.answer(
            expectation,
            text=data["answer"],
            answered_on=data["answered_on"],
            evidence=list(data["evidence"]),
            evidence_url=data["evidence_url"],
            version=data["version"],
        )

    return _act(
        request,
        intervention,
        expectation,
        form,
        save,
        message="Answer saved.",
        heading="Answer this expectation",
        button="Save the answer",
    )


@intervention_page
def expectation_judge(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """The oversight's judgement, made by one of them on their own behalf."""
    expectation = _expectation(intervention, pk)
    person = judging_person(request.user, intervention)
    if person is None:
        raise PermissionDenied(
            f"Only {intervention.words.oversight_plural} judge whether an expectation is met."
        )
    form = JudgementForm(request.POST or None, expectation=expectation)

    def save(data: dict[str, Any]) -> None:
        services.judge(
            expectation,
            judgement=data["judgement"],
            judged_on=data["judged_on"],
            by=person,
            judged_in=data["judged_in"],
            commentary=data["commentary"],
            version=data["version"],
        )

    return _act(
        request,
        intervention,
        expectation,
        form,
        save,
        message="Judgement recorded.",
        heading=f"Judge this expectation for {intervention.words.oversight_plural}",
        button="Record the judgement",
    )


def _act(
    request: HttpRequest,
    intervention: Intervention,
    expectation: Expectation,
    form: forms.Form,
    save: Callable[[dict[str, Any]], None],
    *,
    message: str,
    heading: str,
    button: str,
) -> HttpResponse:
    """The one shape of the answer and judgement pages: a valid form is saved by `save`,
    unless someone else changed the expectation after the form was opened; then the form
    comes back with what they changed, and saving again applies this one on top."""
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except StaleEdit as error:
            stale = error
            keep_input_at(form, error.current.version)
            expectation.refresh_from_db()
        else:
            messages.success(request, message)
            return redirect(expectation.get_absolute_url())
    return render(
        request,
        "expectations/expectation_action.html",
        {
            "intervention": intervention,
            "section": SECTION,
            "crumbs": _crumbs(intervention, expectation),
            "expectation": expectation,
            "form": form,
            "stale": stale,
            "heading": heading,
            "button": button,
        },
    )
