"""Pieces every Stocktake model shares."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from simple_history.models import HistoricalRecords


class TimestampedModel(models.Model):
    """A row that knows when it was created and last saved.

    Each concrete model declares its own `history = History(...)`, so that the models with
    many-to-many links can name the links to audit.
    """

    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class History(HistoricalRecords):
    """django-simple-history's records, remembered on the model as `_history_records` so that
    `create_with_links` can write a creation and its links as one record."""

    def get_meta_options(self, model: type[models.Model]) -> dict[str, Any]:
        """Each history table gets an index on (object, date, history_id): the timeline finds
        the record just before each change of an object ("RAG changed from Amber to Red"),
        which without it walks the whole date index at large volumes (docs/performance.md)."""
        options = super().get_meta_options(model)
        model_name = model._meta.model_name
        assert model_name is not None  # set when the model class was built
        name = f"{model._meta.app_label[:5]}_h{model_name[:17]}_obj"
        options["indexes"] = (
            *options.get("indexes", ()),
            models.Index(fields=[model._meta.pk.attname, "history_date", "history_id"], name=name),
        )
        return options

    def finalize(self, sender: type[models.Model], **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            sender._history_records = self


def set_change_reason(obj: models.Model, reason: str) -> None:
    """Give the history record that the next save of `obj` writes its reason ("Paper added").

    django-simple-history reads the reason from the instance's `_change_reason`, an attribute
    that no model declares; setting it here keeps that knowledge (and its typing) in one place.
    """
    setattr(obj, "_change_reason", reason)  # noqa: B010 - undeclared; simple-history reads it


def create_with_links(obj: models.Model, links: dict[str, Iterable[models.Model]]) -> None:
    """Save a new row and set its many-to-many links, recorded as one creation ("+").

    Saving and then linking would otherwise record the creation without its links, followed by
    a change per link that nobody made.
    """
    with transaction.atomic():
        obj.skip_history_when_saving = True  # type: ignore[attr-defined]  # simple-history's flag
        try:
            obj.save()
            for name, targets in links.items():
                getattr(obj, name).set(list(targets))
        finally:
            del obj.skip_history_when_saving  # type: ignore[attr-defined]  # simple-history's flag
        records = type(obj)._history_records  # type: ignore[attr-defined]  # set by `History`
        records.create_historical_record(obj, "+")
