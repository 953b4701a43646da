"""Addresses of the pages inside one intervention: every one starts `/i/<slug>/`, written here
once, and each view receives the intervention's `slug`."""

from __future__ import annotations

import functools
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import (
    URLPattern,
    URLResolver,
    get_script_prefix,
    get_urlconf,
    include,
    path,
    reverse,
)

INTERVENTION_PREFIX = "i/<slug:slug>/"


def intervention_pages(*patterns: URLPattern | URLResolver) -> URLResolver:
    """The given patterns, written without the prefix, as pages of one intervention."""
    return path(INTERVENTION_PREFIX, include(list(patterns)))


def address(viewname: str, **kwargs: Any) -> str:
    """`reverse(viewname, kwargs=kwargs)`, worked out once per address and kept.

    A list links every row to its page, and the inbox several hundred rows; Django's
    `reverse` costs tens of microseconds each time (a fifth of My work's time). The address
    depends only on the URL configuration in force, the script prefix and the arguments, so
    it is kept for each of those (the most recent `_KEPT`); changing the URL configuration in
    a test (`override_settings(ROOT_URLCONF=…)`) forgets them all.
    """
    return _address(viewname, tuple(sorted(kwargs.items())), get_script_prefix(), get_urlconf())


_KEPT = 16384  # a few megabytes at most; a page links a few hundred records


@functools.lru_cache(maxsize=_KEPT)
def _address(
    viewname: str, kwargs: tuple[tuple[str, Any], ...], prefix: str, urlconf: str | None
) -> str:
    return reverse(viewname, kwargs=dict(kwargs))


@receiver(setting_changed)
def _forget_addresses(setting: str, **kwargs: Any) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _address.cache_clear()
