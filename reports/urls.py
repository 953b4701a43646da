from django.urls import path

from interventions.kit.routing import intervention_pages
from reports import exit_views, expectation_views, views

app_name = "reports"
urlpatterns = [
    intervention_pages(
        path("reports/", views.report_list, name="report_list"),
        path("reports/new/", views.report_create, name="report_create"),
        path(
            "reports/issued-elsewhere/new/",
            views.report_record_issued,
            name="report_record_issued",
        ),
        path(
            "reports/printed-without-stylesheet/",
            views.report_unstyled,
            name="report_unstyled",
        ),
        path("reports/<int:pk>/reissue/", views.report_reissue, name="report_reissue"),
        path("reports/<int:pk>/", views.report_detail, name="report_detail"),
        path("reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
        path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
        path("reports/<int:pk>/preview/", views.report_preview, name="report_preview"),
        path("reports/<int:pk>/build/", views.report_build, name="report_build"),
        path("reports/<int:pk>/pdf/", views.report_download, name="report_download"),
        path("reports/<int:pk>/docx/", views.report_docx, name="report_docx"),
        path("reports/<int:pk>/issue/", views.report_finalise, name="report_finalise"),
        path("reports/<int:pk>/share/", views.report_share, name="report_share"),
        path("reports/<int:pk>/sources/", views.report_sources, name="report_sources"),
        path(
            "reports/<int:pk>/sources/<slug:kind>/<int:record_id>/<int:version>/",
            views.source_version,
            name="source_version",
        ),
        path(
            "expectations/",
            expectation_views.ExpectationListView.as_view(),
            name="expectation_list",
        ),
        path("expectations/new/", expectation_views.expectation_create, name="expectation_create"),
        path(
            "expectations/<int:pk>/",
            expectation_views.expectation_detail,
            name="expectation_detail",
        ),
        path(
            "expectations/<int:pk>/edit/",
            expectation_views.expectation_edit,
            name="expectation_edit",
        ),
        path(
            "expectations/<int:pk>/answer/",
            expectation_views.expectation_answer,
            name="expectation_answer",
        ),
        path(
            "expectations/<int:pk>/judge/",
            expectation_views.expectation_judge,
            name="expectation_judge",
        ),
        path("exit/", exit_views.exit_readiness, name="exit_readiness"),
        path("exit/judge/", exit_views.exit_judge, name="exit_judge"),
    ),
]
