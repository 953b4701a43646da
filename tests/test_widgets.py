"""Date fields show saved dates in the only format a browser's date picker accepts; selects
written in Python say what Django's templates say."""

import datetime
from pathlib import Path

import pytest
from django import forms

from interventions.kit.widgets import DateInput

ROOT = Path(__file__).resolve().parent.parent


def test_a_saved_date_is_shown_as_an_iso_date_in_a_date_picker():
    html = DateInput().render("as_of", datetime.date(2025, 6, 30))
    assert 'type="date"' in html
    assert 'value="2025-06-30"' in html


def test_every_form_uses_the_shared_date_picker():
    # Django's own DateInput writes dates as 30/06/2025 under en-GB, which a date picker
    # shows as blank: a form using it would lose the saved date on the next save.
    offenders = [
        str(path.relative_to(ROOT))
        for app in ("interventions", "directions", "boards", "reports")
        for path in (ROOT / app).rglob("*.py")
        if "forms.DateInput(" in path.read_text() and path.name != "widgets.py"
    ]
    assert not offenders


# Selects written in Python (interventions/kit/widgets.py FormRenderer) say what Django's
# templates say.

SELECTS = [
    (forms.Select(choices=[("", "Any"), ("a", "<b>Alpha</b> & co"), ("b", "Beta")]), "b", {}),
    (forms.Select(choices=[("a", "A"), ("b", "B")]), None, {"required": True, "disabled": True}),
    (
        forms.Select(choices=[("Open", [("1", "One"), ("2", "Two")]), ("Closed", [("3", "3")])]),
        "2",
        {"aria-describedby": 'x-hint "quoted"', "class": "govuk-select"},
    ),
    (forms.SelectMultiple(choices=[(1, "One"), (2, "Two"), (3, "Three")]), [1, 3], {}),
    (forms.NullBooleanSelect(), True, {"id": "id_flag"}),
]


@pytest.mark.parametrize(("widget", "value", "attrs"), SELECTS)
def test_a_select_is_written_as_djangos_template_writes_it(widget, value, attrs) -> None:
    from django.forms.renderers import DjangoTemplates

    from interventions.kit.widgets import FormRenderer

    ours = widget.render("choice", value, attrs=dict(attrs), renderer=FormRenderer())
    djangos = widget.render("choice", value, attrs=dict(attrs), renderer=DjangoTemplates())
    assert ours == djangos
    assert "<b>" not in ours


@pytest.mark.django_db
def test_a_filter_forms_model_select_is_written_as_django_writes_it(intervention) -> None:
    from django.forms.renderers import DjangoTemplates

    from interventions.kit.widgets import FormRenderer
    from interventions.models import Programme
    from tests.factories import ProgrammeFactory

    ProgrammeFactory(aim__intervention=intervention, title="Rates & <Revenue>")
    field = forms.ModelChoiceField(queryset=Programme.objects.all(), required=False)
    chosen = Programme.objects.get().pk
    ours = field.widget.render("programme", chosen, renderer=FormRenderer())
    assert ours == field.widget.render("programme", chosen, renderer=DjangoTemplates())
    assert "Rates &amp; &lt;Revenue&gt;" in ours and " selected" in ours
