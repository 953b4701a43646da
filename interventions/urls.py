from django.urls import include, path

from interventions import views

app_name = "interventions"
urlpatterns = [
    path("", views.InterventionListView.as_view(), name="intervention_list"),
    path("i/<slug:slug>/", views.intervention_detail, name="intervention_detail"),
    path("i/<slug:slug>/programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path(
        "i/<slug:slug>/programmes/<int:number>/",
        views.programme_detail,
        name="programme_detail",
    ),
    path("i/<slug:slug>/milestones/", views.MilestoneListView.as_view(), name="milestone_list"),
    path("i/<slug:slug>/milestones/<int:pk>/", views.milestone_detail, name="milestone_detail"),
    # Officers keep the plan up to date; everyone reads what changed.
    path("", include("interventions.urls_updates")),
    path("", include("interventions.urls_evidence")),
    path("", include("interventions.urls_work")),
    path("", include("interventions.urls_audit")),
    path("", include("interventions.urls_dashboard")),
    path("", include("interventions.urls_deadlines")),
]
