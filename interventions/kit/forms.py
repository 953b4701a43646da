"""Form pieces every form of the service shares: the version a form was opened at (so a stale
save is refused), and GOV.UK classes on the inputs the shared field template does not style."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms


class VersionedForm(forms.ModelForm):
    """Carries the version the form was opened at, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version


def field_of[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """The form's field `name`, as the kind of field it is (`forms.ChoiceField`), so that what
    only that kind has (its choices, its queryset) can be set. TypeError if it is not."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name!r} is a {type(field).__name__}, not a {kind.__name__}.")
    return field


# The mixin below goes before a form class; to a type checker it is one.
if TYPE_CHECKING:
    _Form = forms.BaseForm
else:
    _Form = object


class GovukErrorsMixin(_Form):
    """Inputs that the shared field template does not style (file, URL) get GOV.UK classes
    here, with their error modifier once the field has an error."""

    ERROR_CLASSES = {
        "govuk-input": "govuk-input--error",
        "govuk-file-upload": "govuk-file-upload--error",
    }

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            css = widget.attrs.get("class", "")
            for base, modifier in self.ERROR_CLASSES.items():
                if base in css.split() and modifier not in css.split():
                    widget.attrs["class"] = f"{css} {modifier}"
