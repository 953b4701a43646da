"""Form pieces every form of the service shares: the version a form was opened at (so a stale
save is refused), and GOV.UK classes on the inputs the shared field template does not style."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from interventions.kit.widgets import DateInput
from interventions.models.base import set_effective_date
from interventions.models.valid_time import effective_day


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


class EffectiveDateForm(VersionedForm):
    """A versioned form that also asks when the change happened (the day it took effect),
    for changes that are often entered after the event: a report as of an earlier day shows
    the change from that day (`interventions.models.valid_time`)."""

    effective_on = forms.DateField(
        required=False,
        label="When did this happen?",
        help_text="Today, unless it happened earlier: reports as of an earlier date then "
        "show it from that day. Its history still says when you recorded it.",
        widget=DateInput(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = timezone.localdate()
        # Asked last: it is about the change as a whole.
        self.fields["effective_on"] = self.fields.pop("effective_on")

    def clean_effective_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["effective_on"] or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError("The date it happened cannot be in the future.")
        first = first_on_record(self.instance)
        if first is not None and day < first:
            raise forms.ValidationError(
                f"The date it happened cannot be before {first.day} {first:%B %Y}, the day "
                "this was first on record."
            )
        return day

    def save(self, commit: bool = True) -> Any:
        set_effective_date(self.instance, self.cleaned_data["effective_on"])
        return super().save(commit=commit)


def first_on_record(instance: Any) -> datetime.date | None:
    """The day a row's first history record took effect: no change to it can have happened
    before it existed."""
    if instance.pk is None:
        return None
    records = type(instance).history.filter(id=instance.pk)
    return min((effective_day(record) for record in records), default=None)


class BatchEffectiveDateForm(forms.Form):
    """When a batch of changes happened, asked once for all of them (the rows of a bulk
    update): the same question and rules as `EffectiveDateForm`, checked against every row
    that changes (`check_rows`)."""

    effective_on = EffectiveDateForm.base_fields["effective_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = timezone.localdate()

    def clean_effective_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["effective_on"] or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError("The date it happened cannot be in the future.")
        return day

    def check_rows(self, rows: list[Any]) -> bool:
        """Refuse a day before any of `rows` was first on record; False if refused."""
        day = self.cleaned_data.get("effective_on")
        if day is None:
            return False
        firsts = [first for first in map(first_on_record, rows) if first is not None]
        latest = max(firsts, default=None)
        if latest is not None and day < latest:
            self.add_error(
                "effective_on",
                f"The date it happened cannot be before {latest.day} {latest:%B %Y}, the day "
                "the newest of the changed rows was first on record.",
            )
            return False
        return True


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
