"""URLs of the inbox, in the interventions namespace: My work."""

from django.urls import path

from interventions.inbox import views as inbox_views

urlpatterns = [
    path("my-work/", inbox_views.my_work_page, name="my_work"),
]
