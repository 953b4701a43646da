"""Form widgets shared by every form of the service."""

from __future__ import annotations

from typing import Any

from django import forms


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
