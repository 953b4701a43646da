"""Readiness to exit intervention: each theme's evidence and blockers as of a day, the
oversight's judgement (who may record it, allowed and refused), the page in the
Commissioners' words, and the six-monthly report's section (the same for the same date)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directions.models import Direction, DirectionSet
from interventions.kit.kept import forget_all
from interventions.models import Theme
from reports import pdf
from reports.context import report_context
from reports.exit_readiness import readiness
from reports.models import ExitJudgement, Expectation, Report
from tests.factories import (
    DirectionFactory,
    DirectionSetFactory,
    MeasureFactory,
    MeasureReadingFactory,
    ProgrammeFactory,
    RecommendationFactory,
    StrategicAimFactory,
)
from tests.test_expectations import issued_elsewhere

pytestmark = pytest.mark.django_db

D = datetime.date
LONG_AGO = D(2025, 1, 22)
AS_OF = D(2025, 12, 1)


def backdate(obj, day=LONG_AGO):
    """Say that every recorded change of `obj` took effect on `day` (as an import of a
    Direction made long ago records it)."""
    type(obj).history.filter(id=obj.pk).update(valid_from=day)


def link(obj, name, targets, day):
    """Link `obj` and say that it stood so from `day` (its links are recorded the day the
    test runs otherwise)."""
    getattr(obj, name).set(targets)
    backdate(obj, day)


@pytest.fixture
def governance():
    return Theme.objects.get(slug="governance")


@pytest.fixture
def world(intervention, governance):
    """A governance theme with everything met: a Direction met, a programme, a closed
    recommendation, an agreed measure on target and an expectation judged met."""
    direction_set = DirectionSetFactory(intervention=intervention)
    direction = DirectionFactory(direction_set=direction_set, compliance="met")
    direction.themes.set([governance])
    programme = ProgrammeFactory(aim__intervention=intervention)
    programme.themes.set([governance])
    for obj in (direction_set, direction, programme, programme.aim):
        backdate(obj)
    recommendation = RecommendationFactory(intervention=intervention, status="closed")
    link(recommendation, "directions", [direction], recommendation.made_on)
    measure = MeasureFactory(
        intervention=intervention,
        theme=governance,
        oversight_agreed_on=D(2025, 4, 1),
        board_agreed_on=D(2025, 4, 10),
    )
    MeasureReadingFactory(measure=measure, taken_on=D(2025, 11, 1), value=90)
    letter = issued_elsewhere(intervention)
    expectation = Expectation.objects.create(
        intervention=intervention,
        report=letter,
        paragraph="4.4",
        title="Governance review",
        quoted="We expect a review of governance.",
        judgement="met",
        judged_on=D(2025, 11, 20),
    )
    link(expectation, "themes", [governance], letter.issued_on_date)
    return {
        "direction": direction,
        "programme": programme,
        "recommendation": recommendation,
        "measure": measure,
        "expectation": expectation,
    }


def theme_of(result, slug="governance"):
    return next(t for t in result["themes"] if t["theme"].slug == slug)


def test_a_theme_with_everything_met_has_no_blockers(intervention, world):
    theme = theme_of(readiness(intervention, AS_OF))
    assert theme["blockers"] == []
    assert len(theme["directions"]["met"]) == 1
    assert len(theme["recommendations"]["closed"]) == 1
    assert len(theme["measures"]["on_target"]) == 1
    assert len(theme["expectations"]["met"]) == 1


def blocker_kinds(intervention, day=AS_OF):
    return [(b["kind"], b["url"]) for b in theme_of(readiness(intervention, day))["blockers"]]


def test_a_direction_not_met_is_a_blocker(intervention, world):
    direction = world["direction"]
    Direction.objects.filter(pk=direction.pk).update(compliance="at_risk")
    direction.refresh_from_db()
    direction.save()
    backdate(direction)
    assert blocker_kinds(intervention) == [("Direction", direction.get_absolute_url())]


def test_an_open_recommendation_linked_through_a_programme_is_a_blocker(intervention, world):
    other = RecommendationFactory(intervention=intervention, status="accepted")
    link(other, "programmes", [world["programme"]], other.made_on)
    assert blocker_kinds(intervention) == [("Recommendation", other.get_absolute_url())]


def test_an_agreed_measure_off_target_is_a_blocker_and_a_proposed_one_is_not(
    intervention, world, governance
):
    off = MeasureFactory(
        intervention=intervention,
        theme=governance,
        oversight_agreed_on=D(2025, 4, 1),
        board_agreed_on=D(2025, 4, 10),
    )
    MeasureReadingFactory(measure=off, taken_on=D(2025, 11, 1), value=50)
    MeasureFactory(intervention=intervention, theme=governance)  # proposed, not agreed
    theme = theme_of(readiness(intervention, AS_OF))
    assert [(b["kind"], b["url"]) for b in theme["blockers"]] == [
        ("Success measure", off.get_absolute_url())
    ]
    assert len(theme["measures"]["proposed"]) == 1


def test_an_open_expectation_is_a_blocker(intervention, world, governance):
    letter = world["expectation"].report
    still_open = Expectation.objects.create(
        intervention=intervention,
        report=letter,
        paragraph="4.5",
        title="Scrutiny",
        quoted="We expect scrutiny to improve.",
    )
    link(still_open, "themes", [governance], letter.issued_on_date)
    assert blocker_kinds(intervention) == [("Expectation", still_open.get_absolute_url())]


def test_other_themes_carry_none_of_the_governance_evidence(intervention, world):
    culture = theme_of(readiness(intervention, AS_OF), "culture")
    assert culture["blockers"] == [] and not culture["evidence"]


def test_a_direction_met_after_the_day_is_not_counted(intervention, world):
    direction = world["direction"]
    Direction.objects.filter(pk=direction.pk).update(compliance="on_track")
    Direction.history.filter(id=direction.pk).update(compliance="on_track")
    direction.refresh_from_db()
    direction.compliance = "met"
    direction.met_on = D(2025, 10, 1)
    direction.save()
    assert blocker_kinds(intervention, D(2025, 9, 30)) != []
    assert ("Direction", direction.get_absolute_url()) in blocker_kinds(
        intervention, D(2025, 9, 30)
    )
    assert ("Direction", direction.get_absolute_url()) not in blocker_kinds(
        intervention, D(2025, 10, 1)
    )


def test_a_judgement_made_after_the_day_is_not_counted(intervention, world, governance, envoy):
    ExitJudgement.objects.create(
        intervention=intervention,
        theme=governance,
        judgement="nearly_ready",
        commentary="Scrutiny still to embed.",
        judged_on=D(2025, 10, 1),
        judged_by=envoy.people.get(),
    )
    ExitJudgement.objects.create(
        intervention=intervention,
        theme=governance,
        judgement="ready",
        commentary="Embedded.",
        judged_on=D(2025, 11, 1),
        judged_by=envoy.people.get(),
    )
    assert theme_of(readiness(intervention, D(2025, 9, 30)))["judgement"] is None
    assert theme_of(readiness(intervention, D(2025, 10, 15)))["judgement"]["value"] == (
        "nearly_ready"
    )
    latest = theme_of(readiness(intervention, AS_OF))["judgement"]
    assert latest["value"] == "ready"
    assert latest["by"] == envoy.people.get().name


def test_of_two_judgements_on_one_day_the_one_made_later_counts(intervention, governance):
    first, second = (
        ExitJudgement.objects.create(
            intervention=intervention,
            theme=governance,
            judgement=judgement,
            commentary="Judged.",
            judged_on=D(2025, 10, 1),
        )
        for judgement in ("not_ready", "nearly_ready")
    )
    # As after an import, where a row from the file is recorded again when it is imported
    # and a row entered on a page keeps the moment it was recorded: the earlier row's
    # record is the later one.
    ExitJudgement.history.filter(id=first.pk).update(
        history_date=second.history.get().history_date + datetime.timedelta(hours=1)
    )
    assert theme_of(readiness(intervention, AS_OF))["judgement"]["value"] == "nearly_ready"


def test_a_direction_not_in_force_is_not_counted(intervention, world):
    direction_set = DirectionSet.objects.get(pk=world["direction"].direction_set_id)
    assert theme_of(readiness(intervention, D(2025, 1, 1)))["directions"]["met"] == []
    assert direction_set.made_on == LONG_AGO


# ------------------------------------------------------------------ the page and the judgement


def page_url(intervention, name="exit_readiness"):
    return reverse(f"reports:{name}", kwargs={"slug": intervention.slug})


def judgement_data(**over):
    data = {
        "theme": str(Theme.objects.get(slug="governance").pk),
        "judgement": "nearly_ready",
        "judged_on": "2025-11-30",
        "commentary": "Scrutiny still to embed.",
    }
    data.update(over)
    return data


def test_the_oversight_records_a_judgement_and_the_page_shows_it(client, intervention, envoy):
    client.force_login(envoy)
    response = client.post(page_url(intervention, "exit_judge"), judgement_data())
    assert response.status_code == 302
    judgement = ExitJudgement.objects.get()
    assert judgement.judged_by == envoy.people.get()
    assert judgement.history.get().history_type == "+"
    page = client.get(page_url(intervention)).content.decode()
    assert "Nearly ready" in page and "Scrutiny still to embed." in page


@pytest.mark.parametrize(
    "persona", ["improvement_team", "officer", "board_member", "administrator"]
)
def test_no_one_else_records_a_judgement(client, intervention, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(page_url(intervention, "exit_judge")).status_code == 403
    assert client.post(page_url(intervention, "exit_judge"), judgement_data()).status_code == 403
    assert not ExitJudgement.objects.exists()
    assert client.get(page_url(intervention)).status_code == 200


def test_outsiders_are_not_told_the_intervention_exists(client, intervention, stranger):
    client.force_login(stranger)
    assert client.get(page_url(intervention)).status_code == 404
    assert client.post(page_url(intervention, "exit_judge"), judgement_data()).status_code == 404
    client.logout()
    assert client.get(page_url(intervention)).status_code == 302


def test_a_judgement_in_the_future_is_refused_with_a_clear_message(client, intervention, envoy):
    client.force_login(envoy)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        page_url(intervention, "exit_judge"), judgement_data(judged_on=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert "The judgement cannot be dated in the future." in response.content.decode()
    assert not ExitJudgement.objects.exists()


def test_the_page_links_each_blocker_as_of_the_day(client, intervention, world, officer):
    direction = world["direction"]
    Direction.objects.filter(pk=direction.pk).update(compliance="at_risk")
    direction.refresh_from_db()
    direction.save()
    backdate(direction)
    client.force_login(officer)
    page = client.get(page_url(intervention) + "?as_of=2025-12-01").content.decode()
    assert f'href="{direction.get_absolute_url()}"' in page
    assert "1 December 2025" in page


def test_the_commissioners_page_speaks_in_their_words(client, commissioners, commissioner_personas):
    client.force_login(commissioner_personas["lead_commissioner"])
    page = client.get(page_url(commissioners)).content.decode()
    assert "the Commissioners" in page and "Envoy" not in page and "TAB" not in page
    form = client.get(page_url(commissioners, "exit_judge")).content.decode()
    assert "Judge readiness to exit for the Commissioners" in form and "Envoy" not in form
    assert client.post(page_url(commissioners, "exit_judge"), judgement_data()).status_code == 302
    client.force_login(commissioner_personas["improvement_team"])
    assert client.post(page_url(commissioners, "exit_judge"), judgement_data()).status_code == 403
    assert ExitJudgement.objects.count() == 1


# ------------------------------------------------------- the report to the Secretary of State


def test_the_six_monthly_report_carries_the_section_rebuilt_identically(
    intervention, world, governance, envoy
):
    direction = world["direction"]
    Direction.objects.filter(pk=direction.pk).update(compliance="at_risk")
    direction.refresh_from_db()
    direction.save()
    backdate(direction)
    report = Report.objects.create(
        intervention=intervention, kind="sos", title="Six-monthly report", as_of=AS_OF
    )
    context = report_context(report)
    assert context["sections"]["exit"]["title"] == "Readiness to exit intervention"
    [part] = [p for p in context["sources"] if p["key"] == "exit"]
    kinds = {source.kind for source in part["sources"]}
    assert {"direction", "recommendation", "measure", "expectation"} <= kinds
    first = pdf.render_html(report)
    start = first.index('id="section-exit"')
    part = first[start : first.index("</section>", start)]
    assert "Readiness to exit intervention" in part and "Governance" in part
    assert f"Direction: {direction.reference}. {direction.short_title}" in part
    # A judgement, and the Direction met, after the report's date change nothing in it.
    ExitJudgement.objects.create(
        intervention=intervention,
        theme=governance,
        judgement="ready",
        commentary="Embedded.",
        judged_on=AS_OF + datetime.timedelta(days=1),
        judged_by=envoy.people.get(),
    )
    direction.compliance = "met"
    direction.met_on = AS_OF + datetime.timedelta(days=1)
    direction.save()
    assert pdf.render_html(report) == first


def test_the_section_is_in_the_six_monthly_report_only(intervention, world):
    stocktake = Report.objects.create(
        intervention=intervention, kind="stocktake", title="Stocktake", as_of=AS_OF
    )
    assert 'id="section-exit"' not in pdf.render_html(stocktake)


def test_the_commissioners_report_speaks_in_their_words(commissioners, commissioner_personas):
    report = Report.objects.create(
        intervention=commissioners, kind="sos", title="Report", as_of=D(2025, 12, 31)
    )
    html = pdf.render_html(report)
    start = html.index('id="section-exit"')
    part = html[start : html.index("</section>", start)]
    assert "the Commissioners" in part and "Envoy" not in part


def test_an_empty_judgement_says_what_is_missing(client, intervention, envoy):
    client.force_login(envoy)
    response = client.post(
        page_url(intervention, "exit_judge"), judgement_data(judgement="", commentary="")
    )
    page = response.content.decode()
    assert "Choose ready, nearly ready or not ready." in page
    assert "Say why it was judged so." in page
    assert not ExitJudgement.objects.exists()


# ------------------------------------------------------------------ partly met


def test_a_partly_met_expectation_stands_in_the_way_named_as_partly_met(
    client, intervention, world, governance, officer
):
    letter = world["expectation"].report
    partly = Expectation.objects.create(
        intervention=intervention,
        report=letter,
        paragraph="4.5",
        title="Scrutiny",
        quoted="We expect scrutiny to improve.",
        answer="A new scrutiny protocol.",
        answered_on=D(2025, 10, 1),
        judgement="partly_met",
        judged_on=D(2025, 11, 1),
        judgement_commentary="Agreed, not yet in use.",
    )
    link(partly, "themes", [governance], letter.issued_on_date)

    theme = theme_of(readiness(intervention, AS_OF))
    assert [(b["kind"], b["label"], b["why"]) for b in theme["blockers"]] == [
        ("Expectation", "4.5: Scrutiny", "Partly met")
    ]
    assert [e["record"].id for e in theme["expectations"]["open"]] == [partly.pk]
    assert len(theme["expectations"]["met"]) == 1  # the one judged met, not this one
    # Before its judgement it was answered and waiting for one.
    before = theme_of(readiness(intervention, D(2025, 10, 15)))["blockers"]
    assert ("4.5: Scrutiny", "Answered, not yet judged") in [(b["label"], b["why"]) for b in before]

    client.force_login(officer)
    page = client.get(page_url(intervention) + "?as_of=2025-12-01").content.decode()
    assert f'<a class="govuk-link" href="{partly.get_absolute_url()}">4.5: Scrutiny</a>' in page
    assert "4.5: Scrutiny</a> (Partly met)" in page
    assert "not yet judged" not in page
    assert "1 of 2" in page  # expectations met


def test_the_report_names_a_partly_met_expectation_as_partly_met(intervention, world, governance):
    world["expectation"].judgement = "partly_met"
    world["expectation"].save()
    backdate(world["expectation"], D(2025, 11, 20))
    report = Report.objects.create(
        intervention=intervention, kind="sos", title="Six-monthly report", as_of=AS_OF
    )
    html = pdf.render_html(report)
    start = html.index('id="section-exit"')
    part = html[start : html.index("</section>", start)]
    assert "<td>Expectation: 4.4: Governance review</td><td>Partly met</td>" in part


# ------------------------------------------------------------------ the page's queries


def grow(intervention, letter, judge, n):
    """n more rows of each kind, each of the next theme in turn (ten rows reach every theme):
    a programme with a measure and a recommendation, a Direction at risk with a
    recommendation, an agreed measure off target with a reading, a partly met expectation and
    a judgement."""
    themes = list(Theme.objects.order_by("position"))
    aim = StrategicAimFactory(intervention=intervention)
    direction_set = DirectionSetFactory(intervention=intervention)
    start = Expectation.objects.count()
    for k in range(n):
        theme = themes[(start + k) % len(themes)]
        programme = ProgrammeFactory(aim=aim)
        programme.themes.set([theme])
        direction = DirectionFactory(direction_set=direction_set, compliance="at_risk")
        direction.themes.set([theme])
        RecommendationFactory(intervention=intervention, status="accepted").directions.set(
            [direction]
        )
        RecommendationFactory(intervention=intervention, status="accepted").programmes.set(
            [programme]
        )
        measure = MeasureFactory(
            intervention=intervention,
            theme=theme,
            oversight_agreed_on=D(2025, 4, 1),
            board_agreed_on=D(2025, 4, 10),
        )
        MeasureReadingFactory(measure=measure, taken_on=D(2025, 11, 1), value=60)
        MeasureFactory(intervention=intervention, programme=programme, theme=None)
        expectation = Expectation.objects.create(
            intervention=intervention,
            report=letter,
            paragraph=f"{start + k + 1}.1",
            title=f"Expectation {start + k + 1}",
            quoted="We expect it.",
            judgement="partly_met",
            judged_on=D(2025, 11, 20),
            judged_by=judge,
        )
        expectation.themes.set([theme])
        ExitJudgement.objects.create(
            intervention=intervention,
            theme=theme,
            judgement="not_ready",
            commentary="Not yet.",
            judged_on=D(2025, 11, 1),
            judged_by=judge,
        )


def count_queries(client, address):
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(address)
    assert response.status_code == 200
    return len(context.captured_queries), response.context["exit"]


@pytest.mark.parametrize("persona", ["officer", "envoy"])
def test_the_page_makes_the_same_queries_at_ten_times_the_rows(
    client, intervention, envoy, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    letter = issued_elsewhere(intervention)
    judge = envoy.people.get()
    grow(intervention, letter, judge, 1)
    once, small = count_queries(client, page_url(intervention))
    grow(intervention, letter, judge, 9)
    ten_times, large = count_queries(client, page_url(intervention))

    # Each row is counted: one theme's five blockers, then ten rows' worth across all seven.
    assert (small["blocker_count"], large["blocker_count"]) == (5, 50)
    assert all(theme["judgement"] for theme in large["themes"])
    # 1-4 the session, the user, their groups and the intervention; 5-21 the record as of
    # the day (`reports.snapshot.take`: the intervention, authority, plan, aims, programmes
    # and their milestones and themes, people, Direction sets, Directions and their themes,
    # boards, evidence, reporting duties, recommendations, programme updates, the themes);
    # 22-23 measures and their readings; 24-25 recommendations' Directions and programmes;
    # 26-27 expectations and their themes; 28 the judgements; 29 who made them; for the
    # Envoy one more, whether they may judge (their record in the intervention, read once
    # for every rule that asks); last, the data's version and the header's count of their
    # inbox (interventions.kit.kept). Nothing per row, per theme or per judgement.
    assert once == ten_times == (31 if persona == "officer" else 32)
