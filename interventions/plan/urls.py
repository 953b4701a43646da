"""URLs of the plan's pages, in the interventions namespace: the interventions, and each one's
programmes and milestones."""

from django.urls import path

from interventions.kit.routing import intervention_pages
from interventions.plan import views

urlpatterns = [
    intervention_pages(
        path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
        path("programmes/<int:number>/", views.programme_detail, name="programme_detail"),
        path("milestones/", views.MilestoneListView.as_view(), name="milestone_list"),
        path("milestones/<int:pk>/", views.milestone_detail, name="milestone_detail"),
    ),
    path("", views.InterventionListView.as_view(), name="intervention_list"),
]
