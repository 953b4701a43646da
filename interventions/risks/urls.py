"""URLs of the RAID log's pages, in the interventions namespace."""

from django.urls import path

from interventions.kit.routing import intervention_pages
from interventions.risks import views

urlpatterns = [
    intervention_pages(
        path("risks/", views.RiskListView.as_view(), name="risk_list"),
        path("risks/heat-map/", views.risk_heatmap, name="risk_heatmap"),
        path("risks/new/", views.risk_create, name="risk_create"),
        path("risks/<int:pk>/", views.risk_detail, name="risk_detail"),
        path("risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
        path("risks/<int:pk>/review/", views.risk_review, name="risk_review"),
        path("risks/<int:pk>/close/", views.risk_close, name="risk_close"),
        path("risks/<int:pk>/mitigations/new/", views.mitigation_add, name="mitigation_add"),
        path(
            "risks/<int:pk>/mitigations/<int:mitigation>/",
            views.mitigation_edit,
            name="mitigation_edit",
        ),
    ),
]
