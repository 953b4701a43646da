"""The API's OpenAPI description is valid OpenAPI, and every operation it describes, called
with what schemathesis generates from it (anonymous and signed in), never fails with a
server error and answers as described. Kept to a few examples an operation so that it runs in
CI in well under a minute."""

import datetime

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from openapi_spec_validator import validate

from interventions.access import roles
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    DirectionFactory,
    DirectionSetFactory,
    MeetingFactory,
    MilestoneFactory,
    PaperFactory,
    PersonFactory,
    ProgrammeFactory,
    RecommendationFactory,
    StrategicAimFactory,
    UserFactory,
)

D = datetime.date

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.content_type_conformance,
]


def test_the_openapi_description_is_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    description = response.json()
    validate(description)
    assert description["info"]["version"] == "1"
    paths = description["paths"]
    assert "/api/v1/interventions/{slug}/directions/" in paths
    download = paths["/api/v1/interventions/{slug}/directions.csv"]["get"]["responses"]["200"]
    assert list(download["content"]) == ["text/csv"]


@pytest.fixture
def readers(db, settings):
    """A public intervention with a little of everything, and a user of it signed in."""
    # Many generated requests: the rate limits are tested in test_api.py.
    settings.API_RATES = {"anonymous": "10000/min", "signed_in": "10000/min"}
    cache.clear()
    user = UserFactory(role=roles.IMPROVEMENT_TEAM)
    person = PersonFactory(user=user)
    intervention = person.intervention
    intervention.public_pages = True
    intervention.save()
    directions = DirectionSetFactory(intervention=intervention)
    DirectionFactory(direction_set=DirectionFactory(direction_set=directions).direction_set)
    meeting = MeetingFactory(
        board=BoardFactory(intervention=intervention),
        published=True,
        status="minutes_approved",
        minutes="Approved.",
    )
    PaperFactory(meeting=meeting, agenda_item=AgendaItemFactory(meeting=meeting))
    PaperFactory(meeting=meeting, exempt=True, exemption_reason="Legal advice.")
    RecommendationFactory(
        intervention=intervention,
        owner=person,
        response="Yes.",
        responded_on=D(2025, 6, 1),
        published_on=D(2025, 6, 2),
    )
    MilestoneFactory(programme=ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention)))
    client = Client()
    client.force_login(user)
    # Called through WSGI, each request would close the database connection at its end (as
    # Django's test client avoids too), and with it the test's transaction on PostgreSQL.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"slug": intervention.slug, "cookie": f"sessionid={client.cookies['sessionid'].value}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    # The requests counted here would count against later tests' limits.
    cache.clear()


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=3,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_described(case, readers):
    # Half the time the generated slug, half the intervention that exists.
    if "slug" in (case.path_parameters or {}) and len(case.path_parameters["slug"]) % 2 == 0:
        case.path_parameters["slug"] = readers["slug"]
    case.call_and_validate(checks=CHECKS)
    case.call_and_validate(checks=CHECKS, headers={"Cookie": readers["cookie"]})
