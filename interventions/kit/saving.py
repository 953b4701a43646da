"""Saving changes that people make, so that none is lost and each is explained."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect

from interventions.kit.changes import FieldChange, changes
from interventions.models.base import set_change_reason

if TYPE_CHECKING:
    from interventions.kit.forms import VersionedForm


class Versioned(Protocol):
    """A row that carries the version its last saved edit gave it."""

    @property
    def version(self) -> int: ...


class StaleEdit(Exception):
    """Someone else saved the row after the form was opened; this edit was not saved."""

    def __init__(self, current: Versioned, their_changes: list[FieldChange]) -> None:
        self.current = current
        self.their_changes = their_changes
        super().__init__(f"{current} was changed by someone else after you opened it.")


def save_versioned(obj: Any, expected_version: int, *, reason: str = "") -> None:
    """Save an edit only if nobody has saved the row since the form showed `expected_version`.

    Raises StaleEdit, saying what the other person changed, and saves nothing. The row's
    version goes up by one with each saved edit.
    """
    model = type(obj)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=obj.pk)
        if current.version != expected_version:
            raise StaleEdit(current, changes_since(current, expected_version))
        obj.version = expected_version + 1
        if reason:
            set_change_reason(obj, reason)
        obj.save()


def changes_since(obj: Any, version: int) -> list[FieldChange]:
    """What was changed in the row after the given version was saved, field by field."""
    records = list(obj.history.order_by("history_id"))
    seen = next((r for r in reversed(records) if r.version == version), None)
    latest = records[-1] if records else None
    if latest is None or seen is None or latest is seen:
        return []
    return changes(latest, seen)


def save_or_explain(form: VersionedForm, reason: str) -> StaleEdit | None:
    """Save the form's object unless someone else saved it since the form was opened.

    On a stale edit nothing is saved; the form keeps the user's input but moves on to the
    current version, so that saving again, after reading what changed, applies their edit.
    """
    try:
        save_versioned(form.save(commit=False), form.cleaned_data["version"], reason=reason)
    except StaleEdit as stale:
        keep_input_at(form, stale.current.version)
        return stale
    return None


def keep_input_at(form: forms.BaseForm, version: int) -> None:
    """After a stale edit, keep what the user wrote in the form, but at the row's current
    version: saving again, after reading what the other person changed, applies it on top."""
    data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    data["version"] = str(version)
    form.data = data


def versioned_edit(
    request: HttpRequest,
    form: VersionedForm,
    *,
    reason: Callable[[], str],
    message: str | Callable[[], str],
    done: str,
    page: Callable[[StaleEdit | None], HttpResponse],
    after_save: Callable[[], object] | None = None,
) -> HttpResponse:
    """The one shape of a page that edits a record carrying a version.

    A valid POST saves the form with `reason()` in the history, unless someone else saved the
    record after the form was opened; then `after_save()` runs (links, a change request), the
    user is told `message` and sent to `done`. Any other request, an invalid form, and a stale
    edit get `page(stale)`: the form again, and on a stale edit what the other person changed,
    so that saving again applies this edit on top.
    """
    stale = None
    if request.method == "POST" and form.is_valid():
        stale = save_or_explain(form, reason())
        if stale is None:
            if after_save is not None:
                after_save()
            messages.success(request, message() if callable(message) else message)
            return redirect(done)
    return page(stale)
