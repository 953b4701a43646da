"""URLs of an intervention's home page and its dashboard, in the interventions namespace."""

from django.urls import path

from interventions.dashboard import views as dashboard_views
from interventions.kit.routing import intervention_pages

urlpatterns = [
    intervention_pages(
        path("", dashboard_views.intervention_detail, name="intervention_detail"),
        path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    ),
]
