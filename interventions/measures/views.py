"""Pages of success measures: the list, a measure with its trend, and the forms to add and
edit measures, enter readings and record each agreement."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_tables2 import Table

from interventions.access.measures import (
    can_agree_measure,
    can_enter_reading,
    can_manage_measures,
    oversight_person,
)
from interventions.choices import (
    MEASURE_AGREEMENT_TAG_COLOURS,
    MEASURE_STANDING_TAG_COLOURS,
    MeasureAgreement,
)
from interventions.kit.as_of import AS_OF, read_as_of
from interventions.kit.changes import changes
from interventions.kit.lists import ObjectListView
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.kit.saving import versioned_edit
from interventions.kit.widgets import DateInput
from interventions.measures import services
from interventions.measures.charts import MeasureTrendChart
from interventions.measures.filters import MeasureFilterSet
from interventions.measures.forms import (
    BoardAgreementForm,
    MeasureForm,
    OversightAgreementForm,
    ReadingForm,
)
from interventions.measures.tables import MeasureTable, linked_to
from interventions.models import (
    Intervention,
    Measure,
    MeasureReading,
    Person,
    Programme,
    StrategicAim,
    Theme,
)


class MeasureListView(ObjectListView):
    queryset = Measure.objects.for_list().prefetch_related("readings")
    intervention_field = "intervention"
    filterset_class = MeasureFilterSet
    table_class = MeasureTable
    title = "Success measures"
    item_name = "success measures"
    section = "measures"
    template_name = "measures/measure_list.html"

    def on(self) -> datetime.date:
        return read_as_of(self.request)

    def get_table(self, **kwargs: Any) -> Table:
        table = super().get_table(**kwargs)
        table.on = self.on()
        return table

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assert self.intervention is not None  # a page inside an intervention
        context["on"] = self.on()
        context["can_manage"] = can_manage_measures(self.request.user, self.intervention)
        return context


def _list_url(intervention: Intervention) -> str:
    return reverse("interventions:measure_list", kwargs={"slug": intervention.slug})


def _measure(intervention: Intervention, pk: int) -> Measure:
    return get_object_or_404(Measure.objects.for_list(), intervention=intervention, pk=pk)


def _crumbs(intervention: Intervention, measure: Measure | None = None) -> list[tuple[str, str]]:
    more = [("Success measures", _list_url(intervention))]
    if measure is not None:
        more.append((measure.title, measure.get_absolute_url()))
    return crumbs_for(intervention, *more)


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        required=False,
        label="Show the RAG as of",
        help_text="Leave empty for today.",
        widget=DateInput(),
    )


@intervention_page
def measure_detail(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    measure = _measure(intervention, pk)
    form = AsOfForm(request.GET or None)
    today = timezone.localdate()
    on = (form.cleaned_data.get(AS_OF) if form.is_valid() else None) or today
    readings = list(measure.readings.order_by("taken_on"))
    standing = measure.standing_on(on, readings)
    shown = [r for r in readings if r.taken_on <= on]
    chart = MeasureTrendChart(
        title=f"Trend: {measure.title}",
        measure=measure,
        points=[(r.taken_on, r.value) for r in shown],
        key=f"measure-{measure.pk}-trend",
    )
    user = request.user
    context = {
        "intervention": intervention,
        "section": "measures",
        "crumbs": _crumbs(intervention),
        "measure": measure,
        "of": linked_to(measure),
        "form": form,
        "on": on,
        "today": today,
        "standing": standing,
        "gap": measure.figure(standing.gap, places=1) if standing.gap is not None else "",
        "target_met": standing.gap is not None and standing.gap <= 0,
        "expected": (
            measure.figure(standing.expected, places=1) if standing.expected is not None else ""
        ),
        "chart": chart,
        "readings": list(reversed(shown)),
        "later_readings": len(readings) - len(shown),
        "can_enter_reading": can_enter_reading(user, measure),
        "can_manage": can_manage_measures(user, intervention),
        "can_agree": can_agree_measure(user, measure),
        "history": measure_history(measure),
        "standing_colours": MEASURE_STANDING_TAG_COLOURS,
        "agreement_colours": MEASURE_AGREEMENT_TAG_COLOURS,
    }
    return render(request, "measures/measure_detail.html", context)


def measure_history(measure: Measure) -> list[dict[str, Any]]:
    """The measure's and its readings' recorded changes, newest first: when, who, what."""
    entries: list[dict[str, Any]] = []
    # How the history names the rows a measure links to (people, programmes, aims, themes).
    people: dict[tuple[type, Any], str] = {
        (Person, p.pk): p.name or p.post for p in measure.intervention.people.all()
    }
    people.update({(Programme, p.pk): str(p) for p in measure.intervention.programmes.all()})
    people.update({(StrategicAim, a.pk): str(a) for a in measure.intervention.aims.all()})
    people.update({(Theme, t.pk): t.name for t in Theme.objects.all()})
    for model, records in (
        (Measure, Measure.history.filter(id=measure.pk)),
        (MeasureReading, MeasureReading.history.filter(measure_id=measure.pk)),
    ):
        previous: dict[int, Any] = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(record.id)
            previous[record.id] = record
            if model is MeasureReading:
                subject = f"Reading for {record.taken_on.day} {record.taken_on:%b %Y}"
            else:
                subject = "Measure"
            if record.history_type == "+":
                what = [f"{subject} added"]
            elif record.history_type == "-":
                what = [f"{subject} removed"]
            else:
                what = [f"{subject}: {c.sentence()}" for c in changes(record, before, people)]
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
    return sorted(entries, key=lambda e: e["when"], reverse=True)


def _measure_form_page(
    request: HttpRequest, intervention: Intervention, measure: Measure | None
) -> HttpResponse:
    if not can_manage_measures(request.user, intervention):
        raise PermissionDenied("Only the improvement team manages success measures.")
    instance = measure or Measure(intervention=intervention)
    was_agreed = instance.agreement == MeasureAgreement.AGREED
    form = MeasureForm(request.POST or None, instance=instance, intervention=intervention)

    def page(stale: Any) -> HttpResponse:
        return render(
            request,
            "measures/measure_form.html",
            {
                "intervention": intervention,
                "section": "measures",
                "crumbs": _crumbs(intervention, measure),
                "measure": measure,
                "form": form,
                "stale": stale,
                "was_agreed": was_agreed,
            },
        )

    if measure is None:
        if request.method == "POST" and form.is_valid():
            created = form.save()
            messages.success(request, "Success measure added. It is proposed until agreed.")
            return redirect(created.get_absolute_url())
        return page(None)
    reopened = False

    def reason() -> str:
        nonlocal reopened
        if was_agreed and form.changes_agreed_terms:
            services.reopen_agreement(form.instance)
            reopened = True
            return "Terms changed: proposed again"
        return "Measure edited"

    return versioned_edit(
        request,
        form,
        reason=reason,
        message=lambda: (
            "Success measure saved. Its terms changed, so it is proposed again until "
            f"{intervention.words.oversight_plural} and the Board agree it."
            if reopened
            else "Success measure saved."
        ),
        done=measure.get_absolute_url(),
        page=page,
    )


@intervention_page
def measure_create(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    return _measure_form_page(request, intervention, None)


@intervention_page
def measure_edit(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    return _measure_form_page(request, intervention, _measure(intervention, pk))


def _reading_page(
    request: HttpRequest, intervention: Intervention, measure: Measure, reading: MeasureReading
) -> HttpResponse:
    if not can_enter_reading(request.user, measure):
        raise PermissionDenied("Only the measure's owner or the improvement team enter readings.")
    adding = reading.pk is None
    form = ReadingForm(request.POST or None, instance=reading, measure=measure)

    def page(stale: Any) -> HttpResponse:
        return render(
            request,
            "measures/reading_form.html",
            {
                "intervention": intervention,
                "section": "measures",
                "crumbs": _crumbs(intervention, measure),
                "measure": measure,
                "reading": None if adding else reading,
                "form": form,
                "stale": stale,
            },
        )

    if adding:
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, "Reading saved.")
            return redirect(measure.get_absolute_url())
        return page(None)
    return versioned_edit(
        request,
        form,
        reason=lambda: "Reading corrected",
        message="Reading corrected.",
        done=measure.get_absolute_url(),
        page=page,
    )


@intervention_page
def reading_add(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    measure = _measure(intervention, pk)
    return _reading_page(request, intervention, measure, MeasureReading(measure=measure))


@intervention_page
def reading_edit(
    request: HttpRequest, intervention: Intervention, pk: int, reading: int
) -> HttpResponse:
    measure = _measure(intervention, pk)
    row = get_object_or_404(MeasureReading, measure=measure, pk=reading)
    return _reading_page(request, intervention, measure, row)


@intervention_page
def measure_agree(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """The oversight agrees the measure, on its own behalf."""
    measure = _measure(intervention, pk)
    person = oversight_person(request.user, intervention)
    if person is None:
        raise PermissionDenied(f"Only {intervention.words.oversight_plural} agree a measure here.")
    form = OversightAgreementForm(request.POST or None, initial={"agreed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.agree_for_oversight(measure, person, form.cleaned_data["agreed_on"])
        messages.success(request, f"Agreed for {intervention.words.oversight_plural}.")
        return redirect(measure.get_absolute_url())
    return render(
        request,
        "measures/agreement_form.html",
        {
            "intervention": intervention,
            "section": "measures",
            "crumbs": _crumbs(intervention, measure),
            "measure": measure,
            "form": form,
            "heading": f"Agree this measure for {intervention.words.oversight_plural}",
            "button": "Agree this measure",
        },
    )


@intervention_page
def measure_board_agreement(
    request: HttpRequest, intervention: Intervention, pk: int
) -> HttpResponse:
    """The improvement team records the Board's agreement."""
    measure = _measure(intervention, pk)
    if not can_manage_measures(request.user, intervention):
        raise PermissionDenied("Only the improvement team records the Board's agreement.")
    form = BoardAgreementForm(
        request.POST or None,
        initial={"agreed_on": measure.board_agreed_on, "agreed_at": measure.board_agreed_at},
    )
    if request.method == "POST" and form.is_valid():
        services.record_board_agreement(
            measure, form.cleaned_data["agreed_on"], form.cleaned_data["agreed_at"]
        )
        messages.success(request, "The Board's agreement is recorded.")
        return redirect(measure.get_absolute_url())
    return render(
        request,
        "measures/agreement_form.html",
        {
            "intervention": intervention,
            "section": "measures",
            "crumbs": _crumbs(intervention, measure),
            "measure": measure,
            "form": form,
            "heading": f"Record the agreement of the {intervention.words.main_board}",
            "button": "Record the agreement",
        },
    )
