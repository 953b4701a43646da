"""URLs of the audit pages, in the interventions namespace."""

from django.urls import path

from interventions.history import views as audit_views

urlpatterns = [
    path("i/<slug:slug>/changes/", audit_views.whats_changed, name="whats_changed"),
    # kind: programme, milestone, direction or recommendation (any other is a 404).
    path(
        "i/<slug:slug>/history/<slug:kind>/<int:pk>/",
        audit_views.object_history,
        name="object_history",
    ),
]
