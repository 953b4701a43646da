"""Wording and links a new user meets: counts in the right plural, breadcrumbs on every page
of a programme or milestone (after a save too), the quarter either side of a period update,
the public pages from the sign-in page, the admin for administrators, the dashboard's
as-of wording, the demo users and `scripts/demo.sh --port`."""

from __future__ import annotations

import datetime
import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from directions.models import IntervalVariation
from interventions.access.permissions import can_update_programme
from interventions.models import Delegation, Programme
from tests.factories import (
    DirectionFactory,
    InterventionFactory,
    MilestoneFactory,
    PersonFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.test_period_updates import CURRENT, PREVIOUS, edit_url, form_data, list_url

ROOT = Path(__file__).resolve().parent.parent


def crumbs(html: str) -> list[str]:
    return re.findall(r'govuk-breadcrumbs__link" href="[^"]*">([^<]*)<', html)


# ------------------------------------------------------------------------ plurals


def test_one_intervention_is_counted_in_the_singular(client, intervention, officer):
    client.force_login(officer)
    page = client.get(reverse("interventions:intervention_list")).content.decode()
    assert "<strong>1</strong> intervention<" in page
    assert "1</strong> interventions" not in page
    assert "Download the 1 row" in page
    PersonFactory(intervention=InterventionFactory(), user=officer)
    page = client.get(reverse("interventions:intervention_list")).content.decode()
    assert "<strong>2</strong> interventions" in page
    assert "all 2 rows" in page


def test_one_direction_is_counted_in_the_singular(client, intervention, officer):
    client.force_login(officer)
    DirectionFactory(direction_set__intervention=intervention)
    url = reverse("directions:direction_list", kwargs={"slug": intervention.slug})
    page = client.get(url).content.decode()
    assert "<strong>1</strong> Direction or sub-item" in page


def test_a_monthly_interval_is_every_month(intervention):
    direction = DirectionFactory(direction_set__intervention=intervention)
    variation = IntervalVariation(
        direction=direction, effective_from=datetime.date(2025, 4, 1), interval_months=1
    )
    assert str(variation) == "Every month from 1 Apr 2025"
    variation.interval_months = 3
    assert str(variation) == "Every 3 months from 1 Apr 2025"


# ------------------------------------------------------------------------ breadcrumbs


@pytest.fixture
def programme(intervention, officer):
    return ProgrammeFactory(
        aim__intervention=intervention, sro=officer.people.get(intervention=intervention)
    )


def test_every_page_of_a_milestone_leads_back_through_its_programme(
    client, intervention, officer, programme
):
    client.force_login(officer)
    milestone = MilestoneFactory(programme=programme)
    slug = intervention.slug
    trail = ["Interventions", intervention.title, "Programmes", f"Programme {programme.number}"]
    for name in ("milestone_edit", "change_request_new", "milestone_evidence_add"):
        page = client.get(
            reverse(f"interventions:{name}", kwargs={"slug": slug, "pk": milestone.pk})
        )
        assert crumbs(page.content.decode()) == [*trail, f"Milestone {milestone.label}"], name
    detail = client.get(milestone.get_absolute_url()).content.decode()
    assert crumbs(detail) == trail
    for name in ("programme_edit", "programme_delegations", "programme_evidence_add"):
        kwargs = {"slug": slug, "number": programme.number}
        page = client.get(reverse(f"interventions:{name}", kwargs=kwargs))
        assert crumbs(page.content.decode()) == trail, name


def test_after_saving_a_period_update_the_page_keeps_its_breadcrumbs(
    client, intervention, officer, programme
):
    client.force_login(officer)
    response = client.post(edit_url(programme, CURRENT), form_data(), follow=True)
    assert response.redirect_chain[-1][0] == list_url(programme)
    assert f"The update for {CURRENT.label} is saved." in response.content.decode()
    assert crumbs(response.content.decode())[-2:] == [
        "Programmes",
        f"Programme {programme.number}",
    ]


def test_recording_compliance_leads_back_through_the_directions(
    client, intervention, improvement_team
):
    client.force_login(improvement_team)
    direction = DirectionFactory(direction_set__intervention=intervention)
    url = reverse(
        "directions:direction_edit", kwargs={"slug": intervention.slug, "pk": direction.pk}
    )
    assert crumbs(client.get(url).content.decode())[-2:] == [
        "Directions",
        f"Direction {direction.reference}",
    ]


# ------------------------------------------------------------------------ quarters


def test_the_previous_quarters_update_links_to_the_current_one(client, officer, programme):
    client.force_login(officer)
    page = client.get(edit_url(programme, PREVIOUS)).content.decode()
    assert f'href="{edit_url(programme, CURRENT)}" rel="next"' in page
    assert "Next quarter" in page
    assert 'rel="prev"' not in page  # the quarter before is closed


def test_the_current_quarters_update_links_back_and_says_when_the_next_opens(
    client, officer, programme
):
    client.force_login(officer)
    page = client.get(edit_url(programme, CURRENT)).content.decode()
    assert f'href="{edit_url(programme, PREVIOUS)}" rel="prev"' in page
    assert "Previous quarter" in page
    assert 'rel="next"' not in page
    following = CURRENT.next()
    assert f"The update for {following.label} can be written from" in page


# ------------------------------------------------------------------------ links


def test_the_sign_in_page_links_to_public_pages_only_where_they_are_on(client, intervention):
    hidden = InterventionFactory(public_pages=False)
    intervention.public_pages = True
    intervention.save()
    page = client.get(reverse("login")).content.decode()
    assert reverse("boards:public_home", kwargs={"slug": intervention.slug}) in page
    assert reverse("boards:public_home", kwargs={"slug": hidden.slug}) not in page
    assert "Published without signing in" in page


def test_the_sign_in_page_says_nothing_of_public_pages_when_there_are_none(client, intervention):
    assert "Published without signing in" not in client.get(reverse("login")).content.decode()


ADMIN_LINK = f'app-account__name" href="{reverse("admin:index")}">Admin</a>'


def test_the_header_links_to_the_admin_for_staff(client, db):
    client.force_login(UserFactory(role="Administrator", is_staff=True))
    assert ADMIN_LINK in client.get(reverse("interventions:intervention_list")).content.decode()


@pytest.mark.parametrize("persona", ["officer", "improvement_team", "envoy", "board_member"])
def test_the_header_has_no_admin_link_for_anyone_else(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("interventions:intervention_list")).content.decode()
    assert ADMIN_LINK not in page


# ------------------------------------------------------------------------ dashboard


def test_the_dashboard_today_says_it_is_as_recorded_now(client, intervention, envoy):
    client.force_login(envoy)
    url = reverse("interventions:dashboard", kwargs={"slug": intervention.slug})
    page = client.get(url).content.decode()
    assert "as recorded now" in page
    assert "as now known" not in page


def test_the_dashboard_on_a_chosen_day_says_what_it_shows(client, intervention, envoy):
    client.force_login(envoy)
    url = reverse("interventions:dashboard", kwargs={"slug": intervention.slug})
    page = client.get(url + "?as_of=2025-07-22").content.decode()
    assert "as recorded now" not in page
    assert "As it stood on <strong>22 July 2025</strong>, as now known" in page
    assert "Still as recorded today" in page


# ------------------------------------------------------------------------ the demo


def test_the_demo_officer_has_a_programme_of_their_own(intervention, settings):
    settings.DEBUG = True
    first = ProgrammeFactory(aim__intervention=intervention, number=1)
    ProgrammeFactory(aim__intervention=intervention, number=2)
    sro_before = first.sro_id
    out = io.StringIO()
    call_command("create_demo_users", intervention.slug, stdout=out)
    officer = intervention.people.get(key="demo-officer")
    assert can_update_programme(officer.user, first)
    assert f"may update programme {first}" in out.getvalue()
    delegation = Delegation.objects.get(person=officer)
    assert delegation.note.startswith("Demo only")
    assert Programme.objects.get(pk=first.pk).sro_id == sro_before  # the real SRO stays
    # Running it again keeps the one delegation.
    call_command("create_demo_users", intervention.slug, stdout=io.StringIO())
    assert Delegation.objects.filter(person=officer).count() == 1


def test_the_demo_officer_of_a_commissioners_intervention_gets_its_first_programme(
    commissioners, settings
):
    settings.DEBUG = True
    call_command("create_demo_users", commissioners.slug, stdout=io.StringIO())
    officer = commissioners.people.get(key="demo-officer")
    delegation = Delegation.objects.get(person=officer)
    assert delegation.programme.intervention == commissioners
    assert can_update_programme(officer.user, delegation.programme)


def demo(*args: str, port: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEMO_CHECK_ONLY": "1"}
    env.pop("PORT", None)
    if port is not None:
        env["PORT"] = port
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "demo.sh"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )


@pytest.mark.parametrize(
    ("args", "port", "address"),
    [
        ((), None, "http://127.0.0.1:8000"),
        (("--port", "8123"), None, "http://127.0.0.1:8123"),
        (("--port=9000",), None, "http://127.0.0.1:9000"),
        ((), "8500", "http://127.0.0.1:8500"),
        (("--port", "8600"), "8500", "http://127.0.0.1:8600"),
    ],
)
def test_the_demo_serves_on_the_port_asked_for(args, port, address):
    result = demo(*args, port=port)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == address


@pytest.mark.parametrize(
    "args", [("--port", "abc"), ("--port",), ("--port", "70000"), ("--port", "0"), ("--bogus",)]
)
def test_the_demo_refuses_a_port_that_is_not_one(args):
    result = demo(*args)
    assert result.returncode == 2
    assert "scripts/demo.sh:" in result.stderr
    assert result.stdout == ""
