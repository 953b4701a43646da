"""Evidence: who may add it, the checks on an upload, where it is stored, and its download."""

import os
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from interventions.evidence import services as service
from interventions.models import Evidence, Person
from tests.factories import (
    CommentFactory,
    EvidenceFactory,
    MilestoneFactory,
    ProgrammeFactory,
)

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
ZIP = b"PK\x03\x04" + b"\x14\x00" * 20


@pytest.fixture
def programme(intervention):
    return ProgrammeFactory(aim__intervention=intervention, number=7)


@pytest.fixture
def milestone(programme):
    return MilestoneFactory(programme=programme)


@pytest.fixture
def sro(officer, intervention, programme):
    """The officer persona, made SRO of the programme."""
    programme.sro = Person.objects.get(intervention=intervention, user=officer)
    programme.save()
    return officer


def programme_add_url(programme):
    return reverse(
        "interventions:programme_evidence_add",
        kwargs={"slug": programme.intervention.slug, "number": programme.number},
    )


def milestone_add_url(milestone):
    return reverse(
        "interventions:milestone_evidence_add",
        kwargs={"slug": milestone.programme.intervention.slug, "pk": milestone.pk},
    )


def download_url(slug, evidence):
    return reverse("interventions:evidence_download", kwargs={"slug": slug, "uuid": evidence.uuid})


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def upload(name, content):
    # The browser's content type is deliberately wrong: it must play no part.
    return SimpleUploadedFile(name, content, content_type="application/x-whatever")


def post_file(client, url, name, content, title="Cabinet report"):
    return client.post(url, {"kind": "file", "title": title, "file": upload(name, content)})


# Adding a file


def test_it_stores_an_upload_under_its_uuid(client, improvement_team, programme, evidence_root):
    client.force_login(improvement_team)

    response = post_file(client, programme_add_url(programme), "Cabinet report.pdf", PDF)

    assert response.status_code == 302
    assert response.url == programme.get_absolute_url() + "#evidence"
    evidence = Evidence.objects.get()
    assert evidence.kind == "file"
    assert evidence.programme == programme and evidence.milestone is None
    assert evidence.intervention == programme.intervention
    assert evidence.file.name == f"{programme.intervention_id}/{evidence.uuid}"
    assert evidence.original_name == "Cabinet report.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF)
    assert evidence.added_by == improvement_team
    assert stored_files(evidence_root) == [
        evidence_root / str(programme.intervention_id) / str(evidence.uuid)
    ]
    assert (evidence_root / evidence.file.name).read_bytes() == PDF


def test_a_stored_file_is_readable_by_the_service_alone(
    client, improvement_team, programme, evidence_root
):
    """0640, folders 0750, whatever the umask: evidence can hold personal data."""
    client.force_login(improvement_team)
    old = os.umask(0o022)
    try:
        post_file(client, programme_add_url(programme), "Cabinet report.pdf", PDF)
    finally:
        os.umask(old)

    stored = evidence_root / Evidence.objects.get().file.name
    assert stat.S_IMODE(stored.stat().st_mode) == 0o640
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o750


def test_it_records_the_addition_in_history(client, improvement_team, programme):
    client.force_login(improvement_team)

    post_file(client, programme_add_url(programme), "report.pdf", PDF, title="Audit letter")

    record = Evidence.history.get()
    assert record.history_type == "+"
    assert record.history_change_reason == "Evidence added: Audit letter"
    assert record.history_user == improvement_team


def test_it_says_evidence_was_added(client, improvement_team, programme):
    client.force_login(improvement_team)

    response = post_file(
        client, programme_add_url(programme), "report.pdf", PDF, title="Audit letter"
    )

    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["Evidence added: Audit letter"]


def test_a_long_title_fits_the_history_reason(improvement_team, programme):
    title = "A" * 200

    service.add_link(
        programme=programme, title=title, url="https://example.org", by=improvement_team
    )

    reason = Evidence.history.get().history_change_reason
    assert len(reason) <= 100 and reason.startswith("Evidence added: AAA")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        (
            "plan.docx",
            ZIP,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("plan.ODS", ZIP, "application/vnd.oasis.opendocument.spreadsheet"),
        ("chart.png", PNG, "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16, "image/jpeg"),
        ("actions.csv", "Action,Owner\nPublish,Café\n".encode(), "text/csv"),
        ("notes.txt", b"Plain notes\n", "text/plain"),
    ],
)
def test_it_accepts_each_kind_by_its_content(
    improvement_team, programme, name, content, content_type
):
    evidence = service.add_file(
        programme=programme, title="Evidence", upload=upload(name, content), by=improvement_team
    )

    assert evidence.content_type == content_type


# Who may add evidence


def test_the_sro_may_add_evidence_to_a_milestone(client, sro, milestone):
    client.force_login(sro)

    response = post_file(client, milestone_add_url(milestone), "report.pdf", PDF)

    assert response.status_code == 302
    assert response.url == milestone.get_absolute_url() + "#evidence"
    assert Evidence.objects.get().milestone == milestone


def test_the_sro_may_add_a_link_to_the_programme(client, sro, programme):
    client.force_login(sro)

    response = client.post(
        programme_add_url(programme),
        {"kind": "link", "title": "Published report", "url": "https://example.org/report"},
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.url, evidence.file.name) == (
        "link",
        "https://example.org/report",
        "",
    )


@pytest.mark.parametrize("persona", ["improvement_team", "sro", "administrator"])
def test_those_who_may_update_see_the_form(client, request, persona, programme, milestone):
    client.force_login(request.getfixturevalue(persona))

    for url in (programme_add_url(programme), milestone_add_url(milestone)):
        response = client.get(url)

        assert response.status_code == 200
        assert b"Upload a file" in response.content and b"Add a link" in response.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 403), ("envoy", 403), ("board_member", 403), ("stranger", 404)],
)
def test_others_may_not_add_evidence(client, request, persona, status, programme, milestone):
    client.force_login(request.getfixturevalue(persona))

    for url in (programme_add_url(programme), milestone_add_url(milestone)):
        assert client.get(url).status_code == status
        assert post_file(client, url, "report.pdf", PDF).status_code == status

    assert not Evidence.objects.exists()


def test_an_officer_may_not_add_evidence_to_someone_elses_programme(client, sro, intervention):
    other_programme = ProgrammeFactory(aim__intervention=intervention)
    client.force_login(sro)

    response = post_file(client, programme_add_url(other_programme), "report.pdf", PDF)

    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_a_milestone_of_another_intervention_is_not_found(client, improvement_team, intervention):
    foreign = MilestoneFactory()
    url = reverse(
        "interventions:milestone_evidence_add", kwargs={"slug": intervention.slug, "pk": foreign.pk}
    )
    client.force_login(improvement_team)

    assert client.get(url).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, programme):
    response = client.get(programme_add_url(programme))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# Checks on the upload: each refused with a message, nothing written


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "The selected file must be a CSV, DOCX"),
        ("report.pdf", PNG, "The selected file is not really a PDF file"),
        ("chart.png", PDF, "The selected file is not really a PNG file"),
        ("plan.docx", PDF, "The selected file is not really a DOCX file"),
        ("notes.txt", b"text\x00with a NUL", "The selected file is not really a TXT file"),
        ("data.csv", b"\xff\xfe not utf-8", "The selected file is not really a CSV file"),
        ("empty.pdf", b"", "The selected file is empty"),
        ("../../etc/passwd", b"root:x:0:0\n", "The selected file must be a CSV, DOCX"),
    ],
)
def test_it_refuses_files_that_fail_a_check(
    client, improvement_team, programme, evidence_root, name, content, message
):
    client.force_login(improvement_team)

    response = post_file(client, programme_add_url(programme), name, content)

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert 'class="govuk-file-upload govuk-file-upload--error"' in response.text
    assert 'value="Cabinet report"' in response.text  # the rest of the input is kept
    assert not Evidence.objects.exists()
    assert not Evidence.history.exists()
    assert stored_files(evidence_root) == []


def test_it_refuses_a_file_over_the_limit(
    client, settings, improvement_team, programme, evidence_root
):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(improvement_team)

    response = post_file(client, programme_add_url(programme), "big.pdf", PDF.ljust(1025, b" "))

    assert "The selected file must be 1.0 KB or smaller" in response.text
    assert not Evidence.objects.exists()
    assert stored_files(evidence_root) == []


def test_it_accepts_a_file_at_the_limit(settings, improvement_team, programme):
    settings.EVIDENCE_MAX_BYTES = 1024

    evidence = service.add_file(
        programme=programme,
        title="Just fits",
        upload=upload("fits.pdf", PDF.ljust(1024, b" ")),
        by=improvement_team,
    )

    assert evidence.size == 1024


def test_the_default_limit_is_20_mb(settings):
    assert settings.EVIDENCE_MAX_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("a/b.pdf", "b.pdf"),
        ("..\\..\\windows\\report.pdf", "report.pdf"),
        ('"; rm -rf *.pdf', "__ rm -rf _.pdf"),
        ("line\r\nbreak.pdf", "linebreak.pdf"),
        (".pdf", "evidence.pdf"),
    ],
)
def test_path_tricks_do_not_decide_where_a_file_is_stored(
    improvement_team, programme, evidence_root, name, shown
):
    evidence = service.add_file(
        programme=programme, title="Trick", upload=upload(name, PDF), by=improvement_team
    )

    assert evidence.file.name == f"{programme.intervention_id}/{evidence.uuid}"
    assert evidence.original_name == shown
    assert stored_files(evidence_root) == [evidence_root / evidence.file.name]


def test_a_path_trick_through_the_form_is_stored_safely(
    client, improvement_team, programme, evidence_root
):
    client.force_login(improvement_team)

    post_file(client, programme_add_url(programme), "../../../evil.pdf", PDF)

    evidence = Evidence.objects.get()
    assert evidence.original_name == "evil.pdf"
    assert stored_files(evidence_root) == [evidence_root / evidence.file.name]


def test_the_service_checks_the_milestone_belongs_to_the_programme(improvement_team, programme):
    with pytest.raises(ValueError):
        service.add_link(
            programme=programme,
            milestone=MilestoneFactory(),
            title="Wrong place",
            url="https://example.org",
            by=improvement_team,
        )


# Links


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/file.pdf",
        "file:///etc/passwd",
        "example.org/no-scheme",
    ],
)
def test_it_refuses_links_that_are_not_web_addresses(client, improvement_team, programme, url):
    client.force_login(improvement_team)

    response = client.post(
        programme_add_url(programme), {"kind": "link", "title": "Bad link", "url": url}
    )

    assert response.status_code == 200
    assert "Enter a web address that starts with http:// or https://" in response.text
    assert not Evidence.objects.exists()


def test_the_service_refuses_a_javascript_link(improvement_team, programme):
    with pytest.raises(ValidationError):
        service.add_link(
            programme=programme, title="XSS", url="javascript:alert(1)", by=improvement_team
        )
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "No kind"}, "Select whether you want to upload a file or add a link"),
        ({"kind": "file"}, "Enter a title for the evidence"),
        ({"kind": "file", "title": "No file"}, "Select a file to upload"),
        ({"kind": "link", "title": "No link"}, "Enter a web address"),
    ],
)
def test_missing_answers_are_shown_with_the_govuk_error_pattern(
    client, improvement_team, programme, data, message
):
    client.force_login(improvement_team)

    response = client.post(programme_add_url(programme), data)

    assert response.status_code == 200
    assert '<div class="govuk-error-summary"' in response.text
    assert message in response.text
    assert "<title>Error: " in response.text
    assert not Evidence.objects.exists()


def test_a_titles_markup_is_escaped_when_the_form_is_shown_again(
    client, improvement_team, programme
):
    client.force_login(improvement_team)

    response = post_file(
        client, programme_add_url(programme), "x.exe", b"MZ", title="<script>alert(1)</script>"
    )

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


# Download


@pytest.fixture
def stored(improvement_team, programme):
    return service.add_file(
        programme=programme,
        title="Cabinet report",
        upload=upload("Cabinet report – March.pdf", PDF),
        by=improvement_team,
    )


@pytest.mark.parametrize(
    "persona", ["officer", "improvement_team", "envoy", "board_member", "administrator"]
)
def test_everyone_in_the_intervention_may_download(client, request, persona, stored):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(download_url(stored.intervention.slug, stored))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_a_download_is_a_sandboxed_attachment(client, envoy, stored):
    client.force_login(envoy)

    response = client.get(download_url(stored.intervention.slug, stored))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Cabinet%20report%20%E2%80%93%20March.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Content-Length"] == str(len(PDF))


def test_a_download_uses_the_stored_type_not_the_browsers(
    client, envoy, improvement_team, programme
):
    evidence = service.add_file(
        programme=programme,
        title="Notes",
        upload=SimpleUploadedFile("notes.txt", b"<html>hi</html>", content_type="text/html"),
        by=improvement_team,
    )
    client.force_login(envoy)

    response = client.get(download_url(evidence.intervention.slug, evidence))

    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'


def test_someone_outside_the_intervention_may_not_download(client, stranger, stored):
    client.force_login(stranger)

    assert client.get(download_url(stored.intervention.slug, stored)).status_code == 404


def test_signed_out_visitors_may_not_download(client, stored):
    response = client.get(download_url(stored.intervention.slug, stored))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_another_interventions_evidence_is_not_found_through_this_one(
    client, administrator, stored, other_intervention
):
    client.force_login(administrator)  # sees both interventions

    response = client.get(download_url(other_intervention.slug, stored))

    assert response.status_code == 404


def test_a_link_has_no_download(client, envoy, programme):
    link = EvidenceFactory(programme=programme, kind="link")
    client.force_login(envoy)

    assert client.get(download_url(programme.intervention.slug, link)).status_code == 404


def test_a_missing_file_is_not_found(client, envoy, stored, evidence_root):
    (evidence_root / stored.file.name).unlink()
    client.force_login(envoy)

    assert client.get(download_url(stored.intervention.slug, stored)).status_code == 404


# The partial on programme and milestone pages


def render_partials(user, programme, milestone=None):
    request = RequestFactory().get("/")
    request.user = user
    context = {
        "intervention": programme.intervention,
        **service.evidence_context(request, programme, milestone),
    }
    return render_to_string("includes/evidence_list.html", context, request=request) + (
        render_to_string("includes/comments.html", context, request=request)
    )


def test_the_list_shows_files_and_links(improvement_team, programme, stored):
    EvidenceFactory(programme=programme, title="Published minutes", url="https://example.org/m")

    html = render_partials(improvement_team, programme)

    assert download_url(programme.intervention.slug, stored) in html
    assert "Cabinet report – March.pdf" in html
    assert f"{len(PDF)}\xa0bytes" in html
    assert 'href="https://example.org/m" rel="noopener noreferrer"' in html
    assert "Add evidence" in html and programme_add_url(programme) in html


def test_the_list_offers_no_add_link_to_readers(envoy, programme, stored):
    html = render_partials(envoy, programme)

    assert "Cabinet report" in html
    assert "Add evidence" not in html


def test_a_milestone_page_lists_only_that_milestones_evidence(sro, programme, milestone):
    EvidenceFactory(programme=programme, milestone=milestone, title="On the milestone")
    EvidenceFactory(programme=programme, title="On the programme")

    html = render_partials(sro, programme, milestone)

    assert "On the milestone" in html and "On the programme" not in html
    assert milestone_add_url(milestone) in html


def test_the_programme_page_names_the_milestone_of_its_evidence(envoy, programme, milestone):
    EvidenceFactory(programme=programme, milestone=milestone, title="On the milestone")

    html = render_partials(envoy, programme)

    assert f"Milestone {milestone.label}" in html


def test_a_titles_markup_is_escaped_in_the_list(envoy, programme):
    EvidenceFactory(programme=programme, title="<script>alert(1)</script>")

    html = render_partials(envoy, programme)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("size", [1, 10])
def test_the_context_takes_a_fixed_number_of_queries(
    django_assert_num_queries, sro, programme, milestone, size
):
    for _ in range(size):
        EvidenceFactory(programme=programme, milestone=milestone)
        CommentFactory(programme=programme, milestone=milestone)
    request = RequestFactory().get("/")
    request.user = sro
    programme.intervention  # noqa: B018 - the detail views load it with the programme

    # Whether they may update: 1 their groups (read once for every rule), 2 the programme;
    # whether they may comment: 3 the intervention; 4-5 the comments and challenges (with
    # authors) and their replies; 6 the evidence (with who added it and its milestone).
    # Rendering adds none.
    with django_assert_num_queries(6):
        render_partials(sro, programme)


def test_the_question_each_choice_reveals_does_not_mark_the_radios_expanded(
    client, improvement_team, programme
):
    """ARIA does not allow aria-expanded on a radio (axe-core: critical), which GOV.UK
    Frontend's radios module sets on radios that reveal a question; the service's own reveal
    only shows and hides the question that follows each radio."""
    client.force_login(improvement_team)

    page = client.get(programme_add_url(programme)).content.decode()

    assert 'data-module="govuk-radios"' not in page and "data-aria-controls" not in page
    assert 'data-app-module="reveal-radios"' in page
    for kind in ("file", "link"):
        assert f'data-app-reveals="conditional-{kind}"' in page
        assert f'id="conditional-{kind}"' in page
