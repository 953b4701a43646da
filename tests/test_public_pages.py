"""The public pages: on only while an administrator switches them on, readable without signing
in, and never showing anything exempt, unpublished or draft, on a page or as a file, however
its address is guessed. Each rule is tested both ways."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    InterventionFactory,
    MeetingFactory,
    MilestoneFactory,
    PaperFactory,
    ProgrammeFactory,
    RecommendationFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    """A visitor who has not signed in."""
    return Client()


@pytest.fixture
def public(intervention):
    intervention.public_pages = True
    intervention.save()
    return intervention


@pytest.fixture
def meeting(public):
    return MeetingFactory(
        board=BoardFactory(intervention=public, name="Transformation and Assurance Board"),
        date=D(2025, 6, 12),
        title="Quarterly delivery report",
        published=True,
        status="minutes_approved",
        minutes="The Board received the report.",
    )


def home(intervention):
    return reverse("boards:public_home", kwargs={"slug": intervention.slug})


def meeting_page(meeting):
    slug = meeting.board.intervention.slug
    return reverse("boards:public_meeting", kwargs={"slug": slug, "pk": meeting.pk})


def paper_url(paper, intervention=None):
    slug = (intervention or paper.meeting.board.intervention).slug
    return reverse("boards:public_paper", kwargs={"slug": slug, "uuid": paper.uuid})


def recommendations(intervention):
    return reverse("boards:public_recommendation_list", kwargs={"slug": intervention.slug})


# ------------------------------------------------------------------------- the switch


def test_the_pages_are_public_without_signing_in_when_switched_on(anonymous, meeting):
    intervention = meeting.board.intervention
    paper = PaperFactory(meeting=meeting)

    for url in (home(intervention), meeting_page(meeting), recommendations(intervention)):
        assert anonymous.get(url).status_code == 200, url
    download = anonymous.get(paper_url(paper))
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")


def test_every_page_and_file_is_not_found_when_switched_off(anonymous, meeting):
    intervention = meeting.board.intervention
    paper = PaperFactory(meeting=meeting)
    intervention.public_pages = False
    intervention.save()

    for url in (
        home(intervention),
        meeting_page(meeting),
        recommendations(intervention),
        paper_url(paper),
    ):
        assert anonymous.get(url).status_code == 404, url


def test_the_switch_is_off_for_a_new_intervention(db):
    assert InterventionFactory().public_pages is False


def test_an_administrator_switches_them_on_in_the_admin(client, administrator, intervention):
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)

    page = client.get(reverse("admin:interventions_intervention_change", args=[intervention.pk]))

    assert 'name="public_pages"' in page.content.decode()


# ----------------------------------------------------------------------------- meetings


def test_a_meeting_appears_only_once_its_papers_are_published(anonymous, meeting):
    intervention = meeting.board.intervention
    assert "Quarterly delivery report" in anonymous.get(home(intervention)).content.decode()

    meeting.published = False
    meeting.save()

    assert "Quarterly delivery report" not in anonymous.get(home(intervention)).content.decode()
    assert anonymous.get(meeting_page(meeting)).status_code == 404


def test_a_cancelled_meeting_does_not_appear(anonymous, meeting):
    meeting.status = "cancelled"
    meeting.save()

    assert anonymous.get(meeting_page(meeting)).status_code == 404


def test_minutes_appear_only_once_approved(anonymous, meeting):
    assert "The Board received the report." in anonymous.get(meeting_page(meeting)).content.decode()

    meeting.status = "held"
    meeting.save()

    page = anonymous.get(meeting_page(meeting)).content.decode()
    assert "The Board received the report." not in page
    assert "The minutes are published once the Board has approved them." in page


# ------------------------------------------------------------------------------- papers


def test_a_public_paper_is_listed_and_an_exempt_one_is_not_even_named(anonymous, meeting):
    item = AgendaItemFactory(meeting=meeting, title="Delivery report", position=1)
    public_paper = PaperFactory(meeting=meeting, agenda_item=item, title="Dashboard")
    exempt = PaperFactory(
        meeting=meeting,
        agenda_item=item,
        title="Senior staffing changes",
        exempt=True,
        exemption_reason="Schedule 12A paragraph 1",
    )
    loose_exempt = PaperFactory(
        meeting=meeting, title="Legal advice", exempt=True, exemption_reason="Paragraph 5"
    )

    page = anonymous.get(meeting_page(meeting)).content.decode()

    assert "Dashboard" in page and str(public_paper.uuid) in page
    for hidden in (exempt, loose_exempt):
        assert hidden.title not in page
        assert str(hidden.uuid) not in page
    assert "Schedule 12A" not in page


def test_guessing_an_exempt_papers_address_finds_nothing(anonymous, meeting):
    exempt = PaperFactory(meeting=meeting, exempt=True, exemption_reason="Paragraph 3")

    response = anonymous.get(paper_url(exempt))

    assert response.status_code == 404
    assert not hasattr(response, "streaming_content")


def test_the_same_paper_made_public_can_be_downloaded(anonymous, meeting):
    paper = PaperFactory(meeting=meeting, exempt=True, exemption_reason="Paragraph 3")
    assert anonymous.get(paper_url(paper)).status_code == 404

    paper.exempt = False
    paper.exemption_reason = ""
    paper.save()

    assert anonymous.get(paper_url(paper)).status_code == 200


def test_a_paper_of_an_unpublished_meeting_cannot_be_downloaded(anonymous, meeting):
    paper = PaperFactory(meeting=meeting)
    assert anonymous.get(paper_url(paper)).status_code == 200

    meeting.published = False
    meeting.save()

    assert anonymous.get(paper_url(paper)).status_code == 404


def test_a_paper_cannot_be_fetched_under_another_interventions_public_address(anonymous, meeting):
    other = InterventionFactory(public_pages=True)
    paper = PaperFactory(meeting=meeting)

    assert anonymous.get(paper_url(paper, other)).status_code == 404


def test_the_signed_in_paper_address_is_not_public(anonymous, meeting):
    paper = PaperFactory(meeting=meeting)
    slug = meeting.board.intervention.slug

    response = anonymous.get(
        reverse("boards:paper_download", kwargs={"slug": slug, "uuid": paper.uuid})
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------------- recommendations


def test_only_published_responses_appear(anonymous, public):
    RecommendationFactory(
        intervention=public,
        reference="PUB-1",
        response="Published answer.",
        responded_on=D(2025, 6, 2),
        published_on=D(2025, 6, 3),
    )
    RecommendationFactory(
        intervention=public,
        reference="DRAFT-1",
        response="Unpublished answer.",
        responded_on=D(2025, 6, 2),
    )
    RecommendationFactory(intervention=public, reference="OPEN-1")

    page = anonymous.get(recommendations(public)).content.decode()

    assert "PUB-1" in page and "Published answer." in page
    for hidden in ("DRAFT-1", "Unpublished answer.", "OPEN-1"):
        assert hidden not in page


def test_a_recommendation_of_a_meeting_appears_on_it_once_its_response_is_published(
    anonymous, meeting
):
    recommendation = RecommendationFactory(
        intervention=meeting.board.intervention,
        meeting=meeting,
        reference="TAB-7",
        response="We accept.",
        responded_on=D(2025, 6, 20),
    )
    assert "TAB-7" not in anonymous.get(meeting_page(meeting)).content.decode()

    recommendation.published_on = D(2025, 6, 21)
    recommendation.save()

    assert "We accept." in anonymous.get(meeting_page(meeting)).content.decode()


def test_another_interventions_published_responses_do_not_appear(anonymous, public):
    RecommendationFactory(
        reference="ELSEWHERE-1",
        response="Theirs.",
        responded_on=D(2025, 6, 2),
        published_on=D(2025, 6, 3),
    )

    assert "ELSEWHERE-1" not in anonymous.get(recommendations(public)).content.decode()


# ------------------------------------------------------------------------ plan progress


def test_the_plan_progress_counts_key_activities_done(anonymous, public):
    programme = ProgrammeFactory(intervention=public, title="Improve governance")
    MilestoneFactory(programme=programme, status="complete")
    MilestoneFactory(programme=programme, status="in_progress")

    page = anonymous.get(home(public)).content.decode()

    assert "Improve governance" in page
    assert "1 of 2" in page
