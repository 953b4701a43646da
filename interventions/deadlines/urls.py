"""Deadlines: lists, calendar, feeds and the schedules of recurring duties."""

from django.urls import path

from interventions.deadlines import views
from interventions.kit.routing import intervention_pages

urlpatterns = [
    intervention_pages(
        path("deadlines/", views.deadline_list, name="deadline_list"),
        path("deadlines/overdue/", views.deadline_overdue, name="deadline_overdue"),
        path("deadlines/next/<int:days>/", views.deadline_next, name="deadline_next"),
        path("deadlines/calendar/", views.deadline_calendar, name="deadline_calendar"),
        path(
            "deadlines/calendar/<int:year>/<int:month>/",
            views.deadline_calendar,
            name="deadline_calendar_month",
        ),
        path("deadlines/people/", views.deadline_people, name="deadline_people"),
        path("deadlines/themes/", views.deadline_themes, name="deadline_themes"),
        path("deadlines/feeds/", views.deadline_feeds, name="deadline_feeds"),
        path(
            "deadlines/feeds/<int:pk>/revoke/",
            views.deadline_feed_revoke,
            name="deadline_feed_revoke",
        ),
        path("deadlines/schedules/", views.deadline_schedules, name="deadline_schedules"),
        path(
            "deadlines/schedules/<str:kind>/<int:pk>/vary/",
            views.variation_add,
            name="variation_add",
        ),
        path(
            "deadlines/schedules/variations/<int:pk>/",
            views.variation_edit,
            name="variation_edit",
        ),
    ),
    path("feeds/deadlines/<str:token>.ics", views.deadline_feed, name="deadline_feed"),
]
