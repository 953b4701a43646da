"""URLs of the success measures' pages, in the interventions namespace."""

from django.urls import path

from interventions.kit.routing import intervention_pages
from interventions.measures import views

urlpatterns = [
    intervention_pages(
        path("measures/", views.MeasureListView.as_view(), name="measure_list"),
        path("measures/new/", views.measure_create, name="measure_create"),
        path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
        path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
        path("measures/<int:pk>/readings/new/", views.reading_add, name="reading_add"),
        path("measures/<int:pk>/readings/<int:reading>/", views.reading_edit, name="reading_edit"),
        path("measures/<int:pk>/agree/", views.measure_agree, name="measure_agree"),
        path(
            "measures/<int:pk>/board-agreement/",
            views.measure_board_agreement,
            name="measure_board_agreement",
        ),
    ),
]
