from django.urls import path

from directions import views
from interventions.kit.routing import intervention_pages

app_name = "directions"
urlpatterns = [
    intervention_pages(
        path("directions/", views.DirectionListView.as_view(), name="direction_list"),
        path("directions/<int:pk>/", views.direction_detail, name="direction_detail"),
        path("directions/<int:pk>/edit/", views.direction_edit, name="direction_edit"),
    ),
]
