"""Pages where the improvement team changes the shape of the plan: add, renumber, move, merge
and close aims and programmes (`plan_changes`). Each page asks when the change took effect and
why; merging and renumbering show exactly what will happen and ask to confirm it first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from interventions.access import permissions
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.models import Intervention
from interventions.models.plan import long_date
from interventions.updates import plan_changes
from interventions.updates.plan_forms import (
    AddAimForm,
    AddProgrammeForm,
    CloseAimForm,
    CloseProgrammeForm,
    MergeForm,
    MoveProgrammeForm,
    PlanChangeForm,
    RenumberForm,
)


@dataclass(frozen=True)
class Change:
    """One kind of change to the plan, as the "Change the plan" page lists it."""

    url_name: str
    title: str
    description: str


CHANGES = [
    Change("plan_add_aim", "Add a strategic aim", "A new aim of the plan."),
    Change("plan_add_programme", "Add a programme", "A new programme under one of the aims."),
    Change(
        "plan_renumber",
        "Renumber programmes",
        "Give one or more programmes new numbers, all at once.",
    ),
    Change(
        "plan_move_programme",
        "Move a programme to another aim",
        "The programme delivers a different strategic aim.",
    ),
    Change(
        "plan_merge",
        "Merge programmes",
        "One or more programmes merge into another, which carries on their work.",
    ),
    Change("plan_close_programme", "Close a programme", "The programme stops, with a reason."),
    Change("plan_close_aim", "Close a strategic aim", "The aim stops, once no programme is open."),
]


def _url(name: str, intervention: Intervention) -> str:
    return reverse(f"interventions:{name}", kwargs={"slug": intervention.slug})


def _refuse_unless_allowed(request: HttpRequest, intervention: Intervention) -> None:
    if not permissions.can_change_plan(request.user, intervention):
        raise PermissionDenied("Only the improvement team changes the shape of the plan.")


def _crumbs(intervention: Intervention) -> list[tuple[str, str]]:
    return crumbs_for(
        intervention,
        ("Programmes", _url("programme_list", intervention)),
        ("Change the plan", _url("plan_changes", intervention)),
    )


@intervention_page
def plan_changes_page(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    _refuse_unless_allowed(request, intervention)
    return render(
        request,
        "updates/plan_changes.html",
        {
            "intervention": intervention,
            "section": "programmes",
            "crumbs": crumbs_for(
                intervention, ("Programmes", _url("programme_list", intervention))
            ),
            "changes": [(_url(c.url_name, intervention), c) for c in CHANGES],
        },
    )


def _change_page[F: PlanChangeForm](
    request: HttpRequest,
    intervention: Intervention,
    form_class: type[F],
    *,
    title: str,
    submit: str,
    apply: Callable[[F], str],
    confirm: Callable[[F], list[str]] | None = None,
    intro: str = "",
) -> HttpResponse:
    """The one shape of a change page: the form; with `confirm`, a page saying what will
    happen, whose button applies it; then the change, or the form again with why not."""
    _refuse_unless_allowed(request, intervention)
    form = form_class(request.POST or None, intervention=intervention)
    context: dict[str, Any] = {
        "intervention": intervention,
        "section": "programmes",
        "crumbs": _crumbs(intervention),
        "title": title,
        "intro": intro,
        "submit": submit,
        "form": form,
    }
    if request.method == "POST" and form.is_valid():
        try:
            if confirm is not None and request.POST.get("confirmed") != "yes":
                steps = confirm(form)
                day = long_date(form.cleaned_data["effective_on"])
                return render(
                    request,
                    "updates/plan_change_confirm.html",
                    {**context, "steps": steps, "effective_on": day},
                )
            message = apply(form)
        except plan_changes.PlanChangeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, message)
            return redirect(_url("programme_list", intervention))
    return render(request, "updates/plan_change_form.html", context)


def _when_and_why(form: PlanChangeForm) -> dict[str, Any]:
    return {"on": form.cleaned_data["effective_on"], "reason": form.cleaned_data["reason"]}


@intervention_page
def add_aim(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    def apply(form: AddAimForm) -> str:
        data = form.cleaned_data
        aim = plan_changes.add_aim(
            intervention,
            number=data["number"],
            title=data["title"],
            outcomes=data["outcomes"],
            **_when_and_why(form),
        )
        return f"Aim {aim.number} added."

    return _change_page(
        request,
        intervention,
        AddAimForm,
        title="Add a strategic aim",
        submit="Add aim",
        apply=apply,
    )


@intervention_page
def add_programme(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    def apply(form: AddProgrammeForm) -> str:
        data = form.cleaned_data
        programme = plan_changes.add_programme(
            data["aim"],
            number=data["number"],
            title=data["title"],
            purpose=data["purpose"],
            **_when_and_why(form),
        )
        return f"Programme {programme.number} added."

    return _change_page(
        request,
        intervention,
        AddProgrammeForm,
        title="Add a programme",
        submit="Add programme",
        apply=apply,
        intro="Its Senior Sponsor, SRO, lead member, themes and milestones are added after.",
    )


@intervention_page
def renumber(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    def steps(form: RenumberForm) -> list[str]:
        changes = plan_changes.plan_renumbering(
            intervention, form.numbers(), form.cleaned_data["effective_on"]
        )
        return [change.sentence() for change in changes]

    def apply(form: RenumberForm) -> str:
        changes = plan_changes.renumber(intervention, form.numbers(), **_when_and_why(form))
        moved = sum(1 for change in changes if not change.displaced)
        return f"{moved} programme{'s' if moved != 1 else ''} renumbered."

    return _change_page(
        request,
        intervention,
        RenumberForm,
        title="Renumber programmes",
        submit="Continue",
        apply=apply,
        confirm=steps,
        intro="Change the numbers you need to; the rest keep theirs. All the new numbers take "
        "effect together. A closed programme whose number you give to an open one moves to a "
        "free number. Links to an old number lead to the programme that had it.",
    )


@intervention_page
def move_programme(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    def apply(form: MoveProgrammeForm) -> str:
        programme, aim = form.cleaned_data["programme"], form.cleaned_data["aim"]
        plan_changes.move_programme(programme, aim, **_when_and_why(form))
        return f"Programme {programme.number} now delivers aim {aim.number}."

    return _change_page(
        request,
        intervention,
        MoveProgrammeForm,
        title="Move a programme to another aim",
        submit="Move programme",
        apply=apply,
    )


@intervention_page
def merge(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    def steps(form: MergeForm) -> list[str]:
        data = form.cleaned_data
        return plan_changes.describe_merge(
            data["merged"], data["into"], milestones=data["milestones"], on=data["effective_on"]
        )

    def apply(form: MergeForm) -> str:
        data = form.cleaned_data
        plan_changes.merge_programmes(
            data["merged"], data["into"], milestones=data["milestones"], **_when_and_why(form)
        )
        numbers = ", ".join(str(p.number) for p in data["merged"])
        merged = "Programmes" if len(data["merged"]) > 1 else "Programme"
        return f"{merged} {numbers} merged into programme {data['into'].number}."

    return _change_page(
        request,
        intervention,
        MergeForm,
        title="Merge programmes",
        submit="Continue",
        apply=apply,
        confirm=steps,
    )


@intervention_page
def close_programme(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    def apply(form: CloseProgrammeForm) -> str:
        programme = form.cleaned_data["programme"]
        plan_changes.close_programme(programme, **_when_and_why(form))
        return f"Programme {programme.number} closed."

    return _change_page(
        request,
        intervention,
        CloseProgrammeForm,
        title="Close a programme",
        submit="Close programme",
        apply=apply,
        intro="Its milestones stay with it, as they stand. To carry its work on in another "
        "programme, merge it instead.",
    )


@intervention_page
def close_aim(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    def apply(form: CloseAimForm) -> str:
        aim = form.cleaned_data["aim"]
        plan_changes.close_aim(aim, **_when_and_why(form))
        return f"Aim {aim.number} closed."

    return _change_page(
        request,
        intervention,
        CloseAimForm,
        title="Close a strategic aim",
        submit="Close aim",
        apply=apply,
        intro="An aim closes once none of its programmes is open: move or close them first.",
    )
