"""Searching an intervention: what it finds, for whom, how it is shown, and what it costs.

These run on SQLite (plain matching) and on PostgreSQL (full-text search) alike: set
DATABASE_URL to run them on PostgreSQL.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interventions.evidence import services as evidence_service
from interventions.kit.kept import forget_all
from interventions.search.engine import KINDS, START, STOP, Search, marked, terms_of
from reports import build as report_build
from reports.models import Report
from tests.factories import (
    ActionFactory,
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

WORD = "procurement"


def search_url(intervention, q: str | None = WORD, **more: str) -> str:
    url = reverse("interventions:search", kwargs={"slug": intervention.slug})
    params = {**({"q": q} if q is not None else {}), **more}
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def found(client, intervention, q: str = WORD, **more: str) -> str:
    response = client.get(search_url(intervention, q, **more))
    assert response.status_code == 200
    return response.content.decode()


def one_of_everything(intervention, word: str = WORD, officer_user=None) -> dict[str, object]:
    """One row of every kind searched, each with `word` in a field the search reads."""
    aim = StrategicAimFactory(intervention=intervention, title=f"Better {word}")
    programme = ProgrammeFactory(aim=aim, purpose=f"Fix {word} across the council")
    milestone = MilestoneFactory(
        programme=programme,
        title="Publish the forward plan",
        commentary=f"The {word} board met twice this quarter.",
    )
    direction = DirectionFactory(
        direction_set=DirectionSetFactory(intervention=intervention),
        short_title="Contracts",
        text=f"Improve {word} and contract management.",
    )
    board = BoardFactory(intervention=intervention)
    meeting = MeetingFactory(board=board, title="Quarterly review", minutes=f"{word} discussed")
    paper = PaperFactory(meeting=meeting, title=f"{word.capitalize()} strategy")
    action = ActionFactory(meeting=meeting, text=f"Report back on {word} savings")
    recommendation = RecommendationFactory(
        intervention=intervention, title="Contracts register", text=f"Publish all {word} data."
    )
    person = PersonFactory(intervention=intervention, post=f"Head of {word}")
    evidence = evidence_service.add_file(
        programme=programme,
        title=f"{word.capitalize()} audit",
        upload=SimpleUploadedFile("audit.txt", b"Audit", content_type="text/plain"),
        by=officer_user or UserFactory(),
    )
    return {
        "aims": aim,
        "programmes": programme,
        "milestones": milestone,
        "directions": direction,
        "meetings": meeting,
        "papers": paper,
        "actions": action,
        "recommendations": recommendation,
        "people": person,
        "evidence": evidence,
    }


# ------------------------------------------------------------------------ who may search


def test_it_needs_sign_in(client, intervention):
    response = client.get(search_url(intervention))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_is_404_for_someone_outside_the_intervention(client, intervention, stranger):
    client.force_login(stranger)
    assert client.get(search_url(intervention)).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "improvement_team", "envoy", "board_member"])
def test_everyone_in_the_intervention_may_search_it(client, intervention, persona, request):
    client.force_login(request.getfixturevalue(persona))
    one_of_everything(intervention)
    page = found(client, intervention)
    assert "Programme" in page
    assert "No results" not in page


# ------------------------------------------------------------------------ what it finds


def test_it_finds_every_kind_each_linking_to_its_page(client, intervention, officer):
    client.force_login(officer)
    rows = one_of_everything(intervention)
    page = found(client, intervention)
    for kind in KINDS:
        if kind.key == "reports":
            continue
        row = rows[kind.key]
        assert kind.url(row) in page.replace("&amp;", "&"), kind.key
        assert f'id="results-{kind.key}"' in page, kind.key
    meeting = rows["meetings"]
    assert f"{meeting.get_absolute_url()}#papers" in page
    assert f"{meeting.get_absolute_url()}#actions" in page


def test_results_are_counted_with_the_right_plural(client, intervention, officer):
    client.force_login(officer)
    programme = ProgrammeFactory(aim__intervention=intervention)
    MilestoneFactory(programme=programme, title=f"Review {WORD}")
    page = found(client, intervention)
    assert "1 result for" in page
    assert "1 milestone<" in page
    MilestoneFactory(programme=programme, title=f"Retender {WORD}")
    page = found(client, intervention)
    assert "2 results for" in page
    assert "2 milestones<" in page


def test_it_says_so_when_nothing_matches(client, intervention, officer):
    client.force_login(officer)
    page = found(client, intervention, "xylophone")
    assert "No results for “xylophone”" in page
    assert "check the spelling" in page


def test_without_a_query_it_says_what_to_do(client, intervention, officer):
    client.force_login(officer)
    page = found(client, intervention, None)
    assert "Enter a word or phrase to search" in page
    assert "result" not in page.split("<main", 1)[1].split("Enter a word")[0]


def test_a_query_with_nothing_to_look_for_is_explained(client, intervention, officer):
    client.force_login(officer)
    page = found(client, intervention, "?!")
    assert "has no letters or numbers to look for" in page


def test_it_finds_milestones_by_their_commentary_and_next_steps(client, intervention, officer):
    client.force_login(officer)
    programme = ProgrammeFactory(aim__intervention=intervention)
    by_commentary = MilestoneFactory(programme=programme, commentary="Tender evaluation done")
    by_steps = MilestoneFactory(programme=programme, next_steps="Award the tender in May")
    page = found(client, intervention, "tender")
    assert by_commentary.get_absolute_url() in page
    assert by_steps.get_absolute_url() in page


def test_it_finds_a_recommendation_by_its_response(client, intervention, officer):
    client.force_login(officer)
    recommendation = RecommendationFactory(
        intervention=intervention,
        response="We will appoint an interim monitoring officer.",
        responded_on=datetime.date(2025, 6, 1),
    )
    page = found(client, intervention, "monitoring officer")
    assert recommendation.get_absolute_url() in page
    assert "Response not yet published" in page


def test_one_kind_is_paged(client, intervention, officer):
    client.force_login(officer)
    programme = ProgrammeFactory(aim__intervention=intervention)
    for n in range(25):
        MilestoneFactory(programme=programme, title=f"Step {n} of {WORD}")
    everything = found(client, intervention)
    assert everything.count('class="app-search-result"') == 5
    assert "Show all 25 milestones" in everything
    first = found(client, intervention, kind="milestones")
    assert first.count('class="app-search-result"') == 20
    assert 'rel="next"' in first
    second = found(client, intervention, kind="milestones", page="2")
    assert second.count('class="app-search-result"') == 5
    assert 'rel="prev"' in second


def test_an_unknown_kind_shows_every_kind(client, intervention, officer):
    client.force_login(officer)
    one_of_everything(intervention)
    page = found(client, intervention, kind="nonsense")
    assert 'id="results-milestones"' in page and 'id="results-people"' in page


# ------------------------------------------------------------------------ nothing leaks


def test_another_interventions_exempt_paper_and_unpublished_response_never_appear(
    client, intervention, other_intervention, officer, stranger
):
    """An officer sees only their intervention's rows; the other intervention's exempt paper
    and unpublished response appear to its own people, who see them on its pages."""
    meeting = MeetingFactory(board=BoardFactory(intervention=other_intervention))
    paper = PaperFactory(
        meeting=meeting, title=f"Exempt {WORD} paper", exempt=True, exemption_reason="Para 3"
    )
    recommendation = RecommendationFactory(
        intervention=other_intervention,
        response=f"Draft {WORD} response",
        responded_on=datetime.date(2025, 6, 1),
    )
    client.force_login(officer)
    page = found(client, intervention)
    assert "No results" in page
    assert paper.title not in page
    assert recommendation.get_absolute_url() not in page

    client.force_login(stranger)
    page = found(client, other_intervention)
    assert paper.title in page
    assert recommendation.get_absolute_url() in page


def test_an_exempt_paper_shows_as_exempt_to_those_who_see_it_on_the_meeting_page(
    client, intervention, officer
):
    client.force_login(officer)
    meeting = MeetingFactory(board=BoardFactory(intervention=intervention))
    PaperFactory(meeting=meeting, title=f"{WORD} costs", exempt=True, exemption_reason="Para 3")
    page = found(client, intervention)
    assert f"Exempt paper for {meeting}" in page
    assert "Exempt" in client.get(meeting.get_absolute_url()).content.decode()


@pytest.fixture
def reports(intervention, improvement_team):
    draft = Report.objects.create(
        intervention=intervention,
        kind="board",
        title=f"Draft {WORD} report",
        as_of=datetime.date(2025, 6, 30),
    )
    issued = Report.objects.create(
        intervention=intervention,
        kind="sos",
        title=f"Issued {WORD} report",
        as_of=datetime.date(2025, 6, 30),
    )
    report_build.finalise(issued, improvement_team)
    return draft, issued


@pytest.mark.parametrize("persona", ["officer", "envoy", "board_member"])
def test_a_draft_report_never_appears_to_those_its_page_refuses(
    client, intervention, reports, persona, request
):
    draft, _issued = reports
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(draft.get_absolute_url()).status_code == 404
    page = found(client, intervention)
    assert draft.title not in page


def test_a_draft_report_appears_to_the_improvement_team(
    client, intervention, reports, improvement_team
):
    draft, issued = reports
    client.force_login(improvement_team)
    page = found(client, intervention)
    assert draft.get_absolute_url() in page
    assert issued.get_absolute_url() in page


def test_an_issued_report_appears_to_officers_only_once_shared(
    client, intervention, reports, officer, envoy
):
    _draft, issued = reports
    client.force_login(envoy)
    assert issued.get_absolute_url() in found(client, intervention)
    client.force_login(officer)
    assert issued.get_absolute_url() not in found(client, intervention)
    issued.shared_with_officers = True
    issued.save()
    assert issued.get_absolute_url() in found(client, intervention)


# ------------------------------------------------------------------------ escaping


def test_user_text_in_titles_and_extracts_is_escaped(client, intervention, officer):
    client.force_login(officer)
    programme = ProgrammeFactory(aim__intervention=intervention)
    MilestoneFactory(
        programme=programme,
        title=f"<b>{WORD}</b> title",
        commentary=f'<script>alert("x")</script> the {WORD} plan <img src=x onerror=alert(1)>',
    )
    page = found(client, intervention)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>procurement" not in page
    assert "&lt;script&gt;" in page or "&lt;img" in page
    assert f"<mark>{WORD}</mark>" in page.lower()


def test_the_query_is_escaped_where_it_is_repeated(client, intervention, officer):
    client.force_login(officer)
    page = found(client, intervention, '<script>alert("q")</script>')
    assert '<script>alert("q")' not in page
    assert "&lt;script&gt;" in page


def test_a_headline_is_escaped_and_only_its_marks_become_html():
    headline = f'a <i>b</i> {START}tender{STOP} & "c" {START}<x>{STOP} stray{START}'
    html = marked(headline)
    assert html == (
        "a &lt;i&gt;b&lt;/i&gt; <mark>tender</mark> &amp; &quot;c&quot; "
        "<mark>&lt;x&gt;</mark> stray"
    )


def test_terms_drop_operators_and_punctuation():
    assert terms_of('"governance" OR -culture 7.3 a.i') == [
        "governance",
        "OR",
        "culture",
        "7.3",
        "a.i",
    ]
    assert terms_of("?!") == []


# ------------------------------------------------------------------------ the header


def test_the_header_has_a_search_box_inside_an_intervention(client, intervention, officer):
    client.force_login(officer)
    page = client.get(intervention.get_absolute_url()).content.decode()
    assert f'action="{search_url(intervention, None)}"' in page
    assert 'id="app-nav-search-q"' in page
    listing = client.get(reverse("interventions:intervention_list")).content.decode()
    assert 'id="app-nav-search-q"' not in listing


# ------------------------------------------------------------------------ other models


def test_it_searches_a_commissioners_intervention(client, commissioners, commissioner_personas):
    client.force_login(commissioner_personas["officer"])
    page = found(client, commissioners, "financial strategy")
    assert "Agree a medium-term financial strategy" in page
    assert "Direction" in page  # "Commissioners exercise financial functions"
    page = found(client, commissioners, "Commissioner")
    assert 'id="results-people"' in page


def test_search_directly_respects_kind_rows(intervention, officer, other_intervention):
    one_of_everything(other_intervention)
    search = Search(intervention, officer, WORD)
    for kind in KINDS:
        assert not search.matches(kind).exists(), kind.key


# ------------------------------------------------------------------------ cost


def grow(intervention, n: int, improvement_team) -> None:
    for i in range(n):
        one_of_everything(intervention, officer_user=improvement_team)
        Report.objects.create(
            intervention=intervention,
            kind="board",
            title=f"{WORD} report {i}",
            as_of=datetime.date(2025, 6, 30),
        )


def count_queries(client, url: str) -> int:
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("kind", [None, "milestones", "reports", "evidence"])
def test_search_makes_the_same_queries_at_ten_times_the_rows(
    client, intervention, improvement_team, kind
):
    """The session and the user, the user's groups, the intervention, then a COUNT per kind
    (eleven) and one SELECT of rows per kind shown (with the groups once more for reports)."""
    client.force_login(improvement_team)
    url = search_url(intervention, WORD, **({"kind": kind} if kind else {}))
    grow(intervention, 1, improvement_team)
    small = count_queries(client, url)
    grow(intervention, 9, improvement_team)
    large = count_queries(client, url)
    assert small == large
    assert large <= 40


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)


@postgres_only
def test_on_postgresql_words_match_by_their_stem_and_titles_rank_first(
    client, intervention, officer
):
    client.force_login(officer)
    programme = ProgrammeFactory(aim__intervention=intervention)
    in_text = MilestoneFactory(programme=programme, title="Other", commentary="Governance review")
    in_title = MilestoneFactory(programme=programme, title="Governance review")
    page = found(client, intervention, "governing", kind="milestones")
    assert page.index(in_title.get_absolute_url()) < page.index(in_text.get_absolute_url())
    assert "<mark>Governance</mark>" in page


@postgres_only
def test_on_postgresql_a_minus_word_leaves_rows_out(client, intervention, officer):
    client.force_login(officer)
    programme = ProgrammeFactory(aim__intervention=intervention)
    kept = MilestoneFactory(programme=programme, title="Governance review")
    left = MilestoneFactory(programme=programme, title="Governance and culture")
    page = found(client, intervention, "governance -culture")
    assert kept.get_absolute_url() in page
    assert left.get_absolute_url() not in page
