"""URLs of the pages where officers update the plan and change requests are decided."""

from django.urls import path

from interventions.kit.routing import intervention_pages
from interventions.updates import delegation_views
from interventions.updates import views as update_views

urlpatterns = [
    intervention_pages(
        path(
            "programmes/<int:number>/edit/",
            update_views.programme_edit,
            name="programme_edit",
        ),
        path(
            "milestones/<int:pk>/edit/",
            update_views.milestone_edit,
            name="milestone_edit",
        ),
        path(
            "milestones/<int:pk>/change-request/",
            update_views.change_request_new,
            name="change_request_new",
        ),
        path(
            "change-requests/",
            update_views.ChangeRequestListView.as_view(),
            name="change_request_list",
        ),
        path(
            "change-requests/<int:pk>/",
            update_views.change_request_detail,
            name="change_request_detail",
        ),
        path(
            "programmes/<int:number>/delegations/",
            delegation_views.programme_delegations,
            name="programme_delegations",
        ),
        path(
            "programmes/<int:number>/delegations/<int:pk>/end/",
            delegation_views.end_delegation,
            name="end_delegation",
        ),
    ),
]
