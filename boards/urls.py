from django.urls import path

from boards import views

app_name = "boards"
urlpatterns = [
    path("i/<slug:slug>/boards/", views.BoardListView.as_view(), name="board_list"),
    path("i/<slug:slug>/boards/<slug:key>/", views.board_detail, name="board_detail"),
    path(
        "i/<slug:slug>/recommendations/",
        views.RecommendationListView.as_view(),
        name="recommendation_list",
    ),
    path(
        "i/<slug:slug>/recommendations/<int:pk>/",
        views.recommendation_detail,
        name="recommendation_detail",
    ),
]
