"""Success measures in the intervention file: what is entered through the pages (a measure,
its readings, a correction, both agreements) comes back from export → import identically, with
the days each took effect, and a report as of any day reads the same after the round trip."""

import datetime

import pytest
import yaml
from django.urls import reverse

from interventions.access import roles
from interventions.interchange.exporter import export_intervention
from interventions.interchange.importer import ImportFailed, parse
from interventions.models import Intervention, Theme
from interventions.models.base import set_change_reason
from reports.measures import measures_section
from tests.factories import UserFactory
from tests.test_interchange_lossless import import_text, wipe

D = datetime.date

pytestmark = pytest.mark.django_db


def link(intervention, key, role, username):
    user = UserFactory(role=role, username=username)
    person = intervention.people.get(key=key)
    person.user = user
    set_change_reason(person, "Account linked")
    person.save()
    return user


@pytest.fixture
def with_measures(client, tower_hamlets):
    """A demo-only measure entered through the pages of the Tower Hamlets intervention (the
    seeds state no measures with figures): proposed, read twice and corrected, agreed by an
    Envoy and recorded as agreed by the Board."""
    intervention = tower_hamlets
    team = link(intervention, "stephen-halsey", roles.IMPROVEMENT_TEAM, "imp-team")
    envoy = link(intervention, "kim-bromley-derry", roles.OVERSIGHT, "envoy-kbd")
    owner = intervention.people.get(key="stephen-halsey")
    client.force_login(team)
    slug = intervention.slug
    response = client.post(
        reverse("interventions:measure_create", args=[slug]),
        {
            "title": "Demo only: complaints answered within 10 working days",
            "rationale": "Shows whether residents are heard.",
            "programme": str(intervention.programmes.get(number=1).pk),
            "theme": str(Theme.objects.get(slug="governance").pk),
            "unit": "%",
            "direction": "higher",
            "baseline_value": "62.5",
            "baseline_on": "2025-04-01",
            "target_value": "90",
            "target_on": "2026-03-31",
            "source": "Demo only: not from the seeds",
            "owner": str(owner.pk),
            "frequency": "quarterly",
            "proposed_on": "2025-04-10",
            "version": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()
    measure = intervention.measures.get()
    for day, value in (("2025-04-30", "60"), ("2025-06-30", "70")):
        client.post(
            reverse("interventions:reading_add", args=[slug, measure.pk]),
            {"taken_on": day, "value": value, "commentary": "Quarter end.", "version": "1"},
        )
    first = measure.readings.get(taken_on=D(2025, 4, 30))
    client.post(
        reverse("interventions:reading_edit", args=[slug, measure.pk, first.pk]),
        {
            "taken_on": "2025-04-30",
            "value": "61",
            "commentary": "Corrected after the audit.",
            "evidence_url": "https://example.org/audit",
            "version": "1",
        },
    )
    client.post(
        reverse("interventions:measure_board_agreement", args=[slug, measure.pk]),
        {"agreed_on": "2025-06-16", "agreed_at": "TAB, 16 June 2025, item 5"},
    )
    client.force_login(envoy)
    client.post(
        reverse("interventions:measure_agree", args=[slug, measure.pk]),
        {"agreed_on": "2025-06-10"},
    )
    return Intervention.objects.get(pk=intervention.pk)


@pytest.fixture
def tower_hamlets():
    from interventions.interchange.importer import import_intervention, read
    from tests.test_interchange_lossless import DATA

    return import_intervention(
        read(DATA / "tower-hamlets-2025.yaml"), reason="Imported from tower-hamlets-2025.yaml"
    )


def test_measures_round_trip_identically(with_measures):
    first = export_intervention(with_measures)
    with_measures.measures.all().delete()
    wipe(with_measures)
    second = export_intervention(import_text(first))
    assert second == first


def test_the_file_carries_the_measure_its_readings_and_agreements(with_measures):
    [measure] = yaml.safe_load(export_intervention(with_measures))["measures"]
    assert measure["programme"] == 1 and measure["theme"] == "governance"
    assert measure["owner"] == "stephen-halsey"
    assert measure["oversight_agreed_by"] == "kim-bromley-derry"
    assert measure["board_agreed_at"] == "TAB, 16 June 2025, item 5"
    assert [(r["taken_on"], r["value"]) for r in measure["readings"]] == [
        (D(2025, 4, 30), 61.0),
        (D(2025, 6, 30), 70.0),
    ]
    corrected = measure["readings"][0]["versions"]
    assert corrected[-1]["valid_from"] == D(2025, 4, 30)
    assert corrected[-1]["fields"]["value"] == 61.0


def test_the_reports_section_reads_the_same_after_the_round_trip(with_measures):
    days = [D(2025, 4, 20), D(2025, 5, 20), D(2025, 6, 12), D(2025, 7, 10)]

    def sections(intervention):
        result = []
        for day in days:
            section = measures_section(intervention, day)
            result.append(
                [
                    (row["rag"], row["latest"], row["agreement"], row["chart"].text_alternative())
                    for group in section["themes"]
                    for row in group["measures"]
                ]
            )
        return result

    before = sections(with_measures)
    assert before[2][0][2] == "Proposed"  # the Envoy agreed on 10 June, the Board on 16 June
    assert before[3][0][2] == "Agreed 16 June 2025"
    text = export_intervention(with_measures)
    with_measures.measures.all().delete()
    wipe(with_measures)
    assert sections(import_text(text)) == before


def test_a_measure_naming_a_missing_programme_or_person_is_refused(with_measures):
    document = yaml.safe_load(export_intervention(with_measures))
    document["measures"][0]["programme"] = 99
    document["measures"][0]["owner"] = "nobody"
    with pytest.raises(ImportFailed) as failed:
        parse(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), name="x.yaml")
    errors = "\n".join(failed.value.errors)
    assert "measures[0].programme" in errors and "measures[0].owner" in errors


def test_a_target_before_its_baseline_is_refused(with_measures):
    document = yaml.safe_load(export_intervention(with_measures))
    document["measures"][0]["target_on"] = D(2025, 1, 1)
    with pytest.raises(ImportFailed, match="target_on must be after baseline_on"):
        parse(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), name="x.yaml")
