"""Form pieces every form of the service shares: the version a form was opened at (so a stale
save is refused), and GOV.UK classes on the inputs the shared field template does not style."""

from __future__ import annotations

from typing import Any

from django import forms


class VersionedForm(forms.ModelForm):
    """Carries the version the form was opened at, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version


class GovukErrorsMixin:
    """Inputs that the shared field template does not style (file, URL) get GOV.UK classes
    here, with their error modifier once the field has an error."""

    ERROR_CLASSES = {
        "govuk-input": "govuk-input--error",
        "govuk-file-upload": "govuk-file-upload--error",
    }

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            widget = self.fields[name].widget  # type: ignore[attr-defined]
            css = widget.attrs.get("class", "")
            for base, modifier in self.ERROR_CLASSES.items():
                if base in css.split() and modifier not in css.split():
                    widget.attrs["class"] = f"{css} {modifier}"
