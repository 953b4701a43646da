"""The search page of an intervention, in the interventions namespace."""

from django.urls import path

from interventions.kit.routing import intervention_pages
from interventions.search import views

urlpatterns = [
    intervention_pages(path("search/", views.search_page, name="search")),
]
