"""URL of the intervention dashboard, in the interventions namespace."""

from django.urls import path

from interventions.dashboard import views as dashboard_views
from interventions.kit.routing import intervention_pages

urlpatterns = [
    intervention_pages(
        path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    ),
]
