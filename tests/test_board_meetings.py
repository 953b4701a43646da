"""Running a board's meetings: who may do what, papers public or exempt, versioned edits, the
audit trail, and what changed since the last meeting."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards.models import Meeting, Paper
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    BoardFactory,
    MeetingFactory,
    PaperFactory,
    ProgrammeFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def board(intervention):
    return BoardFactory(intervention=intervention, key="tab")


@pytest.fixture
def meeting(board):
    return MeetingFactory(board=board, date=D(2025, 6, 12), status="scheduled")


def urls(meeting):
    slug = meeting.board.intervention.slug
    kwargs = {"slug": slug, "pk": meeting.pk}
    return [
        reverse("boards:meeting_create", kwargs={"slug": slug, "key": meeting.board.key}),
        reverse("boards:meeting_edit", kwargs=kwargs),
        reverse("boards:agenda_item_add", kwargs=kwargs),
        reverse("boards:paper_add", kwargs=kwargs),
        reverse("boards:attendance_record", kwargs=kwargs),
        reverse("boards:action_add", kwargs=kwargs),
    ]


def test_the_secretariat_runs_the_meeting_and_nobody_else(
    client, meeting, improvement_team, officer, envoy, board_member, stranger, administrator
):
    action = ActionFactory(meeting=meeting)
    action_url = reverse(
        "boards:action_edit", kwargs={"slug": meeting.board.intervention.slug, "pk": action.pk}
    )
    for user, status in [
        (improvement_team, 200),
        (administrator, 200),
        (officer, 403),
        (envoy, 403),
        (board_member, 403),
        (stranger, 404),
    ]:
        client.force_login(user)
        for url in [*urls(meeting), action_url]:
            assert client.get(url).status_code == status, (user, url)


def test_a_refused_post_changes_nothing(client, meeting, envoy):
    client.force_login(envoy)

    response = client.post(urls(meeting)[0], {"date": "2025-07-12", "kind": "formal"})

    assert response.status_code == 403
    assert Meeting.objects.count() == 1


def test_everyone_in_the_intervention_reads_the_meeting_and_only_the_secretariat_sees_buttons(
    client, meeting, improvement_team, envoy, stranger
):
    client.force_login(envoy)
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200
    assert "Add a paper" not in page.content.decode()

    client.force_login(improvement_team)
    assert "Add a paper" in client.get(meeting.get_absolute_url()).content.decode()

    client.force_login(stranger)
    assert client.get(meeting.get_absolute_url()).status_code == 404


def pdf(name="paper.pdf", content=b"%PDF-1.7\n%%EOF\n"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_an_exempt_paper_needs_its_reason(client, meeting, improvement_team):
    client.force_login(improvement_team)
    url = urls(meeting)[3]

    response = client.post(url, {"title": "Appendix", "file": pdf(), "publication": "exempt"})

    assert response.status_code == 200
    assert "Say why the paper is exempt" in response.content.decode()
    assert not Paper.objects.exists()


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(
    client, meeting, improvement_team, evidence_root
):
    client.force_login(improvement_team)

    response = client.post(
        urls(meeting)[3],
        {
            "title": "Report",
            "file": pdf(content=b"<script>alert(1)</script>"),
            "publication": "public",
        },
    )

    assert response.status_code == 200
    assert "is not really a PDF file" in response.content.decode()
    assert not Paper.objects.exists()
    assert not any(path.is_file() for path in evidence_root.rglob("*"))


def test_papers_are_stored_outside_the_web_root_under_a_name_nobody_chose(
    client, meeting, improvement_team, evidence_root
):
    client.force_login(improvement_team)

    client.post(
        urls(meeting)[3], {"title": "Report", "file": pdf("../../x.pdf"), "publication": "public"}
    )

    paper = Paper.objects.get()
    assert paper.original_name == "x.pdf"
    stored = evidence_root / paper.file.name
    assert stored.is_file()
    assert stored.name == str(paper.uuid)
    assert paper.history.get().history_change_reason == "Paper added"


def test_an_exempt_paper_is_downloaded_only_by_those_who_see_the_intervention(
    client, meeting, envoy, stranger
):
    paper = PaperFactory(meeting=meeting, exempt=True, exemption_reason="Paragraph 1")
    url = reverse(
        "boards:paper_download",
        kwargs={"slug": meeting.board.intervention.slug, "uuid": paper.uuid},
    )

    client.force_login(envoy)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"

    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_a_stale_meeting_edit_is_refused_and_the_input_kept(client, meeting, improvement_team):
    client.force_login(improvement_team)
    meeting.minutes = "Someone else's minutes"
    meeting.version = 2
    meeting.save()

    response = client.post(
        urls(meeting)[1],
        {
            "version": 1,
            "date": "2025-06-12",
            "kind": "formal",
            "status": "held",
            "published": "False",
            "minutes": "My minutes",
        },
    )

    assert response.status_code == 200
    assert "Someone else changed this after you opened it" in response.content.decode()
    assert "My minutes" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "Someone else's minutes"


def test_a_meeting_edit_is_audited_with_its_reason(client, meeting, improvement_team):
    client.force_login(improvement_team)

    client.post(
        urls(meeting)[1],
        {
            "version": 1,
            "date": "2025-06-12",
            "kind": "formal",
            "status": "held",
            "published": "False",
            "minutes": "Draft minutes",
            "reason": "Meeting held",
        },
    )

    latest = meeting.history.latest()
    assert latest.minutes == "Draft minutes"
    assert latest.history_change_reason == "Meeting held"
    assert latest.history_user == improvement_team


def test_the_board_page_lists_what_changed_since_its_last_meeting(
    client, board, intervention, envoy
):
    MeetingFactory(board=board, date=D(2025, 1, 10), status="held")
    programme = ProgrammeFactory(intervention=intervention, title="Culture change")
    programme.status = "in_progress"
    programme._change_reason = "Started"
    programme.save()
    client.force_login(envoy)

    page = client.get(board.get_absolute_url()).content.decode()

    assert "What changed since the last meeting" in page
    assert "since the meeting of 10 January 2025" in page
    assert "Culture change" in page


def test_the_board_page_before_any_meeting_says_so(client, board, envoy):
    client.force_login(envoy)

    assert "The board has not met yet." in client.get(board.get_absolute_url()).content.decode()


def edit(client, meeting, **changes):
    form = {
        "version": meeting.version,
        "date": meeting.date.isoformat(),
        "kind": "formal",
        "status": meeting.status,
        "published": "False",
        "minutes": meeting.minutes,
    }
    form.update(changes)
    return client.post(urls(meeting)[1], form)


def test_minutes_cannot_be_approved_before_they_are_written(client, meeting, improvement_team):
    client.force_login(improvement_team)

    response = edit(client, meeting, status="minutes_approved", minutes="")

    assert "Enter the minutes the Board approved" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"

    edit(client, meeting, status="minutes_approved", minutes="Agreed.")
    meeting.refresh_from_db()
    assert meeting.status == "minutes_approved"


def test_a_meeting_still_to_come_cannot_have_been_held(client, board, improvement_team):
    future = MeetingFactory(
        board=board, date=timezone.localdate() + datetime.timedelta(days=7), status="scheduled"
    )
    client.force_login(improvement_team)

    response = edit(client, future, status="held")

    assert "A meeting cannot have been held on a date still to come" in response.content.decode()
    future.refresh_from_db()
    assert future.status == "scheduled"


def test_an_action_is_closed_and_no_longer_carried(client, board, improvement_team):
    may = MeetingFactory(board=board, date=D(2025, 5, 12))
    june = MeetingFactory(board=board, date=D(2025, 6, 12))
    action = ActionFactory(meeting=may, text="Publish the scheme of work")
    client.force_login(improvement_team)
    assert "Publish the scheme of work" in client.get(june.get_absolute_url()).content.decode()

    response = client.post(
        reverse("boards:action_edit", kwargs={"slug": board.intervention.slug, "pk": action.pk}),
        {"version": 1, "status": "done"},
    )

    assert response.status_code == 302
    assert "Publish the scheme of work" not in client.get(june.get_absolute_url()).content.decode()
    assert action.history.latest().history_change_reason == "Action log updated"


def test_a_public_paper_made_exempt_leaves_the_public_pages_at_once(
    client, meeting, improvement_team
):
    intervention = meeting.board.intervention
    intervention.public_pages = True
    intervention.save()
    meeting.published = True
    meeting.save()
    paper = PaperFactory(meeting=meeting, title="Staffing report")
    public_url = reverse(
        "boards:public_paper", kwargs={"slug": intervention.slug, "uuid": paper.uuid}
    )
    edit_url = reverse("boards:paper_edit", kwargs={"slug": intervention.slug, "uuid": paper.uuid})
    assert Client().get(public_url).status_code == 200
    client.force_login(improvement_team)

    refused = client.post(edit_url, {"title": "Staffing report", "publication": "exempt"})
    assert "Say why the paper is exempt" in refused.content.decode()
    paper.refresh_from_db()
    assert not paper.exempt

    client.post(
        edit_url,
        {"title": "Staffing report", "publication": "exempt", "exemption_reason": "Paragraph 1"},
    )

    paper.refresh_from_db()
    assert paper.exempt and paper.exemption_reason == "Paragraph 1"
    assert paper.history.latest().history_change_reason == "Paper made exempt"
    assert Client().get(public_url).status_code == 404


def test_only_the_secretariat_edits_papers_and_agenda_items(
    client, meeting, improvement_team, officer, envoy, stranger
):
    paper = PaperFactory(meeting=meeting)
    item = AgendaItemFactory(meeting=meeting)
    slug = meeting.board.intervention.slug
    edit_urls = [
        reverse("boards:paper_edit", kwargs={"slug": slug, "uuid": paper.uuid}),
        reverse("boards:agenda_item_edit", kwargs={"slug": slug, "pk": item.pk}),
    ]
    for user, status in [(improvement_team, 200), (officer, 403), (envoy, 403), (stranger, 404)]:
        client.force_login(user)
        for url in edit_urls:
            assert client.get(url).status_code == status, (user, url)


def test_an_agenda_item_is_edited_with_its_links(client, meeting, improvement_team):
    item = AgendaItemFactory(meeting=meeting, title="Old")
    programme = ProgrammeFactory(intervention=meeting.board.intervention)
    client.force_login(improvement_team)

    response = client.post(
        reverse(
            "boards:agenda_item_edit",
            kwargs={"slug": meeting.board.intervention.slug, "pk": item.pk},
        ),
        {"position": 2, "title": "Culture change deep dive", "programmes": [programme.pk]},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Culture change deep dive"
    assert list(item.programmes.all()) == [programme]


def test_an_agenda_item_links_programmes_and_directions_with_checkboxes(
    client, meeting, improvement_team
):
    """A multiple select asks people to hold Ctrl and clips long titles: each programme and
    Direction is a GOV.UK checkbox with its whole title as its label."""
    programme = ProgrammeFactory(
        intervention=meeting.board.intervention, title="A long programme title " * 4
    )
    client.force_login(improvement_team)

    page = client.get(
        reverse(
            "boards:agenda_item_add",
            kwargs={"slug": meeting.board.intervention.slug, "pk": meeting.pk},
        )
    ).content.decode()

    assert "Hold Ctrl" not in page and not re.search(r"<select[^>]*multiple", page)
    assert f'name="programmes" type="checkbox" value="{programme.pk}"' in page
    assert programme.title.strip() in page
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Directions' in page
