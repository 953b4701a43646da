"""Pieces every Stocktake model shares."""

from django.db import models


class TimestampedModel(models.Model):
    """A row that knows when it was created and last saved.

    Each concrete model declares its own `history = HistoricalRecords(...)`, so that the models
    with many-to-many links can name the links to audit.
    """

    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
