"""URLs of the interventions app: one namespace, `interventions:`, over its packages' pages."""

from django.urls import include, path

app_name = "interventions"
urlpatterns = [
    path("", include("interventions.plan.urls")),
    path("", include("interventions.measures.urls")),
    path("", include("interventions.risks.urls")),
    path("", include("interventions.dashboard.urls")),
    # Officers keep the plan up to date; everyone reads what changed.
    path("", include("interventions.updates.urls")),
    path("", include("interventions.evidence.urls")),
    path("", include("interventions.work.urls")),
    path("", include("interventions.inbox.urls")),
    path("", include("interventions.history.urls")),
    path("", include("interventions.deadlines.urls")),
    path("", include("interventions.search.urls")),
    # The Department's portfolio: the one page across interventions.
    path("", include("interventions.portfolio.urls")),
]
