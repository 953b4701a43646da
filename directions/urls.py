from django.urls import path

from directions import views

app_name = "directions"
urlpatterns = [
    path("i/<slug:slug>/directions/", views.DirectionListView.as_view(), name="direction_list"),
    path("i/<slug:slug>/directions/<int:pk>/", views.direction_detail, name="direction_detail"),
    path("i/<slug:slug>/directions/<int:pk>/edit/", views.direction_edit, name="direction_edit"),
]
