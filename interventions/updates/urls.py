"""URLs of the pages where officers update the plan, change requests are decided and the
improvement team changes the shape of the plan."""

from django.urls import path

from interventions.kit.routing import intervention_pages
from interventions.updates import delegation_views, plan_views
from interventions.updates import views as update_views

urlpatterns = [
    intervention_pages(
        path(
            "programmes/<int:number>/edit/",
            update_views.programme_edit,
            name="programme_edit",
        ),
        path(
            "programmes/<int:number>/milestones/update/",
            update_views.milestones_bulk_edit,
            name="milestones_bulk_edit",
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
        path("plan/changes/", plan_views.plan_changes_page, name="plan_changes"),
        path("plan/changes/add-aim/", plan_views.add_aim, name="plan_add_aim"),
        path("plan/changes/add-programme/", plan_views.add_programme, name="plan_add_programme"),
        path("plan/changes/renumber/", plan_views.renumber, name="plan_renumber"),
        path(
            "plan/changes/move-programme/",
            plan_views.move_programme,
            name="plan_move_programme",
        ),
        path("plan/changes/merge/", plan_views.merge, name="plan_merge"),
        path(
            "plan/changes/close-programme/",
            plan_views.close_programme,
            name="plan_close_programme",
        ),
        path("plan/changes/close-aim/", plan_views.close_aim, name="plan_close_aim"),
    ),
]
