"""URLs of the audit pages, in the interventions namespace."""

from django.urls import path

from interventions.history import views as audit_views
from interventions.kit.routing import intervention_pages

urlpatterns = [
    intervention_pages(
        path("changes/", audit_views.whats_changed, name="whats_changed"),
        # kind: programme, milestone, direction or recommendation (any other is a 404).
        path(
            "history/<slug:kind>/<int:pk>/",
            audit_views.object_history,
            name="object_history",
        ),
    ),
]
