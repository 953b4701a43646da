"""The read-only API (/api/v1/): without sign-in only what the public pages publish; signed in,
what the user's own pages show them, nothing of another intervention; lists as of a day, a
page at a time, rate-limited, cached with ETags, and as CSV. Each rule is tested both ways."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from interventions.access import roles
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    DirectionFactory,
    DirectionSetFactory,
    InterventionFactory,
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
pytestmark = pytest.mark.django_db

LISTS = ["directions", "recommendations", "meetings", "papers"]
PLAN = ["programmes", "milestones"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with no requests counted against it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous():
    return Client()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def url(intervention, resource="", suffix="/"):
    base = f"/api/v1/interventions/{intervention.slug}/"
    return f"{base}{resource}{suffix}" if resource else base


@pytest.fixture
def public(intervention):
    intervention.public_pages = True
    intervention.save()
    return intervention


@pytest.fixture
def published_and_not(public):
    """One of each thing the public may read, and one of each it may not."""
    board = BoardFactory(intervention=public, name="Transformation and Assurance Board")
    approved = MeetingFactory(
        board=board,
        date=D(2025, 6, 12),
        published=True,
        status="minutes_approved",
        minutes="Approved minutes of June.",
    )
    held = MeetingFactory(
        board=board, date=D(2025, 7, 10), published=True, status="held", minutes="Draft of July."
    )
    unpublished = MeetingFactory(board=board, date=D(2025, 8, 14), published=False)
    cancelled = MeetingFactory(board=board, date=D(2025, 9, 11), published=True, status="cancelled")
    item = AgendaItemFactory(meeting=approved, title="Quarterly report")
    PaperFactory(meeting=approved, agenda_item=item, title="Public report")
    PaperFactory(
        meeting=approved,
        title="Exempt legal advice",
        exempt=True,
        exemption_reason="Legal advice (paragraph 5).",
    )
    PaperFactory(meeting=unpublished, title="Paper of an unpublished meeting")
    PaperFactory(meeting=cancelled, title="Paper of a cancelled meeting")
    RecommendationFactory(
        intervention=public,
        reference="R1",
        response="Published response.",
        responded_on=D(2025, 6, 1),
        published_on=D(2025, 6, 2),
        status="accepted",
    )
    RecommendationFactory(
        intervention=public,
        reference="R2",
        response="Draft response.",
        responded_on=D(2025, 6, 1),
        status="accepted",
    )
    RecommendationFactory(intervention=public, reference="R3")
    DirectionFactory(
        direction_set=DirectionSetFactory(intervention=public),
        ref="a",
        short_title="Reconfigure the Board",
        compliance="met",
        met_on=D(2025, 4, 14),
    )
    return {"approved": approved, "held": held, "unpublished": unpublished}


def items(response):
    assert response.status_code == 200, response.content
    return response.json()["items"]


# Without sign-in: only what the public pages publish.


def test_anonymous_reads_only_published_meetings_papers_and_responses(
    anonymous, public, published_and_not
):
    meetings = items(anonymous.get(url(public, "meetings")))
    assert [m["date"] for m in meetings] == ["2025-07-10", "2025-06-12"]
    minutes = {m["date"]: m["minutes"] for m in meetings}
    assert minutes == {"2025-06-12": "Approved minutes of June.", "2025-07-10": None}

    papers = items(anonymous.get(url(public, "papers")))
    assert [p["title"] for p in papers] == ["Public report"]
    assert papers[0]["agenda_item"] == "Quarterly report"
    assert papers[0]["url"].endswith(f"/public/{public.slug}/papers/{papers[0]['uuid']}/")

    recommendations = items(anonymous.get(url(public, "recommendations")))
    assert [r["reference"] for r in recommendations] == ["R1"]
    assert recommendations[0]["response"] == "Published response."
    assert recommendations[0]["owner"] is None

    directions = items(anonymous.get(url(public, "directions")))
    assert [(d["reference"], d["compliance"]) for d in directions] == [("a", "met")]
    assert directions[0]["met_on"] == "2025-04-14"


def test_anonymous_never_finds_exempt_draft_or_unapproved_text_anywhere(
    anonymous, public, published_and_not
):
    for resource in LISTS:
        for suffix in ("/", ".csv"):
            body = anonymous.get(url(public, resource, suffix)).content.decode()
            for secret in (
                "Exempt legal advice",
                "Draft response.",
                "Draft of July.",
                "unpublished meeting",
                "cancelled meeting",
                "R2",
                "R3",
            ):
                assert secret not in body, (resource, suffix, secret)


def test_anonymous_gets_404_for_an_intervention_without_public_pages(anonymous, intervention):
    DirectionFactory(direction_set=DirectionSetFactory(intervention=intervention))
    assert anonymous.get("/api/v1/interventions/").json()["count"] == 0
    assert anonymous.get(url(intervention)).status_code == 404
    for resource in LISTS + PLAN:
        assert anonymous.get(url(intervention, resource)).status_code == 404
        assert anonymous.get(url(intervention, resource, ".csv")).status_code == 404


def test_the_plan_is_for_the_interventions_own_users_only(anonymous, public, officer):
    MilestoneFactory(programme=ProgrammeFactory(aim=StrategicAimFactory(intervention=public)))
    for resource in PLAN:
        assert anonymous.get(url(public, resource)).status_code == 404
        assert len(items(signed_in(officer).get(url(public, resource)))) == 1


# Signed in: what the user's pages show them.


def test_a_signed_in_user_reads_what_their_pages_show(officer, public, published_and_not):
    client = signed_in(officer)
    meetings = items(client.get(url(public, "meetings")))
    assert len(meetings) == 4
    assert {m["date"]: m["minutes"] for m in meetings}["2025-07-10"] == "Draft of July."
    papers = {p["title"]: p for p in items(client.get(url(public, "papers")))}
    assert papers["Exempt legal advice"]["exempt"] is True
    assert papers["Exempt legal advice"]["url"].endswith(
        f"/i/{public.slug}/papers/{papers['Exempt legal advice']['uuid']}/"
    )
    references = [r["reference"] for r in items(client.get(url(public, "recommendations")))]
    assert sorted(references) == ["R1", "R2", "R3"]
    assert client.get(url(public)).json()["access"] == "full"


def test_the_department_reads_no_exempt_paper_or_unpublished_response(
    intervention, published_and_not
):
    """A Department user granted the intervention reads it as its pages show them: the
    plan and every recommendation, but no exempt paper and no response before it is
    published, in JSON and CSV alike."""
    user = UserFactory(role=roles.DEPARTMENT)
    PersonFactory(intervention=intervention, user=user)
    client = signed_in(user)
    papers = [p["title"] for p in items(client.get(url(intervention, "papers")))]
    assert "Public report" in papers and "Exempt legal advice" not in papers
    responses = {
        r["reference"]: r["response"]
        for r in items(client.get(url(intervention, "recommendations")))
    }
    assert responses == {"R1": "Published response.", "R2": "", "R3": ""}
    for resource in ("papers", "recommendations"):
        text = client.get(url(intervention, resource, ".csv")).content.decode()
        assert "Exempt legal advice" not in text and "Draft response." not in text
    assert client.get(url(intervention, "programmes")).status_code == 200


def test_a_user_of_one_intervention_reads_nothing_of_another(stranger, intervention):
    """The stranger is an officer of another intervention, whose public pages are off."""
    DirectionFactory(direction_set=DirectionSetFactory(intervention=intervention))
    RecommendationFactory(intervention=intervention, response="x", responded_on=D(2025, 6, 1))
    client = signed_in(stranger)
    listed = [i["slug"] for i in items(client.get("/api/v1/interventions/"))]
    assert intervention.slug not in listed
    assert len(listed) == 1
    assert client.get(url(intervention)).status_code == 404
    for resource in LISTS + PLAN:
        assert client.get(url(intervention, resource)).status_code == 404
        assert client.get(url(intervention, resource, ".csv")).status_code == 404


def test_another_interventions_user_reads_only_what_is_published(
    stranger, public, published_and_not
):
    client = signed_in(stranger)
    assert client.get(url(public)).json()["access"] == "published"
    assert [p["title"] for p in items(client.get(url(public, "papers")))] == ["Public report"]
    assert [r["reference"] for r in items(client.get(url(public, "recommendations")))] == ["R1"]
    assert client.get(url(public, "programmes")).status_code == 404


def test_an_administrator_reads_every_intervention_in_full(administrator, intervention):
    InterventionFactory()
    listed = items(signed_in(administrator).get("/api/v1/interventions/"))
    assert len(listed) == 2
    assert {i["access"] for i in listed} == {"full"}


def test_commissioners_read_their_directions_and_sources_in_their_words(
    commissioners, commissioner_personas
):
    client = signed_in(commissioner_personas["lead_commissioner"])
    directions = items(client.get(url(commissioners, "directions") + "?include_ended=true"))
    assert len({d["set"] for d in directions}) == 3
    recommendations = items(client.get(url(commissioners, "recommendations")))
    assert recommendations
    assert not any("Envoy" in r["source"] for r in recommendations)
    assert client.get(url(commissioners, "programmes")).status_code == 200
    assert Client().get(url(commissioners, "directions")).status_code == 404


# As of a day.


def test_directions_are_listed_as_in_force_on_the_as_of_day(anonymous, public):
    first = DirectionSetFactory(intervention=public, made_on=D(2025, 1, 22), title="First")
    later = DirectionSetFactory(intervention=public, made_on=D(2025, 9, 1), title="Later")
    DirectionFactory(direction_set=first, ref="a")
    DirectionFactory(direction_set=later, ref="b")
    before = items(anonymous.get(url(public, "directions") + "?as_of=2025-03-01"))
    assert [d["reference"] for d in before] == ["a"]
    now = items(anonymous.get(url(public, "directions")))
    assert [d["reference"] for d in now] == ["a", "b"]
    every = items(anonymous.get(url(public, "directions") + "?as_of=2025-03-01&include_ended=1"))
    assert {d["reference"]: d["state"] for d in every} == {"a": "In force", "b": "Not yet made"}


def test_a_recommendation_is_overdue_only_as_of_a_day_after_its_due_date(officer, intervention):
    RecommendationFactory(intervention=intervention, response_due=D(2025, 6, 1))
    client = signed_in(officer)
    before = items(client.get(url(intervention, "recommendations") + "?as_of=2025-05-31"))
    after = items(client.get(url(intervention, "recommendations") + "?as_of=2025-06-02"))
    assert (before[0]["overdue"], after[0]["overdue"]) == (False, True)


def test_a_milestones_schedule_is_as_of_the_day(officer, intervention):
    MilestoneFactory(
        programme=ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention)),
        end_as_written="Sept 2025",
    )
    client = signed_in(officer)
    before = items(client.get(url(intervention, "milestones") + "?as_of=2025-05-01"))
    after = items(client.get(url(intervention, "milestones") + "?as_of=2025-12-01"))
    assert (before[0]["schedule"], after[0]["schedule"]) == ("on_track", "overdue")


def test_a_bad_as_of_day_is_refused_in_words(anonymous, public):
    response = anonymous.get(url(public, "directions") + "?as_of=31/12/2025")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("as_of: ")


# Pages.


def test_lists_come_a_page_at_a_time_with_links_either_side(anonymous, public):
    directions = DirectionSetFactory(intervention=public)
    for _ in range(5):
        DirectionFactory(direction_set=directions)
    first = anonymous.get(url(public, "directions") + "?limit=2").json()
    assert (first["count"], len(first["items"]), first["previous"]) == (5, 2, None)
    assert first["next"].startswith("http://testserver/api/v1/")
    assert "offset=2" in first["next"]
    second = anonymous.get(first["next"]).json()
    assert [d["id"] for d in second["items"]] != [d["id"] for d in first["items"]]
    assert "offset=0" in second["previous"]
    last = anonymous.get(url(public, "directions") + "?limit=2&offset=4").json()
    assert (len(last["items"]), last["next"]) == (1, None)


def test_a_page_larger_than_the_largest_is_refused(anonymous, public):
    assert anonymous.get(url(public, "directions") + "?limit=201").status_code == 422
    assert anonymous.get(url(public, "directions") + "?limit=200").status_code == 200


# Caching.


def test_an_unchanged_answer_is_not_sent_again(anonymous, public, published_and_not):
    first = anonymous.get(url(public, "meetings"))
    etag = first["ETag"]
    again = anonymous.get(url(public, "meetings"), headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    changed = published_and_not["held"]
    changed.title = "Renamed"
    changed.save()
    after = anonymous.get(url(public, "meetings"), headers={"if-none-match": etag})
    assert after.status_code == 200
    assert after["ETag"] != etag


def test_anonymous_answers_are_public_and_signed_in_ones_private(anonymous, officer, public):
    for_all = anonymous.get(url(public, "directions"))
    assert "public" in for_all["Cache-Control"]
    assert "private" not in for_all["Cache-Control"]
    assert "Cookie" in for_all["Vary"]
    for_one = signed_in(officer).get(url(public, "directions"))
    assert "private" in for_one["Cache-Control"]
    assert "public" not in for_one["Cache-Control"]


# Rate limits.


def test_too_many_requests_are_refused_with_retry_after(settings, anonymous, officer, public):
    settings.API_RATES = {"anonymous": "3/min", "signed_in": "5/min"}
    for _ in range(3):
        assert anonymous.get(url(public)).status_code == 200
    refused = anonymous.get(url(public))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "public" not in refused.get("Cache-Control", "")
    # A signed-in user is allowed more, and counted apart from the anonymous.
    client = signed_in(officer)
    for _ in range(5):
        assert client.get(url(public)).status_code == 200
    assert client.get(url(public)).status_code == 429


# CSV.


def test_csv_holds_the_same_rows_and_never_a_formula(anonymous, public):
    directions = DirectionSetFactory(intervention=public)
    DirectionFactory(direction_set=directions, short_title='=HYPERLINK("http://x")', ref="a")
    DirectionFactory(direction_set=directions, short_title="Plain", ref="b")
    response = anonymous.get(url(public, "directions", ".csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["reference"] for row in rows] == ["a", "b"]
    assert rows[0]["short_title"] == '\'=HYPERLINK("http://x")'
    json_items = items(anonymous.get(url(public, "directions")))
    assert list(rows[0]) == list(json_items[0])


def test_csv_of_papers_without_sign_in_lists_no_exempt_paper(
    anonymous, officer, public, published_and_not
):
    public_csv = anonymous.get(url(public, "papers", ".csv")).content.decode("utf-8-sig")
    own_csv = signed_in(officer).get(url(public, "papers", ".csv")).content.decode("utf-8-sig")
    assert "Exempt legal advice" not in public_csv
    assert "Exempt legal advice" in own_csv


# Query counts: the same at 1x and 10x rows.


def _fill(intervention, n):
    board = BoardFactory(intervention=intervention)
    directions = DirectionSetFactory(intervention=intervention)
    aim = StrategicAimFactory(intervention=intervention)
    for _ in range(n):
        parent = DirectionFactory(direction_set=directions)
        DirectionFactory(direction_set=directions, parent=parent)
        meeting = MeetingFactory(board=board, published=True, status="minutes_approved")
        PaperFactory(meeting=meeting, agenda_item=AgendaItemFactory(meeting=meeting))
        RecommendationFactory(
            intervention=intervention,
            meeting=meeting,
            owner=PersonFactory(intervention=intervention),
            response="Yes.",
            responded_on=D(2025, 6, 1),
            published_on=D(2025, 6, 2),
        )
        MilestoneFactory(programme=ProgrammeFactory(aim=aim, intervention=intervention))


# The queries of each list, signed in: the session and the user (2), the user's groups (read
# once: whether they see every intervention, whether they read only what is published, 1), the
# intervention as they may read it (1), the count (1) and the page, with everything each row
# names joined in (1). Anonymous: no session or user, and the intervention, the count and the
# page (3).
QUERIES = {
    "directions": 6,
    "recommendations": 6,
    "meetings": 6,
    "papers": 6,
    "programmes": 6,
    "milestones": 6,
}


@pytest.mark.parametrize("resource", sorted(QUERIES))
@pytest.mark.parametrize("n", [1, 10])
def test_list_queries_do_not_grow_with_rows(resource, n, public):
    _fill(public, n)
    user = UserFactory(role=roles.IMPROVEMENT_TEAM)
    PersonFactory(intervention=public, user=user)
    client = signed_in(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(public, resource) + "?as_of=2025-07-01&limit=200")
    assert response.status_code == 200
    assert len(response.json()["items"]) >= n
    assert len(queries) == QUERIES[resource], [q["sql"] for q in queries]


@pytest.mark.parametrize("n", [1, 10])
def test_anonymous_list_queries_do_not_grow_with_rows(n, anonymous, public):
    _fill(public, n)
    for resource in LISTS:
        with CaptureQueriesContext(connection) as queries:
            response = anonymous.get(url(public, resource) + "?limit=200")
        assert len(response.json()["items"]) >= n
        assert len(queries) == 3, (resource, [q["sql"] for q in queries])


# The docs page and where it is linked.


def test_the_docs_page_lists_every_operation_and_runs_no_script(anonymous):
    response = anonymous.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/api/v1/openapi.json" in page
    assert "/api/v1/interventions/{slug}/directions.csv" in page
    assert "/api/v1/api/v1/" not in page
    # Each list says what its rows hold.
    assert "<code>compliance_label</code>" in page
    assert "<script" not in page.split("</main>")[0].split("<main")[1]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_public_home_page_links_the_api(anonymous, public):
    page = anonymous.get(f"/public/{public.slug}/").content.decode()
    assert 'href="/api/v1/docs/"' in page
