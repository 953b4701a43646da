"""URLs of the evidence pages, in the interventions namespace."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
