"""Text people type can never run as code: a script saved in every text field of the domain
comes back escaped on every page, in the admin, and as plain text in CSV exports."""

import csv
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import reverse

from reports import provenance
from tests.test_permission_matrix import (
    MATRIX,
    ROLES,
    World,
    admin_url,
    build_world,
    url_names,
)

PAYLOAD = "<script>alert(1)</script>\"'&"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;&amp;"
SHORT = "<x>\"'&"  # for the few fields too short for the whole payload
SHORT_ESCAPED = "&lt;x&gt;&quot;&#x27;&amp;"
DOMAIN_APPS = ("interventions", "directions", "boards")
# The stored MIME type of an upload decides how it is served, and a calendar feed's secret
# token is its address; neither is ever typed by a person.
NOT_TYPED = {("evidence", "content_type"), ("feedtoken", "token")}


def text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not isinstance(field, models.SlugField)
        and (model._meta.model_name, field.name) not in NOT_TYPED
    ]


def poison(obj: models.Model) -> list[str]:
    """Put the payload in every text field of `obj` (saved, so history holds it too)."""
    filled = []
    for field in text_fields(type(obj)):
        fits = field.max_length is None or field.max_length >= len(PAYLOAD) + 20
        value = PAYLOAD if fits else SHORT
        if isinstance(field, models.URLField):
            value = f"https://example.org/{PAYLOAD}"
        setattr(obj, field.name, value)
        filled.append(field.name)
    obj._change_reason = PAYLOAD
    obj.save()
    return filled


@pytest.fixture
def poisoned(db) -> World:
    world = build_world()
    domain_models = [
        model
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        # The change log is derived from history (poisoned through the records it indexes).
        if not model.__name__.startswith("Historical")
        and model.__name__ not in {"Theme", "ChangeLog"}
    ]
    for model in domain_models:
        for obj in model.objects.all():
            poison(obj)
    for user in get_user_model().objects.all():
        user.first_name, user.last_name = PAYLOAD, SHORT
        user.save()
    # A report's source is the version its draft reads today: the poisoned one.
    source = world.kwargs["report_source"]
    model = provenance.model_of(source["kind"])
    assert model is not None
    latest = model.history.filter(id=source["record_id"]).latest("history_date", "history_id")
    source["version"] = latest.history_id
    return world


def as_role(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def assert_escaped(url: str, page: str) -> None:
    assert "<script>alert(1)" not in page, url
    assert "<x>" not in page, url
    assert "</script>\"'&" not in page, url


def test_every_domain_model_has_text_fields_to_poison():
    assert text_fields(apps.get_model("interventions", "Milestone"))
    assert "number" in [f.name for f in text_fields(apps.get_model("interventions", "Milestone"))]


def test_every_page_shows_the_payload_escaped(poisoned):
    client = as_role(poisoned, "improvement_team")
    column = ROLES.index("improvement_team")
    shown = 0
    for name, (obj, expected) in MATRIX.items():
        if expected[column] != 200:
            continue
        url = reverse(name, kwargs=poisoned.kwargs[obj] if obj else {})
        response = client.get(url)
        assert response.status_code == 200, url
        if not response["Content-Type"].startswith("text/html"):
            continue
        page = response.content.decode()
        assert_escaped(url, page)
        shown += page.count(ESCAPED) + page.count(SHORT_ESCAPED)
    # The payload is really on the pages (escaped), so the checks above looked at it.
    assert shown > 50


def test_the_admin_shows_the_payload_escaped(poisoned):
    client = as_role(poisoned, "administrator")
    shown = 0
    for name in url_names():
        if name.startswith("admin:") and name.endswith(("_change", "_changelist", "history")):
            url = admin_url(name)
            response = client.get(url)
            if response.status_code != 200:
                continue
            page = response.content.decode()
            assert_escaped(url, page)
            shown += page.count(ESCAPED)
    assert shown > 50


def test_csv_exports_hold_the_text_as_typed_in_a_download(poisoned):
    client = as_role(poisoned, "improvement_team")
    slug = poisoned.kwargs["intervention"]["slug"]
    url = reverse("interventions:whats_changed", kwargs={"slug": slug})
    response = client.get(url, {"_export": "csv", "start": "2000-01-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    reasons = [row[5] for row in rows[1:]]
    assert PAYLOAD in reasons
    assert any(PAYLOAD in cell for row in rows[1:] for cell in row[:5])
