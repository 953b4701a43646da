from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("i/<slug:slug>/reports/", views.report_list, name="report_list"),
    path("i/<slug:slug>/reports/new/", views.report_create, name="report_create"),
    path(
        "i/<slug:slug>/reports/issued-elsewhere/new/",
        views.report_record_issued,
        name="report_record_issued",
    ),
    path("i/<slug:slug>/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("i/<slug:slug>/reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("i/<slug:slug>/reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("i/<slug:slug>/reports/<int:pk>/preview/", views.report_preview, name="report_preview"),
    path("i/<slug:slug>/reports/<int:pk>/build/", views.report_build, name="report_build"),
    path("i/<slug:slug>/reports/<int:pk>/pdf/", views.report_download, name="report_download"),
    path("i/<slug:slug>/reports/<int:pk>/issue/", views.report_finalise, name="report_finalise"),
    path("i/<slug:slug>/reports/<int:pk>/share/", views.report_share, name="report_share"),
]
