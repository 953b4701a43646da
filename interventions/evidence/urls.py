"""URLs of the evidence pages, in the interventions namespace."""

from django.urls import path

from interventions.evidence import views as evidence_views
from interventions.kit.routing import intervention_pages

urlpatterns = [
    intervention_pages(
        path(
            "programmes/<int:number>/evidence/add/",
            evidence_views.programme_evidence_add,
            name="programme_evidence_add",
        ),
        path(
            "milestones/<int:pk>/evidence/add/",
            evidence_views.milestone_evidence_add,
            name="milestone_evidence_add",
        ),
        path(
            "evidence/<uuid:uuid>/",
            evidence_views.evidence_download,
            name="evidence_download",
        ),
        path(
            "programmes/<int:number>/comments/add/",
            evidence_views.programme_comment_add,
            name="programme_comment_add",
        ),
        path(
            "milestones/<int:pk>/comments/add/",
            evidence_views.milestone_comment_add,
            name="milestone_comment_add",
        ),
        path(
            "challenges/<int:pk>/reply/",
            evidence_views.challenge_reply,
            name="challenge_reply",
        ),
        path(
            "challenges/<int:pk>/resolve/",
            evidence_views.challenge_resolve,
            name="challenge_resolve",
        ),
    ),
]
