"""Template helpers: GOV.UK tags for statuses, and form fields with GOV.UK classes."""

import datetime
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.safestring import SafeString

from boards.choices import (
    ACTION_STATUS_TAG_COLOURS,
    MEETING_STATUS_TAG_COLOURS,
    RECOMMENDATION_STATUS_TAG_COLOURS,
)
from boards.tables import cadence_text
from directions.choices import COMPLIANCE_TAG_COLOURS, DIRECTION_STATUS_TAG_COLOURS
from interventions.access import permissions
from interventions.choices import (
    CHANGE_STATUS_TAG_COLOURS,
    RAG_TAG_COLOURS,
    WORK_STATUS_TAG_COLOURS,
)
from interventions.interchange.importer import IMPORTED_FROM
from interventions.kit import routing
from interventions.kit.kept import Kept
from interventions.kit.lists import person_name, tag_html
from interventions.kit.table_rows import rows_html
from interventions.models.data_version import current_version
from interventions.models.intervention import as_precise
from interventions.models.valid_time import recorded_late

register = template.Library()


@register.filter
def precise(day: datetime.date | None, precision: str) -> str:
    """A date as precisely as it is known: {{ rec.made_on|precise:rec.made_on_precision }}
    gives "February 2025" for a month (history records have no `made_on_text`)."""
    return as_precise(day, precision) if day else ""


@register.filter
def entered_late(record: Any) -> Any:
    """The day a report's row was entered, when that was after the day it took effect (a
    meeting recorded after it was held); None for rows imported from papers, which say
    where they come from."""
    if (record.history_change_reason or "").startswith(IMPORTED_FROM):
        return None
    return recorded_late(record)


# The colour maps by the short names templates use: {% tag_for programme.rag "rag" %}.
TAG_COLOURS: dict[str, dict[Any, str]] = {
    "rag": RAG_TAG_COLOURS,
    "work_status": WORK_STATUS_TAG_COLOURS,
    "compliance": COMPLIANCE_TAG_COLOURS,
    "direction_status": DIRECTION_STATUS_TAG_COLOURS,
    "meeting_status": MEETING_STATUS_TAG_COLOURS,
    "recommendation_status": RECOMMENDATION_STATUS_TAG_COLOURS,
    "change_status": CHANGE_STATUS_TAG_COLOURS,
    "action_status": ACTION_STATUS_TAG_COLOURS,
}

WIDGET_CLASSES = [
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.DateInput, "govuk-input govuk-input--width-10"),
    (forms.NumberInput, "govuk-input govuk-input--width-4"),
    (forms.Select, "govuk-select"),
    (forms.Textarea, "govuk-textarea"),
    (forms.PasswordInput, "govuk-input"),
    (forms.TextInput, "govuk-input"),
]


@register.simple_tag
def address(viewname: str, **kwargs: Any) -> str:
    """`{% url %}` for a page of one record, worked out once and kept (`kit.routing.address`):
    for lists that link every item."""
    return routing.address(viewname, **kwargs)


# Drawn rows of the tables that say their rows depend on nothing but the data and the address
# (`rows_kept`), until the data changes (interventions.kit.kept).
_ROWS = Kept(kept=256)


@register.simple_tag
def table_rows(table: Any) -> SafeString:
    """The body rows of a list's table (kit/table_rows.py says why they are drawn in Python).
    A table whose rows depend only on the data and the page's address (its filters, order and
    page) sets `rows_kept`: its rows are drawn once for each address, reader and day."""
    request = getattr(table, "request", None)
    if not getattr(table, "rows_kept", False) or request is None:
        return rows_html(table)
    key = (type(table), request.user.pk, request.get_full_path(), timezone.localdate())
    drawn: SafeString = _ROWS.get(key, current_version(), lambda: rows_html(table))
    return drawn


@register.simple_tag
def tag_for(value: str, colours: str | dict[Any, str]) -> SafeString:
    """A GOV.UK tag for a stored choice value; `colours` is a map or its name above."""
    if isinstance(colours, str):
        colours = TAG_COLOURS[colours]
    return tag_html(value, colours)


@register.filter
def govuk_widget(field: BoundField) -> SafeString:
    """The field's widget with GOV.UK classes, error state and aria-describedby."""
    widget = field.field.widget
    css = next((css for kind, css in WIDGET_CLASSES if isinstance(widget, kind)), "")
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
        css = f"{css} {css.split()[0]}--error" if css else css
    attrs: dict[str, str | bool] = {"class": css} if css else {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def sees_portfolio(user: Any) -> bool:
    """The Department's portfolio is theirs (and an administrator's) to open."""
    return permissions.sees_portfolio(user)


@register.filter
def is_checkbox(field: BoundField) -> bool:
    """A single yes/no box, which GOV.UK lays out with its label after it."""
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def cadence(months: int | None) -> str:
    return cadence_text(months)


@register.filter
def person(value: Any) -> str:
    return person_name(value)


@register.filter
def sponsors(programme: Any) -> str:
    """A programme's Senior Sponsors, where the plan names more than one: "A and B"."""
    names = [person_name(p) for p in [programme.sponsor, *programme.co_sponsors.all()] if p]
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1] if names else ""]))


@register.filter
def any_errors(forms: list[Any]) -> bool:
    """Whether any of the forms a page shows together has an error."""
    return any(form.errors for form in forms)


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    """mapping[key] in a template, or None (e.g. a RAG choice's definition)."""
    return mapping.get(key) if mapping else None


@register.filter
def field_anchor(field: BoundField) -> str:
    """The id an error summary links to: a radio or checkbox group's first option, else the
    input."""
    widget = field.field.widget
    grouped = getattr(widget, "input_type", "") == "radio" or (
        isinstance(widget, forms.CheckboxSelectMultiple)
    )
    if grouped:
        return f"{field.auto_id}_0"
    return field.id_for_label


@register.filter
def unmet(checks: list[Any]) -> list[Any]:
    """The board membership requirements that are not met."""
    return [check for check in checks if not check.met]
