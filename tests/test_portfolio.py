"""The Department's portfolio (`/portfolio/`): one row per intervention the user is granted.

A Department user is granted interventions as everyone is, by being named in them. The tests
build three interventions, A and B (granted) and C (not), and check that the Department user
sees A and B and nothing of C anywhere; that they read A without its drafts, exempt papers and
unpublished responses, and change nothing; each column's figure for a known case, as of a
date; the CSV and XLSX downloads; the Commissioners and Tower Hamlets interventions side by
side with a synthetic one; and that the page's queries grow by a constant per intervention.
"""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards.models import Recommendation
from boards.permissions import can_read_response, readable_papers
from interventions.access import roles
from interventions.access.permissions import can_comment, sees_portfolio
from interventions.dashboard.figures import deadlines_part
from interventions.kit.kept import forget_all
from interventions.models import Intervention, Person
from interventions.portfolio.rows import portfolio_rows
from reports.models import Report
from reports.permissions import readable
from tests.deadline_factories import ReportingDutyFactory
from tests.factories import (
    DirectionFactory,
    DirectionSetFactory,
    InterventionFactory,
    MeasureFactory,
    MeasureReadingFactory,
    MeetingFactory,
    PaperFactory,
    PersonFactory,
    ProgrammeFactory,
    RecommendationFactory,
    UserFactory,
)

PORTFOLIO = "/portfolio/"
DAY = datetime.date(2025, 6, 1)


def url(**params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('interventions:portfolio')}{'?' + query if query else ''}"


def department_user(*interventions: Intervention):
    user = UserFactory(role=roles.DEPARTMENT)
    for intervention in interventions:
        PersonFactory(intervention=intervention, user=user, name="Department official")
    return user


def issued_elsewhere(intervention: Intervention, title: str, on: datetime.date) -> Report:
    return Report.objects.create(
        intervention=intervention,
        kind="sos",
        title=title,
        as_of=on,
        status="final",
        issued_elsewhere=True,
        issued_on_date=on,
        issued_by="The council",
        document_reference=f"Letter of {on}",
    )


@pytest.fixture
def world(db):
    """A and B granted to the Department user, C not; A with one of everything."""
    a = InterventionFactory(title="Arden intervention", authority__name="Ardenton Council")
    b = InterventionFactory(title="Brill intervention", authority__name="Brillford Council")
    c = InterventionFactory(title="Gamma intervention", authority__name="Gammaby Council")
    user = department_user(a, b)

    # A: two Directions of one set (one met, one not), a later set not yet made on DAY.
    directions = DirectionSetFactory(intervention=a, title="Directions 2025")
    DirectionFactory(direction_set=directions, ref="a", compliance="met", position=1)
    DirectionFactory(direction_set=directions, ref="b", compliance="not_met", position=2)
    later = DirectionSetFactory(
        intervention=a, title="Directions 2026", made_on=datetime.date(2026, 1, 10)
    )
    DirectionFactory(direction_set=later, ref="a", compliance="on_track", position=1)
    # Programmes: two red, one green; one closed (not counted).
    ProgrammeFactory(aim__intervention=a, rag="red")
    ProgrammeFactory(aim__intervention=a, rag="red")
    ProgrammeFactory(aim__intervention=a, rag="green")
    ProgrammeFactory(aim__intervention=a, rag="amber", closed_on=datetime.date(2025, 2, 1))
    # Measures: 50 → 90 over 2025-26; a reading of 95 is on target, 51 is not.
    on_target = MeasureFactory(intervention=a)
    MeasureReadingFactory(measure=on_target, taken_on=datetime.date(2025, 5, 1), value=95)
    off_target = MeasureFactory(intervention=a)
    MeasureReadingFactory(measure=off_target, taken_on=datetime.date(2025, 5, 1), value=51)
    # A later reading that puts the second on target, after DAY.
    MeasureReadingFactory(measure=off_target, taken_on=datetime.date(2025, 9, 1), value=99)
    MeasureFactory(intervention=a, proposed_on=datetime.date(2025, 8, 1))  # not yet on DAY
    # Reports: a duty (the stocktake, first due four months after 22 Jan 2025, then every
    # three months), reports
    # issued on 1 May 2025 and 1 Oct 2025, and a draft.
    ReportingDutyFactory(
        intervention=a, report_kind="stocktake", title="Stocktake duty", interval_months=3
    )
    issued_elsewhere(a, "Spring letter to the Secretary of State", datetime.date(2025, 5, 1))
    issued_elsewhere(a, "Autumn letter to the Secretary of State", datetime.date(2025, 10, 1))
    Report.objects.create(intervention=a, kind="board", title="Draft delivery report", as_of=DAY)
    # Papers and responses.
    meeting = MeetingFactory(board__intervention=a)
    PaperFactory(meeting=meeting, title="Public budget paper")
    PaperFactory(
        meeting=meeting,
        title="Exempt staffing paper",
        exempt=True,
        exemption_reason="Paragraph 1: information about an individual",
    )
    unpublished = RecommendationFactory(
        intervention=a, title="Review the constitution", response="Quokka response drafted"
    )
    unpublished.responded_on = datetime.date(2025, 5, 20)
    unpublished.save()
    published = RecommendationFactory(
        intervention=a,
        title="Publish the forward plan",
        response="Wombat response published",
        responded_on=datetime.date(2025, 5, 20),
        published_on=datetime.date(2025, 5, 21),
    )
    # C: things the Department user must never see.
    DirectionSetFactory(intervention=c, title="Gamma Directions")
    issued_elsewhere(c, "Gamma letter", datetime.date(2025, 5, 1))
    ProgrammeFactory(aim__intervention=c, title="Gamma programme")
    return {
        "a": a,
        "b": b,
        "c": c,
        "user": user,
        "unpublished": unpublished,
        "published": published,
        "meeting": meeting,
    }


@pytest.fixture
def department(client, world):
    client.force_login(world["user"])
    return client


def row_of(rows, intervention):
    return next(row for row in rows if row.intervention == intervention)


def csv_rows(response) -> list[dict[str, str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# Segregation, both ways.


def test_the_department_sees_a_row_for_each_granted_intervention_and_none_for_another(
    department, world
):
    response = department.get(url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Arden intervention" in page
    assert "Brill intervention" in page
    assert "Gamma" not in page
    assert [row.intervention for row in response.context["table"].data] == [
        world["a"],
        world["b"],
    ]


def test_each_row_links_to_its_dashboard_which_the_department_reads(department, world):
    page = department.get(url()).content.decode()
    dashboard = reverse("interventions:dashboard", kwargs={"slug": world["a"].slug})
    assert f'href="{dashboard}"' in page
    assert department.get(dashboard).status_code == 200


def test_another_interventions_pages_exports_and_search_are_refused(department, world):
    slug = world["c"].slug
    for name in (
        "interventions:dashboard",
        "interventions:intervention_detail",
        "interventions:programme_list",
        "interventions:search",
        "reports:report_list",
        "boards:recommendation_list",
    ):
        assert department.get(reverse(name, kwargs={"slug": slug})).status_code == 404, name
    programmes = reverse("interventions:programme_list", kwargs={"slug": slug})
    assert department.get(programmes + "?_export=csv").status_code == 404
    assert department.get(url(_export="csv")).content.decode().count("Gamma") == 0
    my_work = department.get(reverse("interventions:my_work")).content.decode()
    assert "Gamma" not in my_work
    home = department.get(reverse("interventions:intervention_list")).content.decode()
    assert "Gamma" not in home and "Arden intervention" in home


def test_a_department_user_granted_c_alone_sees_c_and_nothing_of_a(client, world):
    client.force_login(department_user(world["c"]))
    page = client.get(url()).content.decode()
    assert "Gamma intervention" in page
    assert "Arden" not in page and "Brill" not in page
    dashboard = reverse("interventions:dashboard", kwargs={"slug": world["a"].slug})
    assert client.get(dashboard).status_code == 404


def test_the_portfolio_is_the_departments_and_the_administrators_only(client, world):
    assert client.get(url()).status_code == 302  # to the sign-in page
    for role in (roles.COUNCIL_OFFICER, roles.IMPROVEMENT_TEAM, roles.ENVOY, roles.BOARD_MEMBER):
        user = UserFactory(role=role)
        PersonFactory(intervention=world["a"], user=user)
        client.force_login(user)
        assert client.get(url()).status_code == 403, role
        assert client.get(url(_export="csv")).status_code == 403, role
        assert not sees_portfolio(user)
    administrator = UserFactory(role=roles.ADMINISTRATOR)
    client.force_login(administrator)
    page = client.get(url()).content.decode()
    assert "Arden intervention" in page and "Gamma intervention" in page


def test_the_header_links_the_portfolio_for_the_department_only(client, department, world):
    dashboard = reverse("interventions:dashboard", kwargs={"slug": world["a"].slug})
    assert f'href="{PORTFOLIO}"' in department.get(dashboard).content.decode()
    envoy = UserFactory(role=roles.ENVOY)
    PersonFactory(intervention=world["a"], user=envoy)
    client.force_login(envoy)
    assert f'href="{PORTFOLIO}"' not in client.get(dashboard).content.decode()


# Read-only: never drafts, exempt papers or unpublished responses, and no comments.


def test_drafts_are_refused_and_issued_reports_read(department, world):
    a = world["a"]
    draft = Report.objects.get(title="Draft delivery report")
    issued = Report.objects.get(title="Spring letter to the Secretary of State")

    def detail(report: Report) -> str:
        return reverse("reports:report_detail", kwargs={"slug": a.slug, "pk": report.pk})

    assert department.get(detail(draft)).status_code == 404
    assert department.get(detail(issued)).status_code == 200
    listing = department.get(reverse("reports:report_list", kwargs={"slug": a.slug}))
    assert "Draft delivery report" not in listing.content.decode()
    assert draft not in readable(world["user"], a)
    # The improvement team still reads its draft.
    team = UserFactory(role=roles.IMPROVEMENT_TEAM)
    PersonFactory(intervention=a, user=team)
    assert draft in readable(team, a)


def test_exempt_papers_are_refused_and_public_ones_read(client, department, world):
    a, meeting = world["a"], world["meeting"]
    exempt = meeting.papers.get(exempt=True)
    public = meeting.papers.get(exempt=False)

    def download(paper):
        return reverse("boards:paper_download", kwargs={"slug": a.slug, "uuid": paper.uuid})

    assert department.get(download(exempt)).status_code == 404
    assert department.get(download(public)).status_code == 200
    page = department.get(
        reverse("boards:meeting_detail", kwargs={"slug": a.slug, "pk": meeting.pk})
    ).content.decode()
    assert "Public budget paper" in page and "Exempt staffing paper" not in page
    search = reverse("interventions:search", kwargs={"slug": a.slug})
    assert "Exempt staffing paper" not in department.get(search + "?q=staffing").content.decode()
    # A Board member of A still reads the exempt paper.
    member = UserFactory(role=roles.BOARD_MEMBER)
    PersonFactory(intervention=a, user=member)
    assert list(readable_papers(member, meeting.papers.all())) == list(meeting.papers.all())
    client.force_login(member)
    assert client.get(download(exempt)).status_code == 200


def test_unpublished_responses_are_refused_and_published_ones_read(client, department, world):
    a = world["a"]

    def page(recommendation, c=department):
        return c.get(recommendation.get_absolute_url()).content.decode()

    unpublished = page(world["unpublished"])
    assert "Quokka" not in unpublished
    assert "not published yet" in unpublished
    assert "Wombat response published" in page(world["published"])
    search = reverse("interventions:search", kwargs={"slug": a.slug})
    assert "Quokka" not in department.get(search + "?q=quokka").content.decode()
    assert "Wombat" in department.get(search + "?q=wombat").content.decode()
    assert not can_read_response(world["user"], world["unpublished"])
    # A Board member reads the response as soon as it is recorded.
    member = UserFactory(role=roles.BOARD_MEMBER)
    PersonFactory(intervention=a, user=member)
    assert can_read_response(member, world["unpublished"])
    client.force_login(member)
    assert "Quokka response drafted" in page(world["unpublished"], client)


def test_the_history_names_an_unpublished_response_without_quoting_it(client, department, world):
    """What changed, the recommendation's history and its History section say that the
    response changed, never its words, until it is published; others read the words."""
    a, recommendation = world["a"], world["unpublished"]
    recommendation.response = "Quokka response redrafted"
    recommendation.save()
    history = reverse(
        "interventions:object_history",
        kwargs={"slug": a.slug, "kind": "recommendation", "pk": recommendation.pk},
    )
    changed = reverse("interventions:whats_changed", kwargs={"slug": a.slug})
    pages = [history, changed, changed + "?_export=csv", recommendation.get_absolute_url()]
    for address in pages:
        text = department.get(address).content.decode("utf-8-sig")
        assert "Quokka" not in text, address
    assert "Response changed (not published yet)" in department.get(history).content.decode()
    member = UserFactory(role=roles.BOARD_MEMBER)
    PersonFactory(intervention=a, user=member)
    client.force_login(member)
    assert "Quokka response redrafted" in client.get(history).content.decode()
    # Once published, the Department reads it in the history too.
    Recommendation.objects.filter(pk=recommendation.pk).update(
        published_on=datetime.date(2025, 7, 1)
    )
    assert "Quokka response redrafted" in department.get(history).content.decode()


def test_the_department_may_not_comment_or_challenge(department, world):
    a = world["a"]
    programme = a.programmes.first()
    assert not can_comment(world["user"], a)
    response = department.post(
        reverse(
            "interventions:programme_comment_add",
            kwargs={"slug": a.slug, "number": programme.number},
        ),
        {"kind": "comment", "text": "A comment"},
    )
    assert response.status_code == 404
    assert not programme.comments.exists()
    page = department.get(programme.get_absolute_url()).content.decode()
    assert 'name="text"' not in page


# Each column, for a known case, and as of a date.


def test_each_column_of_a_row(world):
    a = world["a"]
    today = timezone.localdate()
    row = row_of(portfolio_rows([a, world["b"]], DAY, today), a)
    assert row.authority == "Ardenton Council"
    assert row.model == "Ministerial Envoys"
    assert [(s.title, s.made_on) for s in row.sets_in_force] == [
        ("Directions 2025", datetime.date(2025, 1, 22))
    ]
    assert row.compliance_text == "a: Met; b: Not met"
    assert row.compliance_counts == [("met", "Met", 1), ("not_met", "Not met", 1)]
    # As the dashboard counts them on the day.
    part = deadlines_part(a, DAY, today)
    assert row.overdue == part["overdue"]
    # Directions a and b (due 22 Apr 2025: b not met, a recorded as met only after 1 June
    # 2025) and the stocktake due 22 May 2025 (none issued) had been missed by 1 June 2025.
    assert row.overdue == 3
    assert row.next_report_due == part["next_report_due"]
    assert row.next_report_due == datetime.date(2025, 8, 22)
    assert row.next_report_text == "Stocktake duty (2nd)"
    assert row.last_report.title == "Spring letter to the Secretary of State"
    assert row.last_report_on == datetime.date(2025, 5, 1)
    assert row.measures_total == 2 and row.measures_on_target == 1
    assert row.measures_text == "1 of 2"
    empty = row_of(portfolio_rows([a, world["b"]], DAY, today), world["b"])
    assert empty.sets_in_force == [] and empty.last_report is None and empty.overdue == 0


def test_programmes_by_rag_today(world):
    today = timezone.localdate()
    row = row_of(portfolio_rows([world["a"]], today, today), world["a"])
    assert row.rag_text == "Green 1, Red 2"
    assert row.red == 2


def test_as_of_a_later_date(world):
    a = world["a"]
    today = timezone.localdate()
    later = datetime.date(2026, 2, 1)
    row = row_of(portfolio_rows([a], later, today), a)
    # Both sets in force; each Direction is named with its set.
    assert [s.title for s in row.sets_in_force] == ["Directions 2025", "Directions 2026"]
    assert row.compliance_text == (
        "Directions 2025 a: Met; Directions 2025 b: Not met; Directions 2026 a: On track"
    )
    assert row.last_report.title == "Autumn letter to the Secretary of State"
    # The later reading puts the second measure on target; the third has no reading.
    assert (row.measures_on_target, row.measures_total) == (2, 3)


def test_the_page_shows_the_as_of_day_and_links_dashboards_as_of_it(department, world):
    response = department.get(url(as_of="2025-06-01"))
    page = response.content.decode()
    assert "As of <strong>1 June 2025</strong>" in page
    dashboard = reverse("interventions:dashboard", kwargs={"slug": world["a"].slug})
    assert f'href="{dashboard}?as_of=2025-06-01"' in page
    assert "Spring letter to the Secretary of State" in page
    assert "Autumn letter" not in page


def test_a_bad_date_is_explained_and_shows_today(department):
    response = department.get(url(as_of="not-a-date"))
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()
    assert response.context["on"] == timezone.localdate()


def test_filters_and_sorting(department, world):
    a, b = world["a"], world["b"]
    rows = department.get(url(authority=str(b.authority_id))).context["table"].data
    assert [row.intervention for row in rows] == [b]
    rows = department.get(url(as_of="2025-06-01", overdue="on")).context["table"].data
    assert [row.intervention for row in rows] == [a]
    rows = department.get(url(as_of="2025-06-01", sort="-overdue")).context["table"].data
    assert [row.intervention for row in rows] == [a, b]
    rows = department.get(url(as_of="2025-06-01", sort="overdue")).context["table"].data
    assert [row.intervention for row in rows] == [b, a]
    for column in ("next_report", "last_report_on", "rag", "measures", "directions"):
        assert department.get(url(sort=column)).status_code == 200, column


# Downloads.


def test_the_csv_has_a_row_for_each_granted_intervention(department, world):
    response = department.get(url(as_of="2025-06-01", _export="csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="portfolio-2025-06-01.csv"'
    rows = csv_rows(response)
    assert [row["Intervention"] for row in rows] == ["Arden intervention", "Brill intervention"]
    alpha = rows[0]
    assert alpha["Authority"] == "Ardenton Council"
    assert alpha["Model"] == "Ministerial Envoys"
    assert alpha["Directions in force"] == "Directions 2025 (22 Jan 2025)"
    assert alpha["Compliance by Direction"] == "a: Met; b: Not met"
    assert alpha["Overdue deadlines"] == "3"
    assert alpha["Last report issued"] == "Spring letter to the Secretary of State"
    assert alpha["Issued on"] == "2025-05-01"
    assert alpha["Measures on target"] == "1 of 2"
    assert rows[1]["Overdue deadlines"] == "0"


def test_the_xlsx_keeps_dates_and_numbers(department):
    response = department.get(url(as_of="2025-06-01", _export="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    headers = list(values[0])
    alpha = dict(zip(headers, values[1], strict=True))
    assert alpha["Intervention"] == "Arden intervention"
    assert alpha["Overdue deadlines"] == 3
    assert alpha["Issued on"].date() == datetime.date(2025, 5, 1)
    assert len(values) == 3


# The Commissioners and Tower Hamlets interventions, with a synthetic one, side by side.


def test_commissioners_tower_hamlets_and_a_synthetic_intervention_together(client, commissioners):
    call_command(
        "import_intervention",
        str(Path(settings.BASE_DIR) / "data" / "tower-hamlets-2025.yaml"),
        verbosity=0,
    )
    from interventions.management.benchmarking import synthetic

    built = synthetic.build(1, milestones_per_programme=1)
    tower_hamlets = Intervention.objects.get(slug="tower-hamlets-2025")
    user = department_user(commissioners, tower_hamlets, *built.interventions)
    client.force_login(user)
    response = client.get(url(as_of="2025-07-22"))
    page = response.content.decode()
    rows = {row.intervention.slug: row for row in response.context["table"].data}
    assert set(rows) == {commissioners.slug, "tower-hamlets-2025", "synthetic-1"}
    assert rows[commissioners.slug].model == "Commissioners"
    assert rows["tower-hamlets-2025"].model == "Ministerial Envoys"
    # Tower Hamlets' Directions a-o were in force; the Commissioners' own sets by their dates.
    assert [d.reference for d in rows["tower-hamlets-2025"].directions][:3] == ["a", "b", "c"]
    assert rows[commissioners.slug].sets_in_force
    # The synthetic copy says so, on the page and in the download.
    assert rows["synthetic-1"].synthetic and not rows["tower-hamlets-2025"].synthetic
    assert page.count("Synthetic data</strong>") == 2  # its row, and the key above the table
    exported = csv_rows(client.get(url(as_of="2025-07-22", _export="csv")))
    titles = [row["Intervention"] for row in exported]
    assert any(title.endswith("(synthetic data)") for title in titles)
    # Each row agrees with its dashboard's deadlines on the day.
    for row in rows.values():
        part = deadlines_part(row.intervention, datetime.date(2025, 7, 22), timezone.localdate())
        assert row.overdue == part["overdue"]
        assert row.next_report_due == part["next_report_due"]


# Queries: a constant per intervention, whatever the data inside each.


def grant(user, n: int) -> None:
    for _ in range(n):
        intervention = InterventionFactory()
        PersonFactory(intervention=intervention, user=user)
        direction_set = DirectionSetFactory(intervention=intervention)
        for ref in "abc":
            DirectionFactory(direction_set=direction_set, ref=ref)
        for _ in range(3):
            ProgrammeFactory(aim__intervention=intervention, rag="red")
            measure = MeasureFactory(intervention=intervention)
            MeasureReadingFactory(measure=measure)
        ReportingDutyFactory(intervention=intervention)
        issued_elsewhere(intervention, "A letter", datetime.date(2025, 5, 1))


def count(client, address: str) -> int:
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(address)
    assert response.status_code == 200
    return len(context.captured_queries)


# The only queries made per row: the deadline engine's for one intervention (its reporting
# duties, Directions, issued reports, milestones, recommendations and meetings, with what
# each prefetches, skipped where a list is empty). (The data's version, which its answers are
# kept with, is read once for the page: interventions.kit.kept.)
PER_INTERVENTION = 9


@pytest.mark.parametrize("as_of", ["", "2025-06-01"])
def test_the_queries_grow_by_a_constant_per_intervention(client, db, as_of):
    user = UserFactory(role=roles.DEPARTMENT)
    client.force_login(user)
    address = url(as_of=as_of) if as_of else url()
    grant(user, 2)
    at_two = count(client, address)
    grant(user, 4)
    at_six = count(client, address)
    assert at_six - at_two == 4 * PER_INTERVENTION, (at_two, at_six)
    # More data inside each intervention costs nothing more.
    for intervention in Intervention.objects.all():
        for _ in range(3):
            ProgrammeFactory(aim__intervention=intervention, rag="green")
            MeasureReadingFactory(measure=MeasureFactory(intervention=intervention))
    assert count(client, address) == at_six


def test_the_demo_department_user_is_granted_both_shipped_interventions(db, settings):
    settings.DEBUG = True
    for name in ("tower-hamlets-2025.yaml", "tower-hamlets-2014.yaml"):
        path = Path(settings.BASE_DIR) / "data" / name
        call_command("import_intervention", str(path), verbosity=0)
    call_command("create_demo_users", "tower-hamlets-2025", stdout=io.StringIO())
    granted = set(
        Person.objects.filter(user__username="department").values_list(
            "intervention__slug", flat=True
        )
    )
    assert granted == {"tower-hamlets-2025", "tower-hamlets-2014"}
    department = Person.objects.filter(user__username="department").first().user
    assert department.groups.filter(name=roles.DEPARTMENT).exists()
