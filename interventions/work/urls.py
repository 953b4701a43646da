"""URLs of the period update pages, in the interventions namespace."""

from django.urls import path

from interventions.kit.routing import intervention_pages
from interventions.work import views as work_views

urlpatterns = [
    intervention_pages(
        path(
            "programmes/<int:number>/updates/",
            work_views.programme_updates,
            name="programme_updates",
        ),
        # <period> is like 2025-q2 (Q2 2025/26); the view refuses anything else with a 404.
        path(
            "programmes/<int:number>/updates/<str:period>/edit/",
            work_views.programme_update_edit,
            name="programme_update_edit",
        ),
    ),
]
