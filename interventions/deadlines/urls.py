"""Deadlines: lists, calendar, feeds and the schedules of recurring duties."""

from django.urls import path

from interventions.deadlines import views

urlpatterns = [
    path("i/<slug:slug>/deadlines/", views.deadline_list, name="deadline_list"),
    path("i/<slug:slug>/deadlines/overdue/", views.deadline_overdue, name="deadline_overdue"),
    path("i/<slug:slug>/deadlines/next/<int:days>/", views.deadline_next, name="deadline_next"),
    path("i/<slug:slug>/deadlines/calendar/", views.deadline_calendar, name="deadline_calendar"),
    path(
        "i/<slug:slug>/deadlines/calendar/<int:year>/<int:month>/",
        views.deadline_calendar,
        name="deadline_calendar_month",
    ),
    path("i/<slug:slug>/deadlines/people/", views.deadline_people, name="deadline_people"),
    path("i/<slug:slug>/deadlines/themes/", views.deadline_themes, name="deadline_themes"),
    path("i/<slug:slug>/deadlines/feeds/", views.deadline_feeds, name="deadline_feeds"),
    path(
        "i/<slug:slug>/deadlines/feeds/<int:pk>/revoke/",
        views.deadline_feed_revoke,
        name="deadline_feed_revoke",
    ),
    path("feeds/deadlines/<str:token>.ics", views.deadline_feed, name="deadline_feed"),
    path("i/<slug:slug>/deadlines/schedules/", views.deadline_schedules, name="deadline_schedules"),
    path(
        "i/<slug:slug>/deadlines/schedules/<str:kind>/<int:pk>/vary/",
        views.variation_add,
        name="variation_add",
    ),
    path(
        "i/<slug:slug>/deadlines/schedules/variations/<int:pk>/",
        views.variation_edit,
        name="variation_edit",
    ),
]
