from django.urls import path

from boards import meeting_views, public_views, recommendation_views, views
from interventions.kit.routing import intervention_pages

app_name = "boards"
urlpatterns = [
    intervention_pages(
        path("boards/", views.BoardListView.as_view(), name="board_list"),
        path("boards/<slug:key>/", views.board_detail, name="board_detail"),
        path(
            "boards/<slug:key>/meetings/add/",
            meeting_views.meeting_create,
            name="meeting_create",
        ),
        path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
        path("meetings/<int:pk>/edit/", meeting_views.meeting_edit, name="meeting_edit"),
        path(
            "meetings/<int:pk>/agenda/add/",
            meeting_views.agenda_item_add,
            name="agenda_item_add",
        ),
        path("meetings/<int:pk>/papers/add/", meeting_views.paper_add, name="paper_add"),
        path(
            "meetings/<int:pk>/attendance/",
            meeting_views.attendance_record,
            name="attendance_record",
        ),
        path("meetings/<int:pk>/actions/add/", meeting_views.action_add, name="action_add"),
        path("actions/<int:pk>/", meeting_views.action_edit, name="action_edit"),
        path(
            "agenda/<int:pk>/edit/",
            meeting_views.agenda_item_edit,
            name="agenda_item_edit",
        ),
        path("papers/<uuid:uuid>/edit/", meeting_views.paper_edit, name="paper_edit"),
        path("papers/<uuid:uuid>/", meeting_views.paper_download, name="paper_download"),
        path(
            "recommendations/",
            views.RecommendationListView.as_view(),
            name="recommendation_list",
        ),
        path(
            "recommendations/add/",
            recommendation_views.recommendation_add,
            name="recommendation_add",
        ),
        path(
            "recommendations/<int:pk>/",
            views.recommendation_detail,
            name="recommendation_detail",
        ),
        path(
            "recommendations/<int:pk>/edit/",
            recommendation_views.recommendation_edit,
            name="recommendation_edit",
        ),
        path(
            "recommendations/<int:pk>/respond/",
            recommendation_views.recommendation_respond,
            name="recommendation_respond",
        ),
        path(
            "recommendations/<int:pk>/publish/",
            recommendation_views.recommendation_publish,
            name="recommendation_publish",
        ),
    ),
    # Public pages: no sign-in, only while the intervention's public pages are switched on.
    path("public/<slug:slug>/", public_views.public_home, name="public_home"),
    path(
        "public/<slug:slug>/meetings/<int:pk>/",
        public_views.public_meeting,
        name="public_meeting",
    ),
    path(
        "public/<slug:slug>/recommendations/",
        public_views.public_recommendation_list,
        name="public_recommendation_list",
    ),
    path("public/<slug:slug>/papers/<uuid:uuid>/", public_views.public_paper, name="public_paper"),
]
