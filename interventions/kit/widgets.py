"""Form widgets shared by every form of the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, SafeString


class DateInput(forms.DateInput):
    """The browser's date picker. Browsers accept only ISO dates (2025-06-30) in it: with the
    en-GB format a saved date shows as blank, and saving the form again would lose it."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class GovukRadioSelect(forms.RadioSelect):
    """Radios whose label target (and error summary link) is the first radio, as GOV.UK asks."""

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return super().id_for_label(id_, index or "0")


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    """GOV.UK checkboxes for choosing several things: each choice's whole label shows and
    wraps, with no key to hold down (as a multiple select asks). The label target (and error
    summary link) is the first checkbox."""

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return super().id_for_label(id_, index or "0")


class FormRenderer(DjangoTemplates):
    """Django's form renderer, but a `<select>` is written in Python.

    A filter form's selects list every programme, person and theme of an intervention, and
    Django renders each option through two template includes: on a list page the filter form
    cost a tenth to a fifth of the page. `select_html` writes the same HTML from the same
    context (tests/test_widgets.py compares the two); every other widget is rendered as
    before.
    """

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        if template_name == "django/forms/widgets/select.html":
            return select_html(context["widget"])
        return super().render(template_name, context, request)


def select_html(widget: dict[str, Any]) -> str:
    """What `django/forms/widgets/select.html` renders, its options included."""
    parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    _text(option["value"]),
                    _attrs(option["attrs"]),
                    option["label"],
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """What `django/forms/widgets/attrs.html` renders: ` name="value"`, a bare name for True,
    nothing for False."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(" {}", name)
                if value is True
                else format_html(' {}="{}"', name, _text(value)),
            )
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _text(value: Any) -> Any:
    """`value|stringformat:'s'`: the value as text, still safe if it was."""
    return value if isinstance(value, SafeData) else str(value)
