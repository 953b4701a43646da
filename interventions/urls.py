from django.urls import include, path

from interventions.dashboard import views as dashboard_views
from interventions.kit.routing import intervention_pages
from interventions.plan import views

app_name = "interventions"
urlpatterns = [
    intervention_pages(
        path("", dashboard_views.intervention_detail, name="intervention_detail"),
        path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
        path(
            "programmes/<int:number>/",
            views.programme_detail,
            name="programme_detail",
        ),
        path("milestones/", views.MilestoneListView.as_view(), name="milestone_list"),
        path("milestones/<int:pk>/", views.milestone_detail, name="milestone_detail"),
    ),
    path("", views.InterventionListView.as_view(), name="intervention_list"),
    # Officers keep the plan up to date; everyone reads what changed.
    path("", include("interventions.updates.urls")),
    path("", include("interventions.evidence.urls")),
    path("", include("interventions.work.urls")),
    path("", include("interventions.history.urls")),
    path("", include("interventions.dashboard.urls")),
    path("", include("interventions.deadlines.urls")),
]
