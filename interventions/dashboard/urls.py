"""URL of the intervention dashboard, in the interventions namespace."""

from django.urls import path

from interventions.dashboard import views as dashboard_views

urlpatterns = [
    path("i/<slug:slug>/dashboard/", dashboard_views.dashboard, name="dashboard"),
]
