"""The RAID log's rules: scoring and bands, the log as of a day, overdue reviews in My work
and the digest, the dashboard panel, the reports' section (rebuilt identically for the same
date), the intervention file's round trip, and the invented Commissioners fixture."""

import datetime

import pytest
import yaml
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from interventions.deadlines.reminders import digests_for
from interventions.inbox.sources import risk_reviews_overdue
from interventions.interchange.exporter import export_intervention
from interventions.interchange.importer import ImportFailed, parse
from interventions.kit.saving import save_versioned
from interventions.models import Mitigation, Risk
from interventions.models.base import set_effective_date
from interventions.models.risks import band_for, next_reference
from interventions.risks.heatmap import heat_map, top_risks
from interventions.risks.services import risks_as_of
from reports import pdf
from reports.context import report_context
from reports.models import Report
from reports.risks import risks_section
from tests.factories import MitigationFactory, PersonFactory, RiskFactory, UserFactory
from tests.test_interchange_lossless import import_text, wipe

pytestmark = pytest.mark.django_db

D = datetime.date


# Scoring


@pytest.mark.parametrize(
    "score, band",
    [
        (1, "green"),
        (4, "green"),
        (5, "amber"),
        (9, "amber"),
        (12, "amber"),
        (15, "red"),
        (25, "red"),
    ],
)
def test_the_band_of_each_score(score, band):
    assert band_for(score) == band


def test_the_score_and_band_follow_the_residual_likelihood_and_impact(intervention):
    risk = RiskFactory(intervention=intervention, residual_likelihood=2, residual_impact=2)
    assert (risk.score, risk.band, risk.inherent_score, risk.inherent_band) == (
        4,
        "green",
        16,
        "red",
    )
    risk.residual_likelihood = 5
    risk.save()
    assert (risk.score, risk.band) == (10, "amber")


def test_references_are_numbered_per_kind_and_intervention(intervention, other_intervention):
    assert RiskFactory(intervention=intervention).reference == "R1"
    assert RiskFactory(intervention=intervention).reference == "R2"
    assert RiskFactory(intervention=intervention, kind="issue").reference == "I1"
    assert RiskFactory(intervention=other_intervention).reference == "R1"
    assert next_reference(intervention.pk, "dependency") == "D1"


def test_the_database_refuses_a_closed_risk_without_its_date(intervention):
    risk = RiskFactory(intervention=intervention)
    risk.status = "closed"
    with pytest.raises(IntegrityError):
        risk.save()


def test_top_risks_by_score_then_impact(intervention):
    low = RiskFactory(intervention=intervention, residual_likelihood=1, residual_impact=1)
    wide = RiskFactory(intervention=intervention, residual_likelihood=4, residual_impact=2)
    deep = RiskFactory(intervention=intervention, residual_likelihood=2, residual_impact=4)
    closed = RiskFactory(
        intervention=intervention,
        residual_likelihood=5,
        residual_impact=5,
        status="closed",
        closed_on=D(2025, 5, 1),
    )
    assert [r.pk for r in top_risks(Risk.objects.all())] == [deep.pk, wide.pk, low.pk]
    assert list(Risk.objects.open().top()) == [deep, wide, low]
    assert closed.pk


def test_the_heat_map_counts_open_risks_in_their_cells(intervention):
    RiskFactory(intervention=intervention, residual_likelihood=5, residual_impact=1)
    RiskFactory(intervention=intervention, inherent_likelihood=5, inherent_impact=5)
    residual = heat_map(Risk.objects.all(), "caption")
    assert [row.impact for row in residual.rows] == [5, 4, 3, 2, 1]
    assert residual.rows[4].cells[4].count == 1  # impact 1, likelihood 5
    assert residual.rows[2].cells[2].count == 1  # impact 3, likelihood 3
    assert residual.by_band == [("Red", "red", 0), ("Amber", "orange", 2), ("Green", "green", 0)]
    inherent = heat_map(Risk.objects.all(), "caption", which="inherent")
    assert inherent.rows[0].cells[4].count == 1


# As of a day


def test_the_log_as_of_a_day_shows_the_scores_and_status_of_then(intervention):
    risk = RiskFactory(intervention=intervention, raised_on=D(2025, 4, 1))
    risk.residual_likelihood, risk.last_reviewed_on = 5, D(2025, 7, 1)
    save_versioned(risk, 1, reason="Reviewed")
    risk.status, risk.closed_on = "closed", D(2025, 9, 1)
    save_versioned(risk, 2, reason="Closed")
    assert risks_as_of(intervention, D(2025, 3, 31)) == []
    [april] = risks_as_of(intervention, D(2025, 6, 30))
    [july] = risks_as_of(intervention, D(2025, 7, 1))
    [september] = risks_as_of(intervention, D(2025, 9, 1))
    assert (april.score, april.band, april.status) == (9, "amber", "open")
    assert (july.score, july.band, july.status) == (15, "red", "open")
    assert september.status == "closed"


# My work and the digest


def test_an_overdue_review_waits_for_the_owner_and_the_improvement_team(
    client, intervention, officer, improvement_team, envoy
):
    late = RiskFactory(
        intervention=intervention, owner=officer.people.get(), review_on=D(2025, 1, 1)
    )
    RiskFactory(intervention=intervention, review_on=D(2099, 1, 1))
    RiskFactory(
        intervention=intervention,
        review_on=D(2025, 1, 1),
        status="closed",
        closed_on=D(2025, 2, 1),
    )
    today = timezone.localdate()
    assert list(risk_reviews_overdue(officer, today)) == [late]
    assert list(risk_reviews_overdue(improvement_team, today)) == [late]
    assert list(risk_reviews_overdue(envoy, today)) == []
    client.force_login(officer)
    text = client.get(reverse("interventions:my_work")).content.decode()
    assert "Risks whose review is overdue (1)" in text
    assert late.title in text
    client.force_login(envoy)
    assert (
        "Risks whose review is overdue"
        not in client.get(reverse("interventions:my_work")).content.decode()
    )


def test_another_officers_risk_is_not_theirs_to_review(intervention, officer):
    RiskFactory(intervention=intervention, review_on=D(2025, 1, 1))
    assert list(risk_reviews_overdue(officer, timezone.localdate())) == []


def test_the_digest_carries_overdue_reviews(intervention):
    user = UserFactory(role="Council officer", email="owner@example.org")
    person = PersonFactory(intervention=intervention, user=user)
    risk = RiskFactory(intervention=intervention, owner=person, review_on=D(2025, 1, 1))
    [digest] = digests_for(intervention, timezone.localdate())
    [shelf] = [s for s in digest.inbox if s.source.key == "risk_reviews"]
    assert shelf.items == [risk] or list(shelf.items) == [risk]


# The dashboard


def test_the_dashboard_shows_the_heat_map_and_top_risks_as_of_the_day(
    client, intervention, officer
):
    early = RiskFactory(intervention=intervention, title="Early risk", raised_on=D(2025, 4, 1))
    RiskFactory(intervention=intervention, title="Later risk", raised_on=D(2025, 10, 1))
    client.force_login(officer)
    address = reverse("interventions:dashboard", kwargs={"slug": intervention.slug})
    page = client.get(address, {"as_of": "2025-06-01"})
    text = page.content.decode()
    assert page.context["risks"]["map"].total == 1
    assert "Early risk" in text and "Later risk" not in text
    assert "Open risks, issues and dependencies by residual likelihood and impact" in text
    today = client.get(address).content.decode()
    assert "Later risk" in today and early.title in today


def test_the_dashboard_says_when_there_are_no_risks(client, intervention, officer):
    client.force_login(officer)
    text = client.get(
        reverse("interventions:dashboard", kwargs={"slug": intervention.slug})
    ).content.decode()
    assert "No risks, issues or dependencies had been raised by" in text


# The reports


@pytest.fixture
def logged(intervention):
    risk = RiskFactory(
        intervention=intervention,
        title="Finance capacity",
        residual_likelihood=4,
        residual_impact=5,
        raised_on=D(2025, 4, 1),
        review_on=D(2025, 9, 1),
    )
    # Recorded as agreed when the risk was raised (a mitigation entered through the pages
    # counts from the day it is entered).
    mitigation = MitigationFactory.build(
        risk=risk, owner=None, action="Recruit interim finance staff", due_on=D(2025, 9, 30)
    )
    set_effective_date(mitigation, D(2025, 4, 1))
    mitigation.save()
    RiskFactory(
        intervention=intervention,
        kind="dependency",
        depends_on_body="The Department",
        title="Funding decision",
        raised_on=D(2025, 5, 1),
    )
    return risk


def test_the_section_reads_the_log_as_of_the_report_date(intervention, logged):
    section = risks_section(intervention, D(2025, 10, 31))
    assert section["open"] == 2 and section["overdue_reviews"] == 1
    assert [row["risk"].title for row in section["top"]] == ["Finance capacity", "Funding decision"]
    top = section["top"][0]
    assert (top["score"], top["band_label"]) == (20, "Red")
    assert [m["action"] for m in top["mitigations"]] == ["Recruit interim finance staff"]
    assert [row["depends_on"] for row in section["dependencies"]] == ["The Department"]
    assert risks_section(intervention, D(2025, 4, 15))["open"] == 1


def test_a_mitigation_done_after_the_date_is_still_open_then(intervention, logged):
    mitigation = logged.mitigations.get()
    mitigation.done_on = D(2025, 11, 15)
    save_versioned(mitigation, 1, reason="Done")
    [before] = [r for r in risks_section(intervention, D(2025, 10, 31))["top"] if r["mitigations"]]
    assert before["risk"].id == logged.pk
    after = risks_section(intervention, D(2025, 11, 30))["top"]
    assert all(not row["mitigations"] for row in after)


def test_the_section_is_rebuilt_identically_for_the_same_date(intervention, logged):
    report = Report.objects.create(
        intervention=intervention, kind="sos", title="Second report", as_of=D(2025, 10, 31)
    )
    first = pdf.render_html(report)
    # Later: a review lowers the score, a new risk is raised, the risk is closed.
    logged.residual_likelihood, logged.last_reviewed_on = 1, D(2025, 11, 10)
    save_versioned(logged, 1, reason="Reviewed")
    RiskFactory(intervention=intervention, title="A November risk", raised_on=D(2025, 11, 2))
    logged.status, logged.closed_on = "closed", D(2025, 12, 1)
    save_versioned(logged, 2, reason="Closed")
    assert pdf.render_html(report) == first


@pytest.mark.parametrize("kind", ["board", "sos", "stocktake"])
def test_every_kind_of_report_carries_the_section_next_to_the_outlook(intervention, logged, kind):
    from tests.factories import ProgrammeFactory, StrategicAimFactory

    programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))
    RiskFactory(intervention=intervention, programme=programme, title="Programme risk")
    report = Report.objects.create(
        intervention=intervention, kind=kind, title="Report", as_of=timezone.localdate()
    )
    html = pdf.render_html(report)
    context = report_context(report)
    risks_number = context["sections"]["risks"]["number"]
    outlook_number = context["sections"]["outlook"]["number"]
    assert outlook_number == risks_number + 1
    assert 'id="section-risks"' in html and "Finance capacity" in html
    assert 'scope="row">Impact 5 Severe</th>' in html
    # The outlook names the programme's logged risk and points to the risks section.
    start = html.index('id="section-outlook"')
    outlook = html[start : html.index("</section>", start)]
    assert "Programme risk" in outlook and f"section {risks_number}" in outlook


def test_the_pdf_escapes_user_text(intervention):
    RiskFactory(intervention=intervention, title="<b>Bold</b> & brave", raised_on=D(2025, 4, 1))
    report = Report.objects.create(
        intervention=intervention, kind="sos", title="Report", as_of=D(2025, 10, 31)
    )
    html = pdf.render_html(report)
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; &amp; brave" in html


# The intervention file


def test_the_log_round_trips_identically_with_its_history(intervention, logged, improvement_team):
    from interventions.access.risks import can_update_risk

    assert can_update_risk(improvement_team, logged)
    logged.residual_likelihood, logged.last_reviewed_on = 2, D(2025, 8, 1)
    save_versioned(logged, 1, reason="Reviewed 1 Aug 2025")
    first = export_intervention(intervention)
    before = [risks_section(intervention, day) for day in (D(2025, 7, 1), D(2025, 9, 1))]
    document = yaml.safe_load(first)
    [risk, dependency] = document["risks"]
    assert risk["reference"] == "R1" and risk["residual_likelihood"] == 2
    assert risk["versions"][-1]["valid_from"] == D(2025, 8, 1)
    assert dependency["kind"] == "dependency" and dependency["depends_on_body"] == "The Department"
    wipe(intervention)
    again = import_text(first)
    assert export_intervention(again) == first
    after = [risks_section(again, day) for day in (D(2025, 7, 1), D(2025, 9, 1))]

    def shape(section):
        return [
            (r["risk"].reference, r["score"], r["band"], len(r["mitigations"]))
            for r in section["top"]
        ]

    assert [shape(s) for s in after] == [shape(s) for s in before]
    assert [s["top"][0]["score"] for s in after] == [20, 10]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"programme": 99}, "risks[0].programme"),
        ({"owner": "nobody"}, "risks[0].owner"),
        ({"residual_impact": 6}, "less than or equal to 5"),
        ({"status": "closed"}, "a closed risk needs closed_on"),
        ({"depends_on_body": "DfE"}, "only a dependency has"),
        ({"kind": "dependency"}, "a dependency needs"),
    ],
)
def test_a_bad_risk_is_refused_and_nothing_is_written(intervention, logged, change, message):
    document = yaml.safe_load(export_intervention(intervention))
    document["intervention"]["slug"] = "another"
    document["risks"][0].update(change)
    with pytest.raises(ImportFailed) as failed:
        parse(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), name="x.yaml")
    assert message in "\n".join(failed.value.errors)


def test_a_reference_used_twice_is_refused(intervention, logged):
    document = yaml.safe_load(export_intervention(intervention))
    document["risks"][1]["reference"] = "R1"
    with pytest.raises(ImportFailed, match="'R1' is used more than once"):
        parse(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), name="x.yaml")


# The Commissioners fixture


def test_the_commissioners_log_imports_with_its_mitigations_and_dependency(commissioners):
    risks = {r.reference: r for r in commissioners.risks.select_related("programme")}
    assert set(risks) == {"R1", "I1", "D1"}
    assert (risks["R1"].score, risks["R1"].band, risks["R1"].programme.number) == (15, "red", 1)
    assert risks["I1"].status == "closed" and risks["I1"].programme is None
    assert risks["D1"].depends_on_programme.number == 1
    assert Mitigation.objects.filter(risk=risks["R1"]).count() == 2
    # The issue was closed on 1 August 2025: open before, closed from then.
    assert [
        r.status for r in risks_as_of(commissioners, D(2025, 7, 31)) if r.reference == "I1"
    ] == ["open"]


def test_commissioners_pages_and_report_use_their_words(
    client, commissioners, commissioner_personas
):
    officer = commissioner_personas["officer"]
    lead = commissioner_personas["lead_commissioner"]
    r1 = commissioners.risks.get(reference="R1")
    client.force_login(officer)  # Tom Forrest owns R1
    assert (
        client.get(
            reverse("interventions:risk_review", args=[commissioners.slug, r1.pk])
        ).status_code
        == 200
    )
    client.force_login(lead)
    assert client.get(r1.get_absolute_url()).status_code == 200
    assert (
        client.post(
            reverse("interventions:risk_review", args=[commissioners.slug, r1.pk]), {}
        ).status_code
        == 403
    )
    report = Report.objects.create(
        intervention=commissioners, kind="sos", title="Report", as_of=D(2025, 9, 30)
    )
    html = pdf.render_html(report)
    start = html.index('id="section-risks"')
    section = html[start : html.index("</section>", start)]
    assert "Savings in the recovery plan" in section and "Envoy" not in section
