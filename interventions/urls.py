from django.urls import include, path

from interventions.dashboard import views as dashboard_views
from interventions.plan import views

app_name = "interventions"
urlpatterns = [
    path("", views.InterventionListView.as_view(), name="intervention_list"),
    path("i/<slug:slug>/", dashboard_views.intervention_detail, name="intervention_detail"),
    path("i/<slug:slug>/programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path(
        "i/<slug:slug>/programmes/<int:number>/",
        views.programme_detail,
        name="programme_detail",
    ),
    path("i/<slug:slug>/milestones/", views.MilestoneListView.as_view(), name="milestone_list"),
    path("i/<slug:slug>/milestones/<int:pk>/", views.milestone_detail, name="milestone_detail"),
    # Officers keep the plan up to date; everyone reads what changed.
    path("", include("interventions.updates.urls")),
    path("", include("interventions.evidence.urls")),
    path("", include("interventions.work.urls")),
    path("", include("interventions.history.urls")),
    path("", include("interventions.dashboard.urls")),
    path("", include("interventions.deadlines.urls")),
]
