"""Every page, for every persona: who may see it, who is refused, and what it shows."""

import datetime
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.urls import reverse

from interventions.models import Intervention, Theme
from tests.factories import (
    AppointmentFactory,
    BoardFactory,
    BoardMembershipFactory,
    DirectionFactory,
    DirectionSetFactory,
    InterventionFactory,
    MeetingFactory,
    MilestoneFactory,
    ProgrammeFactory,
    RecommendationFactory,
    UserFactory,
)

PERSONAS = ["officer", "improvement_team", "envoy", "board_member", "administrator"]


@dataclass
class World:
    """One of everything in an intervention, and the URL of each page with what it must show."""

    intervention: Intervention
    pages: dict[str, tuple[str, str]]


def build_world(intervention: Intervention) -> World:
    theme = Theme.objects.get(slug="governance")
    direction_set = DirectionSetFactory(intervention=intervention, title="Directions 2025")
    direction = DirectionFactory(
        direction_set=direction_set, ref="e", short_title="Continuous Improvement Plan"
    )
    direction.themes.add(theme)
    item = DirectionFactory(
        direction_set=direction_set, parent=direction, ref="iv", short_title="Openness"
    )
    programme = ProgrammeFactory(
        aim__intervention=intervention, title="Improve Governance", rag="amber"
    )
    programme.themes.add(theme)
    direction.programmes.add(programme)
    milestone = MilestoneFactory(
        programme=programme, title="Review the scheme of delegation", steps="Draft\nConsult"
    )
    board = BoardFactory(intervention=intervention, key="tab", name="Transformation Board")
    BoardMembershipFactory(board=board, role="chair")
    MeetingFactory(board=board, date=datetime.date(2025, 4, 14), title="Inaugural meeting")
    recommendation = RecommendationFactory(
        intervention=intervention, title="Publish responses promptly"
    )
    recommendation.directions.add(direction)
    AppointmentFactory(person__intervention=intervention, person__name="Kim Envoy", role="envoy")
    slug = intervention.slug
    pages = {
        "intervention_list": (reverse("interventions:intervention_list"), intervention.title),
        "intervention_detail": (intervention.get_absolute_url(), "Kim Envoy"),
        "direction_list": (
            reverse("directions:direction_list", kwargs={"slug": slug}),
            "Continuous Improvement Plan",
        ),
        "direction_detail": (direction.get_absolute_url(), "Improve Governance"),
        "direction_item_detail": (item.get_absolute_url(), "Openness"),
        "programme_list": (
            reverse("interventions:programme_list", kwargs={"slug": slug}),
            "Improve Governance",
        ),
        "programme_detail": (programme.get_absolute_url(), "Review the scheme of delegation"),
        "milestone_list": (
            reverse("interventions:milestone_list", kwargs={"slug": slug}),
            "Review the scheme of delegation",
        ),
        "milestone_detail": (milestone.get_absolute_url(), "Consult"),
        "board_list": (
            reverse("boards:board_list", kwargs={"slug": slug}),
            "Transformation Board",
        ),
        "board_detail": (
            reverse("boards:board_detail", kwargs={"slug": slug, "key": "tab"}),
            "Inaugural meeting",
        ),
        "recommendation_list": (
            reverse("boards:recommendation_list", kwargs={"slug": slug}),
            "Publish responses promptly",
        ),
        "recommendation_detail": (recommendation.get_absolute_url(), "Continuous Improvement"),
    }
    return World(intervention=intervention, pages=pages)


PAGES = [
    "intervention_list",
    "intervention_detail",
    "direction_list",
    "direction_detail",
    "direction_item_detail",
    "programme_list",
    "programme_detail",
    "milestone_list",
    "milestone_detail",
    "board_list",
    "board_detail",
    "recommendation_list",
    "recommendation_detail",
]
INTERVENTION_PAGES = [page for page in PAGES if page != "intervention_list"]


@pytest.fixture
def world(intervention):
    return build_world(intervention)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_each_persona_sees_each_page(client, world, request, persona, page):
    client.force_login(request.getfixturevalue(persona))
    url, expected = world.pages[page]

    response = client.get(url)

    assert response.status_code == 200
    assert expected in response.text
    assert "— Stocktake</title>" in response.text


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, page):
    url, _ = world.pages[page]

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={quote(url)}"


@pytest.mark.parametrize("page", INTERVENTION_PAGES)
def test_a_user_of_another_intervention_gets_404(client, world, stranger, page):
    client.force_login(stranger)
    url, _ = world.pages[page]

    assert client.get(url).status_code == 404


def test_a_user_of_another_intervention_does_not_see_it_listed(client, world, stranger):
    client.force_login(stranger)

    response = client.get(reverse("interventions:intervention_list"))

    assert response.status_code == 200
    assert world.intervention.title not in response.text
    own = stranger.people.get().intervention
    assert own.title in response.text


def test_a_row_of_another_intervention_is_not_found_through_this_one(
    client, world, officer, other_intervention
):
    """Sub-objects are looked up within the intervention in the URL, never by key alone."""
    client.force_login(officer)
    theirs = build_world(other_intervention)
    slug = world.intervention.slug
    for page in ["direction_detail", "milestone_detail", "recommendation_detail"]:
        their_url, _ = theirs.pages[page]
        pk = their_url.rstrip("/").rsplit("/", 1)[1]
        app = (
            "boards"
            if page.startswith("recommendation")
            else ("directions" if page.startswith("direction") else "interventions")
        )
        url = reverse(f"{app}:{page}", kwargs={"slug": slug, "pk": pk})
        assert client.get(url).status_code == 404, url


def test_an_administrator_sees_every_intervention(client, world, administrator, other_intervention):
    client.force_login(administrator)

    response = client.get(reverse("interventions:intervention_list"))

    assert world.intervention.title in response.text
    assert other_intervention.title in response.text


def test_the_current_section_is_marked_in_the_navigation(client, world, officer):
    client.force_login(officer)
    url, _ = world.pages["milestone_list"]

    html = client.get(url).text

    active = '<strong class="govuk-service-navigation__active-fallback">Milestones</strong>'
    assert f'aria-current="true">{active}' in html


def test_sign_out_is_a_post_form_with_csrf(client, world, officer):
    client.force_login(officer)

    html = client.get(world.pages["intervention_detail"][0]).text

    form = html[html.index('action="/logout/"') - 40 :]
    assert 'method="post"' in form[:60]
    assert "csrfmiddlewaretoken" in form[:400]


def test_the_sign_in_page_renders_for_anyone(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert '<label class="govuk-label" for="id_username">Username</label>' in response.text
    assert 'autocomplete="username"' in response.text
    assert 'autocomplete="current-password"' in response.text
    assert "govuk-error-summary" not in response.text


def test_a_wrong_password_shows_the_error_summary(client, db):
    user = UserFactory()

    response = client.post(reverse("login"), {"username": user.username, "password": "wrong"})

    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "There is a problem" in response.text
    assert '<a href="#id_username">Please enter a correct username' in response.text
    assert "<title>Error: Sign in — Stocktake</title>" in response.text


def test_the_right_password_signs_in_and_lands_on_the_interventions(client, db):
    user = UserFactory()

    response = client.post(
        reverse("login"), {"username": user.username, "password": "correct-horse-battery"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("interventions:intervention_list")


def test_text_people_typed_is_escaped(client, world, officer):
    programme = ProgrammeFactory(
        aim__intervention=world.intervention, title="<script>alert('x')</script> Plan"
    )
    client.force_login(officer)

    for url in [
        reverse("interventions:programme_list", kwargs={"slug": world.intervention.slug}),
        programme.get_absolute_url(),
    ]:
        html = client.get(url).text
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Plan" in html


@pytest.mark.parametrize("page", PAGES)
def test_pages_have_no_inline_script_or_style(client, world, officer, page):
    """A Content Security Policy without 'unsafe-inline' is coming: keep pages ready for it."""
    client.force_login(officer)
    html = client.get(world.pages[page][0]).text

    assert "style=" not in html
    assert html.count("<script") == html.count('<script type="module" src=')


def test_the_direction_page_explains_the_deadline(client, world, officer):
    client.force_login(officer)

    html = client.get(world.pages["direction_detail"][0]).text

    assert "Due 3 months after the date of the Directions (22 Jan 2025): by 22 Apr 2025." in html


@pytest.mark.parametrize(
    "page", ["direction_detail", "programme_detail", "milestone_detail", "recommendation_detail"]
)
def test_detail_pages_show_their_history_to_every_reader(client, world, envoy, page):
    client.force_login(envoy)

    html = client.get(world.pages[page][0]).text

    assert '<h2 class="govuk-heading-m" id="history">History</h2>' in html
    assert "Created" in html


def test_the_not_found_page_explains_itself_without_naming_the_intervention(
    client, world, stranger
):
    client.force_login(stranger)

    response = client.get(world.intervention.get_absolute_url())

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "may not have access" in response.text
    assert world.intervention.title not in response.text


def test_an_intervention_known_only_to_the_year_says_so(client, administrator):
    earlier = InterventionFactory(
        directions_date=datetime.date(2014, 1, 1),
        directions_date_precision="year",
        end_date=datetime.date(2017, 3, 1),
        end_date_precision="month",
        duration_months=None,
    )
    client.force_login(administrator)

    home = client.get(earlier.get_absolute_url()).text
    listing = client.get(reverse("interventions:intervention_list")).text

    assert "2014" in home and "1 Jan 2014" not in home
    assert "March 2017" in home and "1 Mar 2017" not in home
    assert "1 Jan 2014" not in listing


def test_every_signed_in_page_links_to_my_work(client, world, envoy):
    client.force_login(envoy)

    html = client.get(reverse("interventions:intervention_list")).text

    assert f'href="{reverse("interventions:my_work")}"' in html
