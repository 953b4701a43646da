"""Reports issued outside Stocktake: recording one, reading it, correcting the record, the
guards that keep it from being built or issued here, its place in the import format, and the
duty it discharges in the deadline engine (with the real Tower Hamlets data)."""

import copy
import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interventions.deadlines.engine import State, deadlines_for
from interventions.interchange.exporter import export_intervention
from interventions.interchange.importer import ImportFailed, import_intervention, parse
from interventions.kit.kept import forget_all
from interventions.models import Intervention
from reports import build
from reports.choices import ReportStatus
from reports.models import Report, ReportIssued
from tests.deadline_factories import ReportingDutyFactory

pytestmark = pytest.mark.django_db

D = datetime.date
LONDON = ZoneInfo("Europe/London")
TOWER_HAMLETS_2025 = Path(settings.BASE_DIR) / "data" / "tower-hamlets-2025.yaml"
LETTER = "Letter of 21 May 2025 from the Ministerial Envoys"


def record(intervention, **fields) -> Report:
    values = {
        "kind": "stocktake",
        "title": "First stocktake",
        "as_of": D(2025, 5, 21),
        "issued_on_date": D(2025, 5, 21),
        "issued_by": "Ministerial Envoys",
        "published_url": "https://www.gov.uk/government/publications/first-stocktake",
        "status": ReportStatus.FINAL,
        **fields,
    }
    return Report.objects.create(intervention=intervention, issued_elsewhere=True, **values)


def register(intervention) -> str:
    return reverse("reports:report_list", kwargs={"slug": intervention.slug})


def record_url(intervention) -> str:
    return reverse("reports:report_record_issued", kwargs={"slug": intervention.slug})


def url(name: str, report: Report) -> str:
    return reverse(f"reports:{name}", kwargs={"slug": report.intervention.slug, "pk": report.pk})


GOOD = {
    "kind": "stocktake",
    "title": "Envoys' first stocktake",
    "issued_on_date": "2025-05-21",
    "as_of": "",
    "issued_by": "Ministerial Envoys",
    "addressed_to": "Minister of State",
    "published_url": "https://www.gov.uk/government/publications/first-stocktake",
    "document_reference": "",
    "full_council_on": "",
}


# --------------------------------------------------------------------------------- the model


def test_it_counts_as_issued_on_the_day_recorded(intervention):
    report = record(intervention, as_of=D(2025, 5, 20))

    assert report.issued_on == D(2025, 5, 21)
    assert list(Report.objects.issued()) == [report]
    assert report.pdf.name in ("", None) and report.sha256 == ""
    assert report.verify_checksum() is None


def test_a_report_issued_here_still_counts_from_the_day_it_was_finalised(intervention):
    moment = datetime.datetime(2025, 7, 15, 23, 30, tzinfo=LONDON)  # 22:30 UTC
    report = Report.objects.create(
        intervention=intervention,
        kind="sos",
        title="Made here",
        as_of=D(2025, 6, 30),
        status=ReportStatus.FINAL,
        finalised_at=moment,
    )
    assert report.issued_on == D(2025, 7, 15)


def test_the_record_is_never_built_finalised_or_given_a_pdf(intervention, improvement_team):
    report = record(intervention)

    with pytest.raises(ReportIssued):
        build.store_pdf(Report.objects.get(pk=report.pk), b"%PDF-1.7")
    with pytest.raises(ReportIssued):
        build.finalise(Report.objects.get(pk=report.pk), improvement_team)
    for change in ({"status": ReportStatus.DRAFT}, {"sha256": "0" * 64}, {"summary": "Words"}):
        fresh = Report.objects.get(pk=report.pk)
        for name, value in change.items():
            setattr(fresh, name, value)
        with pytest.raises(ReportIssued):
            fresh.save()
    with pytest.raises(ReportIssued):
        Report.objects.get(pk=report.pk).delete()
    stored = Report.objects.get(pk=report.pk)
    assert (stored.status, stored.sha256, stored.summary, stored.pdf.name) == ("final", "", "", "")


def test_a_report_issued_here_cannot_be_turned_into_one_issued_elsewhere(intervention):
    made_here = Report.objects.create(
        intervention=intervention,
        kind="sos",
        title="Made here",
        as_of=D(2025, 6, 30),
        status=ReportStatus.FINAL,
        finalised_at=timezone.now(),
        sha256="0" * 64,
    )
    made_here.title = "Renamed"
    with pytest.raises(ReportIssued):
        made_here.save()
    fresh = Report.objects.get(pk=made_here.pk)
    fresh.issued_elsewhere = True
    fresh.issued_on_date = D(2025, 7, 1)
    with pytest.raises(ReportIssued):
        fresh.save()


def test_its_record_can_be_corrected_in_the_model(intervention):
    report = record(intervention)
    report.title = "Corrected"
    report.published_url = ""
    report.document_reference = LETTER
    report.save()

    assert Report.objects.get(pk=report.pk).document_reference == LETTER


@pytest.mark.parametrize(
    "fields",
    [
        {"published_url": "", "document_reference": ""},  # nowhere to find it
        {"as_of": D(2025, 5, 22)},  # as of a day after it was issued
        {"issued_on_date": None},  # no day of issue
        {"status": ReportStatus.DRAFT},  # a draft
        {"sha256": "0" * 64},  # a checksum of a PDF it does not have
    ],
)
def test_the_database_refuses_an_incomplete_record(intervention, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        record(intervention, **fields)


def test_only_a_record_of_a_report_issued_elsewhere_has_an_issue_date(intervention):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            intervention=intervention,
            kind="board",
            title="Draft",
            as_of=D(2025, 6, 30),
            issued_on_date=D(2025, 7, 1),
        )


# ------------------------------------------------------------------------- recording one


def test_the_improvement_team_records_a_report_issued_elsewhere(
    client, intervention, improvement_team
):
    client.force_login(improvement_team)
    assert client.get(record_url(intervention)).status_code == 200

    response = client.post(record_url(intervention), GOOD)

    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.issued_elsewhere and report.status == ReportStatus.FINAL
    assert report.issued_on == D(2025, 5, 21)
    assert report.as_of == D(2025, 5, 21)  # defaults to the day it was issued
    assert (report.issued_by, report.addressed_to) == ("Ministerial Envoys", "Minister of State")
    assert report.finalised_at is None and report.finalised_by is None
    created = report.history.get()
    assert created.history_user == improvement_team
    assert created.history_change_reason == "Recorded as issued outside Stocktake"


def test_a_document_reference_is_enough_without_a_web_address(
    client, intervention, improvement_team
):
    client.force_login(improvement_team)
    data = {**GOOD, "published_url": "", "document_reference": LETTER, "as_of": "2025-05-20"}
    assert client.post(record_url(intervention), data).status_code == 302
    report = Report.objects.get()
    assert (report.published_url, report.document_reference) == ("", LETTER)
    assert report.as_of == D(2025, 5, 20)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"issued_on_date": ""}, "issued_on_date", "Enter the date it was issued."),
        ({"issued_on_date": "2025-02-30"}, "issued_on_date", "Enter a real date."),
        ({"issued_on_date": "2999-01-01"}, "issued_on_date", "must be today or earlier"),
        ({"issued_by": ""}, "issued_by", "Enter who issued it."),
        ({"title": ""}, "title", "Enter the report's title."),
        ({"kind": ""}, "kind", "Choose the kind of report."),
        ({"as_of": "2025-05-22"}, "as_of", "on or before the date it was issued"),
        (
            {"published_url": "", "document_reference": ""},
            "published_url",
            "or a document reference",
        ),
        ({"published_url": "javascript:alert(1)"}, "published_url", "Enter a web address"),
        (
            {"full_council_on": "2025-06-01"},
            "full_council_on",
            "Only reports to the Secretary of State go to Full Council.",
        ),
    ],
)
def test_bad_input_is_explained_and_records_nothing(
    client, intervention, improvement_team, change, field, message
):
    client.force_login(improvement_team)
    response = client.post(record_url(intervention), {**GOOD, **change})

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#id_{field}' in page  # the summary links to the field
    assert message in " ".join(response.context["form"].errors[field])
    assert not Report.objects.exists()


def test_a_report_to_the_secretary_of_state_keeps_its_full_council_date(
    client, intervention, improvement_team
):
    client.force_login(improvement_team)
    data = {**GOOD, "kind": "sos", "full_council_on": "2025-07-16", "issued_on_date": "2025-07-18"}
    assert client.post(record_url(intervention), data).status_code == 302
    assert Report.objects.get().full_council_on == D(2025, 7, 16)


@pytest.mark.parametrize("persona", ["officer", "envoy", "board_member"])
def test_nobody_else_records_one(client, request, intervention, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(record_url(intervention)).status_code == 403
    assert client.post(record_url(intervention), GOOD).status_code == 403
    assert not Report.objects.exists()


def test_someone_outside_the_intervention_is_told_it_does_not_exist(client, intervention, stranger):
    client.force_login(stranger)
    assert client.post(record_url(intervention), GOOD).status_code == 404
    assert not Report.objects.exists()


def test_an_administrator_records_one(client, intervention, administrator):
    client.force_login(administrator)
    assert client.post(record_url(intervention), GOOD).status_code == 302
    assert Report.objects.get().issued_elsewhere


# -------------------------------------------------------------------------- reading it


def test_the_register_labels_it_and_links_to_where_it_is_published(
    client, intervention, improvement_team
):
    report = record(intervention)
    client.force_login(improvement_team)
    page = client.get(register(intervention)).content.decode()

    assert "Issued outside Stocktake" in page
    assert f'href="{report.get_absolute_url()}"' in page
    assert f'href="{report.published_url}"' in page
    assert "21 May 2025 by Ministerial Envoys" in page
    assert "Record a report issued outside Stocktake" in page


def test_without_a_web_address_the_register_gives_the_document_reference(
    client, intervention, envoy
):
    record(intervention, published_url="", document_reference=LETTER)
    client.force_login(envoy)
    page = client.get(register(intervention)).content.decode()

    assert "Issued outside Stocktake" in page and LETTER in page
    assert "Record a report issued outside Stocktake" not in page


def test_its_page_says_where_it_is_and_that_stocktake_has_no_pdf(
    client, intervention, improvement_team
):
    report = record(intervention, addressed_to="Minister of State", document_reference=LETTER)
    client.force_login(improvement_team)
    response = client.get(report.get_absolute_url())
    page = response.content.decode()

    assert response.status_code == 200
    assert "Issued outside Stocktake" in page and "holds no PDF" in page
    assert f'href="{report.published_url}"' in page
    for text in ("21 May 2025", "Ministerial Envoys", "Minister of State", LETTER):
        assert text in page
    assert url("report_correct", report) in page
    # None of the workflow of a report made here.
    for name in ("report_edit", "report_build", "report_finalise", "report_preview"):
        assert url(name, report) not in page
    assert "SHA-256" not in page


def test_its_page_shows_no_correction_button_to_readers(client, intervention, envoy):
    report = record(intervention)
    client.force_login(envoy)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Issued outside Stocktake" in page
    assert url("report_correct", report) not in page


def test_officers_read_it_once_it_is_shared(client, intervention, officer, improvement_team):
    report = record(intervention)
    client.force_login(officer)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert "First stocktake" not in client.get(register(intervention)).content.decode()

    client.force_login(improvement_team)
    assert client.post(url("report_share", report), {"shared": "yes"}).status_code == 302
    client.force_login(officer)
    assert client.get(report.get_absolute_url()).status_code == 200
    assert "First stocktake" in client.get(register(intervention)).content.decode()


def test_the_next_report_of_its_kind_measures_movement_from_it(
    client, intervention, improvement_team
):
    first = record(intervention)
    client.force_login(improvement_team)
    response = client.post(
        reverse("reports:report_create", kwargs={"slug": intervention.slug}),
        {"kind": "stocktake", "title": "Second stocktake", "as_of": "2025-11-30"},
    )

    second = Report.objects.get(title="Second stocktake")
    assert response.status_code == 302
    assert second.previous == first


def test_no_page_builds_previews_edits_or_issues_it(client, intervention, improvement_team):
    report = record(intervention)
    client.force_login(improvement_team)

    assert client.get(url("report_preview", report)).status_code == 404
    assert client.get(url("report_download", report)).status_code == 404
    assert client.get(url("report_edit", report)).status_code == 403
    for name in ("report_edit", "report_build", "report_finalise"):
        assert client.post(url(name, report), {"title": "X", "version": 1}).status_code == 403
    stored = Report.objects.get(pk=report.pk)
    assert (stored.title, stored.pdf.name, stored.sha256, stored.build_state, stored.version) == (
        "First stocktake",
        "",
        "",
        "none",
        1,
    )


def test_user_text_is_shown_literally(client, intervention, improvement_team):
    report = record(
        intervention,
        title="<script>alert(1)</script>",
        issued_by="<b>Envoys</b>",
        published_url='https://example.org/"><script>alert(2)</script>',
    )
    client.force_login(improvement_team)
    for page in (
        client.get(report.get_absolute_url()).content.decode(),
        client.get(register(intervention)).content.decode(),
    ):
        assert "<script>alert(1)</script>" not in page and "<b>Envoys</b>" not in page
        assert "<script>alert(2)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# ------------------------------------------------------------------- correcting the record


def correction(report: Report, **change) -> dict:
    return {
        "kind": report.kind,
        "title": report.title,
        "issued_on_date": report.issued_on_date.isoformat(),
        "as_of": report.as_of.isoformat(),
        "issued_by": report.issued_by,
        "addressed_to": report.addressed_to,
        "published_url": report.published_url,
        "document_reference": report.document_reference,
        "full_council_on": "",
        "version": report.version,
        "reason": "The letter is dated 20 May",
        **change,
    }


def test_the_improvement_team_corrects_the_record_with_a_reason(
    client, intervention, improvement_team
):
    report = record(intervention)
    client.force_login(improvement_team)
    assert client.get(url("report_correct", report)).status_code == 200

    response = client.post(
        url("report_correct", report),
        correction(report, issued_on_date="2025-05-20", as_of="2025-05-20"),
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.issued_on == D(2025, 5, 20) and report.version == 2
    latest = report.history.first()
    assert latest.history_user == improvement_team
    assert latest.history_change_reason == "The letter is dated 20 May"
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Reason: The letter is dated 20 May" in page
    assert "Issued on changed from 21 May 2025 to 20 May 2025" in page


def test_a_correction_needs_a_reason_and_bad_input_changes_nothing(
    client, intervention, improvement_team
):
    report = record(intervention)
    client.force_login(improvement_team)

    for change, field in (
        ({"reason": ""}, "reason"),
        ({"as_of": "2025-06-01"}, "as_of"),
        ({"published_url": "not a web address"}, "published_url"),
    ):
        response = client.post(
            url("report_correct", report), correction(report, title="Renamed", **change)
        )
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert "There is a problem" in response.content.decode()
        # The page is still about the record as stored.
        assert "Correct First stocktake" in response.content.decode()
    stored = Report.objects.get(pk=report.pk)
    assert (stored.title, stored.version, stored.history.count()) == ("First stocktake", 1, 1)


def test_a_stale_correction_is_refused_and_the_input_kept(client, intervention, improvement_team):
    report = record(intervention)
    opened = correction(report, title="Mine")
    other = Report.objects.get(pk=report.pk)
    other.title = "Theirs"
    other.version = 2
    other.save()
    client.force_login(improvement_team)

    response = client.post(url("report_correct", report), opened)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this after you opened it" in page
    assert 'value="Mine"' in page
    assert Report.objects.get(pk=report.pk).title == "Theirs"


@pytest.mark.parametrize("persona", ["envoy", "board_member"])
def test_readers_cannot_correct_it(client, request, intervention, persona):
    report = record(intervention)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url("report_correct", report)).status_code == 403
    assert (
        client.post(url("report_correct", report), correction(report, title="X")).status_code == 403
    )
    assert Report.objects.get(pk=report.pk).title == "First stocktake"


def test_an_officer_and_a_stranger_are_told_it_does_not_exist(
    client, intervention, officer, stranger
):
    report = record(intervention)
    for user in (officer, stranger):
        client.force_login(user)
        response = client.post(url("report_correct", report), correction(report, title="X"))
        assert response.status_code == 404
    assert Report.objects.get(pk=report.pk).title == "First stocktake"


def test_a_report_made_here_has_no_correction_page(client, intervention, improvement_team):
    draft = Report.objects.create(
        intervention=intervention, kind="board", title="Q1", as_of=D(2025, 6, 30)
    )
    client.force_login(improvement_team)
    assert client.get(url("report_correct", draft)).status_code == 404


def test_its_page_makes_the_same_queries_however_often_it_was_corrected(
    client, intervention, improvement_team
):
    report = record(intervention)
    client.force_login(improvement_team)

    def correct(times: int) -> None:
        for n in range(times):
            fresh = Report.objects.get(pk=report.pk)
            fresh.title = f"Title {fresh.version}"
            fresh.version += 1
            fresh._change_reason = f"Correction {n}"
            fresh.save()

    def count() -> int:
        forget_all()  # nothing kept: counted as the first reading after a change
        with CaptureQueriesContext(connection) as queries:
            assert client.get(report.get_absolute_url()).status_code == 200
        return len(queries)

    correct(1)
    few = count()
    correct(9)
    assert count() == few


# ------------------------------------------------------------------ the deadline engine


def test_it_meets_the_reporting_duty_of_its_kind(intervention):
    duty = ReportingDutyFactory(intervention=intervention, report_kind="stocktake")
    due = deadlines_for(intervention, D(2025, 6, 1))
    first = next(item for item in due if item.uid == f"duty-{duty.pk}-1")
    assert first.state == State.MISSED

    record(intervention, as_of=D(2025, 5, 21), issued_on_date=D(2025, 5, 21))

    first = next(
        item for item in deadlines_for(intervention, D(2025, 6, 1)) if item.uid == first.uid
    )
    assert (first.state, first.satisfied_on) == (State.MET_ON_TIME, D(2025, 5, 21))
    assert first.satisfied_note == "First stocktake"
    # On the day before it was issued, it had not happened yet.
    earlier = deadlines_for(intervention, D(2025, 5, 20))
    assert next(item for item in earlier if item.uid == first.uid).state == State.DUE_SOON


def import_data(document: dict) -> Intervention:
    data = parse(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), name="x.yaml")
    return import_intervention(data, reason="Imported from x.yaml", name="x.yaml")


def comparable(items) -> list[tuple]:
    """The deadline list without what differs only because the rows differ (ids, addresses)."""
    return [
        (
            item.due,
            item.what,
            item.source,
            item.reference,
            item.satisfied_by,
            item.satisfied_on,
            item.satisfied_note,
            item.state,
            item.responsible.name if item.responsible else None,
            tuple(theme.slug for theme in item.themes),
        )
        for item in items
    ]


def test_tower_hamlets_first_stocktake_was_met_on_time_and_nothing_else_changed(db):
    document = yaml.safe_load(TOWER_HAMLETS_2025.read_text(encoding="utf-8"))
    call_command("import_intervention", str(TOWER_HAMLETS_2025), verbosity=0)
    real = Intervention.objects.get(slug="tower-hamlets-2025")
    without = copy.deepcopy(document)
    without["intervention"]["slug"] = "tower-hamlets-2025-without-reports"
    del without["reports_issued"]
    # The expectations of the stocktake are in it: without the report they go too.
    without.pop("expectations", None)
    bare = import_data(without)

    as_of = D(2025, 6, 1)
    with_report = deadlines_for(real, as_of)
    stocktakes = [item for item in with_report if item.reference == "Envoys' stocktake"]
    assert [(s.due, s.state, s.satisfied_on) for s in stocktakes] == [
        (D(2025, 5, 22), State.MET_ON_TIME, D(2025, 5, 21))
    ]
    assert stocktakes[0].satisfied_note == (
        "Envoys' assessment of progress to date at the London Borough of Tower Hamlets"
    )

    before, after = comparable(deadlines_for(bare, as_of)), comparable(with_report)
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert len(changed) == 1
    old, new = changed[0]
    assert old[3] == new[3] == "Envoys' stocktake"
    assert (old[7], new[7]) == (State.MISSED, State.MET_ON_TIME)


def test_tower_hamlets_records_the_letter_as_the_seed_gives_it(db):
    call_command("import_intervention", str(TOWER_HAMLETS_2025), verbosity=0)
    report = Report.objects.get(intervention__slug="tower-hamlets-2025")

    assert report.issued_elsewhere and report.kind == "stocktake"
    assert (report.issued_on, report.as_of) == (D(2025, 5, 21), D(2025, 5, 21))
    assert report.issued_by.startswith("Ministerial Envoys to the London Borough of Tower Hamlets")
    assert report.addressed_to == "Minister of State"  # "Dear Minister of State"
    assert report.history.get().history_change_reason == "Imported from tower-hamlets-2025.yaml"


# --------------------------------------------------------------------- the import format


def the_file() -> dict:
    return yaml.safe_load(TOWER_HAMLETS_2025.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"as_of": D(2025, 5, 22)}, "as_of must not be after issued_on"),
        (
            {"document_reference": "", "published_url": ""},
            "needs published_url or document_reference",
        ),
        ({"full_council_on": D(2025, 6, 1)}, "only a report to the Secretary of State"),
        ({"published_url": "javascript:alert(1)"}, "reports_issued[0].published_url"),
        ({"kind": "letter"}, "reports_issued[0].kind"),
    ],
)
def test_the_format_refuses_an_incomplete_record(change, message):
    document = the_file()
    document["reports_issued"][0].update(change)
    with pytest.raises(ImportFailed) as caught:
        parse(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), name="x.yaml")
    assert message in str(caught.value)
    assert "x.yaml: reports_issued[0]" in str(caught.value)


def test_a_value_only_the_database_refuses_is_named_and_nothing_is_written():
    document = the_file()
    document["reports_issued"][0]["issued_by"] = "E" * 201
    with pytest.raises(ImportFailed) as caught:
        import_data(document)
    assert "x.yaml: reports_issued[0].issued_by" in str(caught.value)
    assert not Intervention.objects.exists() and not Report.objects.exists()


def test_export_writes_only_reports_issued_elsewhere_and_an_as_of_that_differs(intervention):
    record(intervention, title="Same day")
    record(
        intervention,
        kind="sos",
        title="Earlier as of",
        as_of=D(2025, 6, 30),
        issued_on_date=D(2025, 7, 18),
        full_council_on=D(2025, 7, 16),
        published_url="",
        document_reference="Council minutes",
    )
    Report.objects.create(
        intervention=intervention,
        kind="board",
        title="Made here",
        as_of=D(2025, 6, 30),
        status=ReportStatus.FINAL,
        finalised_at=timezone.now(),
    )

    exported = yaml.safe_load(export_intervention(intervention))
    # Entered here rather than imported, each also carries its recorded versions
    # (tests/test_interchange_lossless.py); the fields are what this test is about.
    written = [
        {name: value for name, value in report.items() if name != "versions"}
        for report in exported["reports_issued"]
    ]

    assert written == [
        {
            "kind": "stocktake",
            "title": "Same day",
            "issued_on": D(2025, 5, 21),
            "issued_by": "Ministerial Envoys",
            "published_url": "https://www.gov.uk/government/publications/first-stocktake",
        },
        {
            "kind": "sos",
            "title": "Earlier as of",
            "issued_on": D(2025, 7, 18),
            "as_of": D(2025, 6, 30),
            "issued_by": "Ministerial Envoys",
            "document_reference": "Council minutes",
            "full_council_on": D(2025, 7, 16),
        },
    ]
