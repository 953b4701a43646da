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
