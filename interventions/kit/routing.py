"""Addresses of the pages inside one intervention: every one starts `/i/<slug>/`, written here
once, and each view receives the intervention's `slug`."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

INTERVENTION_PREFIX = "i/<slug:slug>/"


def intervention_pages(*patterns: URLPattern | URLResolver) -> URLResolver:
    """The given patterns, written without the prefix, as pages of one intervention."""
    return path(INTERVENTION_PREFIX, include(list(patterns)))
