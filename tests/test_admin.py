"""The admin covers every model of the domain, with its history, for administrators only."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from directions.models import IntervalVariation, ReportingDuty
from interventions.models import ChangeRequest, Comment, FeedToken, ReminderSent
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    AppointmentFactory,
    AttendanceFactory,
    BoardMembershipFactory,
    BoardRequirementFactory,
    ChangeRequestFactory,
    CommentFactory,
    DelegationFactory,
    DirectionFactory,
    EvidenceFactory,
    MeasureReadingFactory,
    MeetingFactory,
    MilestoneFactory,
    MitigationFactory,
    PaperFactory,
    PersonFactory,
    PlanFactory,
    ProgrammeUpdateFactory,
    RecommendationFactory,
    UserFactory,
)

DOMAIN_APPS = ("interventions", "directions", "boards")
DOMAIN_MODELS = [
    model
    for label in DOMAIN_APPS
    for model in apps.get_app_config(label).get_models()
    if not model.__name__.startswith("Historical")
]


@pytest.fixture
def staff_administrator(administrator):
    administrator.is_staff = True
    administrator.save()
    return administrator


@pytest.fixture
def one_of_everything(db):
    milestone = MilestoneFactory()
    intervention = milestone.programme.intervention
    PlanFactory(intervention=intervention)
    AppointmentFactory(person__intervention=intervention)
    DirectionFactory(direction_set__intervention=intervention)
    meeting = MeetingFactory(board__intervention=intervention)
    BoardMembershipFactory(board=meeting.board)
    RecommendationFactory(intervention=intervention, meeting=meeting)
    BoardRequirementFactory(board=meeting.board)
    AgendaItemFactory(meeting=meeting)
    PaperFactory(meeting=meeting)
    AttendanceFactory(meeting=meeting)
    ActionFactory(meeting=meeting)
    programme = milestone.programme
    DelegationFactory(programme=programme, milestone=milestone)
    ProgrammeUpdateFactory(programme=programme)
    EvidenceFactory(programme=programme, milestone=milestone)
    ChangeRequestFactory(milestone=milestone)
    CommentFactory(programme=programme, milestone=milestone)
    MeasureReadingFactory(measure__intervention=intervention)
    MitigationFactory(risk__intervention=intervention)
    direction = DirectionFactory(
        direction_set__intervention=intervention, deadline_kind="recurring"
    )
    IntervalVariation.objects.create(
        direction=direction, effective_from=intervention.directions_date, interval_months=2
    )
    # Deadlines: a reporting duty, a calendar feed and a reminder sent.
    ReportingDuty.objects.create(
        intervention=intervention, report_kind="stocktake", title="Stocktake", first_due_months=4
    )
    person = PersonFactory(intervention=intervention, user=UserFactory())
    FeedToken.objects.create(user=person.user, intervention=intervention)
    ReminderSent.objects.create(
        person=person, sent_on=intervention.directions_date, email="a@example.org", items=1
    )


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model.__name__)
def test_every_domain_model_is_in_the_admin(model):
    assert model in admin.site._registry


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model.__name__)
def test_an_administrator_can_open_each_model_its_rows_and_their_history(
    client, staff_administrator, one_of_everything, model
):
    client.force_login(staff_administrator)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    obj = model.objects.first()
    assert obj is not None
    assert client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200
    if hasattr(model, "history"):
        obj._change_reason = "Checked in the admin"
        obj.save()
        response = client.get(reverse(f"{prefix}_history", args=[obj.pk]))
        assert response.status_code == 200
        assert "Change reason" in response.text
        assert "Checked in the admin" in response.text


def test_a_signed_in_user_who_is_not_staff_is_kept_out_of_the_admin(client, envoy):
    client.force_login(envoy)

    response = client.get(reverse("admin:interventions_programme_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_anonymous_visitor_is_sent_to_the_admin_sign_in(client, db):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_staff_user_without_a_role_sees_no_models(client, db):
    user = UserFactory(is_staff=True)
    client.force_login(user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "Programmes" not in response.text


def test_comments_and_change_requests_cannot_be_changed_or_deleted_in_the_admin(
    client, staff_administrator, one_of_everything
):
    client.force_login(staff_administrator)
    for model in (Comment, ChangeRequest):
        obj = model.objects.get()
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"

        page = client.get(reverse(f"{prefix}_change", args=[obj.pk])).text
        client.post(reverse(f"{prefix}_delete", args=[obj.pk]), {"post": "yes"})

        assert 'name="_save"' not in page
        assert model.objects.filter(pk=obj.pk).exists()
