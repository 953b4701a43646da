"""Reading the audit trail: what changed between two history records, in plain words.

Every tracked model keeps django-simple-history records. `changes(record)` compares a record
with the one before it and returns each changed field with its label and the old and new
values as a reader would say them ("Amber", "3 Jun 2025", the person's name).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models

# Fields that change on every save and mean nothing to a reader.
IGNORED_FIELDS = {"created", "updated", "version", "planned_start", "planned_end"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str

    def sentence(self) -> str:
        """'RAG changed from Amber to Red', 'Commentary set to …', 'Forecast end cleared'."""
        if not self.old:
            return f"{self.label} set to {self.new}"
        if not self.new:
            return f"{self.label} cleared (was {self.old})"
        return f"{self.label} changed from {self.old} to {self.new}"


def display(field: models.Field, value: Any, related: dict[tuple[type, Any], str]) -> str:
    """A stored value as a reader would say it."""
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        return related.get((field.related_model, value), f"#{value}")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return f"{value:%-d %b %Y, %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%b %Y}"
    return str(value)


def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in IGNORED_FIELDS and not field.primary_key
    ]


def changes(
    record: Any, previous: Any | None, related: dict[tuple[type, Any], str] | None = None
) -> list[FieldChange]:
    """Each field that differs between a history record and the one before it (for a
    creation, each field that was given a value). `related` names foreign keys by
    (model, pk); without it they show as #pk."""
    model = record.instance_type
    related = related or {}
    result = []
    for field in tracked_fields(model):
        new = getattr(record, field.attname)
        old = getattr(previous, field.attname) if previous is not None else None
        if new == old:
            continue
        old_text, new_text = display(field, old, related), display(field, new, related)
        if old_text == new_text:
            continue
        label = str(field.verbose_name)
        result.append(FieldChange(field.name, label[:1].upper() + label[1:], old_text, new_text))
    return result
