"""Pieces every Stocktake model shares."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class TimestampedModel(models.Model):
    """A row that knows when it was created and last saved.

    Each concrete model declares its own `history = History(...)`, so that the models with
    many-to-many links can name the links to audit.
    """

    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ValidTimeRecord(models.Model):
    """What every history record adds to simple-history's: the day the change it records
    took effect, when that is not the day it was recorded.

    A record has two times. `history_date` is when it was recorded (audited, never edited);
    `valid_from` is when what it records became true: a milestone completed on 31 May and
    entered on 10 June, a Direction imported in 2026 but made in 2025. Empty means "from the
    day it was recorded", which is what a change made through a page usually is.
    """

    valid_from = models.DateField(
        null=True,
        blank=True,
        help_text="The day this change took effect, where it is not the day it was recorded.",
    )

    class Meta:
        abstract = True


class History(HistoricalRecords):
    """django-simple-history's records, with the day each change took effect
    (`ValidTimeRecord`), remembered on the model as `_history_records` so that
    `create_with_links` can write a creation and its links as one record."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("bases", (ValidTimeRecord,))
        super().__init__(*args, **kwargs)

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


def set_effective_date(obj: models.Model, day: datetime.date | None) -> None:
    """Say that the change the next save of `obj` records took effect on `day` (None: on the
    day it is recorded). Read once, by the history record that save writes."""
    setattr(obj, "_valid_from", day)  # noqa: B010 - undeclared; read by `_date_the_record`


@receiver(pre_create_historical_record)
def _date_the_record(instance: models.Model, history_instance: Any, **kwargs: Any) -> None:
    """Give the record the day its change took effect: the one `set_effective_date` named,
    else the one the model's own dates give (`took_effect_on`), never after the day it is
    recorded; left empty when that is the day it is recorded."""
    recorded = timezone.localdate(history_instance.history_date)
    day = instance.__dict__.pop("_valid_from", None)
    took_effect_on = getattr(instance, "took_effect_on", None)
    if day is None and took_effect_on is not None:
        previous = (
            None
            if history_instance.history_type == "+"
            else type(history_instance)
            .objects.filter(id=instance.pk)
            .order_by("-history_date", "-history_id")
            .first()
        )
        day = took_effect_on(previous)
    if day is not None and day < recorded:
        history_instance.valid_from = day


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
