"""Where a report's figures come from: each row of the preview links to the version of the
record it shows, the PDF lists its sources per section, and an issued report keeps that list
with its checksum, so that a figure can be checked later, after the record has changed."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from directions.models import Direction
from interventions.access import roles
from interventions.choices import RAG
from interventions.models import Milestone
from reports import build, provenance
from reports.context import report_context
from reports.models import Report
from tests.factories import (
    DirectionFactory,
    DirectionSetFactory,
    MilestoneFactory,
    PersonFactory,
    ProgrammeFactory,
    RecommendationFactory,
    StrategicAimFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

VERSION_LINK = re.compile(r'href="(/[^"]+/sources/(\w+)/(\d+)/(\d+)/)"')


def url(name: str, report: Report) -> str:
    return reverse(f"reports:{name}", kwargs={"slug": report.intervention.slug, "pk": report.pk})


@pytest.fixture
def record(intervention):
    sro = PersonFactory(intervention=intervention, name="Sam Sro")
    programme = ProgrammeFactory(
        intervention=intervention,
        aim=StrategicAimFactory(intervention=intervention),
        title="Cultural change",
        rag=RAG.AMBER,
        sro=sro,
    )
    milestone = MilestoneFactory(
        programme=programme, title="Run the staff survey", number="3.1", position=1
    )
    directions = DirectionSetFactory(intervention=intervention, made_on=datetime.date(2025, 1, 22))
    direction = DirectionFactory(direction_set=directions, ref="a", short_title="Reconfigure")
    recommendation = RecommendationFactory(intervention=intervention, title="Publish the plan")
    return {
        "programme": programme,
        "milestone": milestone,
        "direction": direction,
        "recommendation": recommendation,
        "sro": sro,
    }


@pytest.fixture
def draft(intervention, improvement_team):
    return Report.objects.create(
        intervention=intervention,
        kind="sos",
        title="Six-monthly report",
        as_of=timezone.localdate(),
    )


def version_links(html: str) -> dict[tuple[str, int], int]:
    return {(kind, int(pk)): int(version) for _, kind, pk, version in VERSION_LINK.findall(html)}


def test_each_row_of_the_preview_links_to_the_version_it_shows(
    client, improvement_team, record, draft
):
    client.force_login(improvement_team)
    html = client.get(url("report_preview", draft)).content.decode()
    links = version_links(html)
    milestone, programme = record["milestone"], record["programme"]
    assert links[("programme", programme.pk)] == programme.history.latest().history_id
    assert links[("direction", record["direction"].pk)] == (
        record["direction"].history.latest().history_id
    )
    assert links[("recommendation", record["recommendation"].pk)] == (
        record["recommendation"].history.latest().history_id
    )
    # The figures link to the list of their section's sources, which the preview carries.
    assert 'href="#sources-summary"' in html and 'id="sources-summary"' in html
    # The SRO the programme table names is among the plan's sources too.
    read = {(s.kind, s.id) for p in report_context(draft)["sources"] for s in p["sources"]}
    assert ("person", record["sro"].pk) in read
    assert ("milestone", milestone.pk) in read


def test_a_version_page_shows_the_record_as_it_was_also_after_later_edits(
    client, improvement_team, record, draft
):
    client.force_login(improvement_team)
    links = version_links(client.get(url("report_preview", draft)).content.decode())
    programme = record["programme"]
    old_version = links[("programme", programme.pk)]
    build.finalise(draft, improvement_team)
    draft.refresh_from_db()

    programme.title = "Culture and behaviours"
    programme.save()

    page = client.get(f"{url('report_sources', draft)}programme/{programme.pk}/{old_version}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cultural change" in text and "Culture and behaviours" not in text
    assert "has changed 1 time since this version" in text
    # The issued report still lists the version it printed, not the new one.
    assert provenance.listed(draft.sources, "programme", programme.pk, old_version)
    newer = programme.history.latest().history_id
    assert newer != old_version
    refused = client.get(f"{url('report_sources', draft)}programme/{programme.pk}/{newer}/")
    assert refused.status_code == 404


def test_the_pdf_ends_with_its_sources_and_the_issued_report_keeps_them_with_a_checksum(
    client, improvement_team, record, draft
):
    build.finalise(draft, improvement_team)
    draft.refresh_from_db()
    pages = PdfReader(io.BytesIO(draft.pdf.read())).pages
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))
    assert "Appendix: sources" in text
    assert "Run the staff survey" in text.split("Appendix: sources", 1)[1]
    assert draft.sources and draft.sources_sha256 == provenance.checksum(draft.sources)
    titles = [part["title"] for part in draft.sources]
    assert titles[0] == "Executive summary" and titles[-1] == "Appendix: evidence"
    assert "Progress against each Direction" in titles

    client.force_login(improvement_team)
    page = client.get(url("report_sources", draft)).content.decode()
    assert "Verified" in page and draft.sources_sha256 in page
    # Altered after issue (not through the application): the page says it no longer matches.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Report._meta.db_table} SET sources = %s WHERE id = %s", ["[]", draft.pk]
        )
    assert "Does not match" in client.get(url("report_sources", draft)).content.decode()


def test_the_sources_download_lists_every_version(client, improvement_team, record, draft):
    client.force_login(improvement_team)
    response = client.get(url("report_sources", draft) + "?_export=csv")
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Part,Title,Record,Number,Version")
    assert "Run the staff survey" in body
    assert client.get(url("report_sources", draft) + "?_export=pdf").status_code == 400


def test_only_readers_of_the_report_see_its_sources(client, intervention, record, draft):
    milestone = record["milestone"]
    address = (
        f"{url('report_sources', draft)}milestone/{milestone.pk}/"
        f"{milestone.history.latest().history_id}/"
    )
    # A Board member does not read drafts, nor their sources.
    member = UserFactory(role=roles.BOARD_MEMBER)
    PersonFactory(intervention=intervention, user=member)
    client.force_login(member)
    assert client.get(url("report_sources", draft)).status_code == 404
    assert client.get(address).status_code == 404
    # The improvement team does.
    team = UserFactory(role=roles.IMPROVEMENT_TEAM)
    PersonFactory(intervention=intervention, user=team)
    client.force_login(team)
    assert client.get(address).status_code == 200


def test_a_version_the_report_did_not_read_is_not_shown(
    client, improvement_team, record, draft, other_intervention
):
    client.force_login(improvement_team)
    elsewhere = MilestoneFactory(
        programme=ProgrammeFactory(
            intervention=other_intervention,
            aim=StrategicAimFactory(intervention=other_intervention),
        )
    )
    version = elsewhere.history.latest().history_id
    page = client.get(f"{url('report_sources', draft)}milestone/{elsewhere.pk}/{version}/")
    assert page.status_code == 404
    assert client.get(f"{url('report_sources', draft)}nothing/1/1/").status_code == 404


def test_text_on_a_version_page_is_escaped(client, improvement_team, record, draft):
    milestone = record["milestone"]
    milestone.title = "<script>alert(1)</script> & more"
    milestone.save()
    client.force_login(improvement_team)
    version = Milestone.history.filter(id=milestone.pk).latest().history_id
    page = client.get(f"{url('report_sources', draft)}milestone/{milestone.pk}/{version}/")
    text = page.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text


def test_the_sources_take_one_query_whatever_the_size_of_the_report(
    django_assert_max_num_queries, intervention, record, draft
):
    for number in range(20):
        MilestoneFactory(programme=record["programme"], position=number + 2)
    context = report_context(draft)
    with django_assert_max_num_queries(1):
        provenance.sections(context)


def test_a_commissioners_report_reads_only_the_directions_in_force(
    commissioners, commissioner_personas
):
    """Of the three sets of Directions, the first two superseded and revoked, a report of
    today reads only the Directions in force: the revoked ones are not among its sources."""
    report = Report.objects.create(
        intervention=commissioners,
        kind=commissioners.words.report_kinds[0],
        title="Report",
        as_of=timezone.localdate(),
    )
    sources = report_context(report)["sources"]
    read = {s.id for part in sources for s in part["sources"] if s.kind == "direction"}
    in_force = {
        d.pk
        for d in Direction.objects.filter(direction_set__intervention=commissioners)
        if d.pk in read
    }
    assert read and read == in_force
    revoked = Direction.objects.filter(
        direction_set__intervention=commissioners, direction_set__status="revoked"
    )
    assert revoked.exists()
    assert not read & set(revoked.values_list("pk", flat=True))
