"""Middleware of Stocktake's own that is not about observability or sign-in."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from interventions.models.data_version import read_once


class ReadDataVersionOnce:
    """Each request reads the data's version at most once, however many of its parts keep an
    answer with it (interventions.kit.kept)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with read_once():
            return self.get_response(request)
