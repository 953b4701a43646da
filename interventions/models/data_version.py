"""The version of the record as a whole: a new one with every change saved.

Some answers are read on many pages and cost far more to work out than to show (an
intervention's deadlines). `interventions.kit.kept` keeps such an answer with the version it
was worked out from, and works it out again once the version has moved on.

Every change to the record writes a history record (django-simple-history; many-to-many links
included), and each history record gives the data a new version here, in the same transaction
(`interventions.apps` connects `new_version` to simple-history's
`post_create_historical_record`). History written without signals (the benchmark's bulk
inserts) is followed by `change_log.sync()`, which gives a new version too.

The version is a random token, not a counter: a change rolled back takes its token with it, and
an answer worked out inside a transaction that is then rolled back is kept under a token that
no committed state will ever have.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import IntegrityError, models, transaction

_ROW = 1

# Within `read_once()` (each request, `config.middleware`), the version this request last read
# or wrote: a page whose parts each keep an answer reads it once.
_seen: ContextVar[dict[str, str] | None] = ContextVar("data_version_seen", default=None)


def _token() -> str:
    return secrets.token_hex(16)


class DataVersion(models.Model):
    """One row: the token of the record's current version (see the module's docstring)."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token


def current_version() -> str:
    """The token of the data as this connection sees it now: one query, or none if this
    request has read or written it already."""
    seen = _seen.get()
    if seen is not None and "token" in seen:
        return seen["token"]
    token = DataVersion.objects.filter(pk=_ROW).values_list("token", flat=True).first()
    if token is None:
        return new_version()
    if seen is not None:
        seen["token"] = token
    return token


@contextmanager
def read_once() -> Iterator[None]:
    """Read the version at most once inside: for one request, which sees its own changes (a
    change it saves gives it the new version). A change that another request commits
    meanwhile shows from the next request on."""
    reset = _seen.set({})
    try:
        yield
    finally:
        _seen.reset(reset)


def new_version(**kwargs: Any) -> str:
    """Give the data a new version (a signal receiver, hence `kwargs`). Written in the
    transaction of the change that calls it, so it commits, or is rolled back, with it."""
    token = _token()
    if not DataVersion.objects.filter(pk=_ROW).update(token=token):
        try:
            with transaction.atomic():
                DataVersion.objects.create(pk=_ROW, token=token)
        except IntegrityError:  # made meanwhile by another transaction
            DataVersion.objects.filter(pk=_ROW).update(token=token)
    seen = _seen.get()
    if seen is not None:
        seen["token"] = token
    return token
