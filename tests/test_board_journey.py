"""The whole journey of a Board meeting, in the browser's steps (the Django test client):
the secretariat schedules the next TAB meeting, adds the agenda and two papers (one exempt),
records attendance, minutes and two recommendations; an officer records and publishes the
council's response; an anonymous visitor sees the public paper and the response, never the
exempt paper."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from boards.models import Meeting, Paper, Recommendation
from interventions.models import Person
from tests.factories import BoardFactory, MeetingFactory, PersonFactory, ProgrammeFactory

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nminimal\n%%EOF\n"


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.mark.django_db
def test_a_meeting_from_scheduling_to_the_public_pages(intervention, improvement_team, officer):
    intervention.public_pages = True
    intervention.save()
    slug = intervention.slug
    board = BoardFactory(intervention=intervention, key="tab", cadence_months=1)
    MeetingFactory(board=board, date=datetime.date(2025, 5, 12), status="held")
    chair = PersonFactory(intervention=intervention, name="Chair Person")
    programme = ProgrammeFactory(intervention=intervention)
    officer_person = Person.objects.get(user=officer)

    secretariat = Client()
    secretariat.force_login(improvement_team)

    # The next meeting, on the date the monthly cadence suggests.
    create_url = reverse("boards:meeting_create", kwargs={"slug": slug, "key": "tab"})
    page = secretariat.get(create_url)
    assert page.status_code == 200
    assert 'value="2025-06-12"' in page.content.decode()
    response = secretariat.post(
        create_url,
        {"date": "2025-06-12", "start_time": "10:00", "kind": "formal", "title": "Quarterly"},
    )
    meeting = Meeting.objects.get(board=board, date=datetime.date(2025, 6, 12))
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.start_time == datetime.time(10, 0)

    # The agenda.
    response = secretariat.post(
        reverse("boards:agenda_item_add", kwargs={"slug": slug, "pk": meeting.pk}),
        {
            "position": "1",
            "title": "Quarterly delivery report",
            "presenter": chair.pk,
            "programmes": [programme.pk],
        },
    )
    assert response.status_code == 302
    item = meeting.agenda_items.get()
    assert list(item.programmes.all()) == [programme]

    # Two papers, one exempt.
    paper_url = reverse("boards:paper_add", kwargs={"slug": slug, "pk": meeting.pk})
    response = secretariat.post(
        paper_url,
        {
            "title": "Delivery report",
            "agenda_item": item.pk,
            "file": pdf("report.pdf"),
            "publication": "public",
        },
    )
    assert response.status_code == 302
    response = secretariat.post(
        paper_url,
        {
            "title": "Staffing appendix",
            "file": pdf("appendix.pdf"),
            "publication": "exempt",
            "exemption_reason": "Schedule 12A paragraph 1: information about individuals",
        },
    )
    assert response.status_code == 302
    public_paper = Paper.objects.get(title="Delivery report")
    exempt_paper = Paper.objects.get(title="Staffing appendix")
    assert exempt_paper.exempt and not public_paper.exempt

    # Attendance.
    response = secretariat.post(
        reverse("boards:attendance_record", kwargs={"slug": slug, "pk": meeting.pk}),
        {"new1-person": chair.pk, "new1-status": "present"},
    )
    assert response.status_code == 302
    assert meeting.attendance.get().person == chair

    # Minutes approved, papers published.
    meeting.refresh_from_db()
    response = secretariat.post(
        reverse("boards:meeting_edit", kwargs={"slug": slug, "pk": meeting.pk}),
        {
            "version": meeting.version,
            "date": "2025-06-12",
            "start_time": "10:00",
            "kind": "formal",
            "title": "Quarterly report",
            "status": "minutes_approved",
            "published": "True",
            "minutes": "The Board received the quarterly delivery report.",
            "decisions": "",
            "summary": "",
            "reason": "",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_approved and meeting.published

    # Two recommendations, the first owned by the officer.
    add_url = reverse("boards:recommendation_add", kwargs={"slug": slug})
    for reference, owner in (("TAB-1", officer_person.pk), ("TAB-2", "")):
        response = secretariat.post(
            add_url,
            {
                "reference": reference,
                "source": "board",
                "meeting": meeting.pk,
                "title": f"Recommendation {reference}",
                "text": "Publish a timetable for the peer challenge follow-up.",
                "made_on": "2025-06-12",
                "owner": owner,
            },
        )
        assert response.status_code == 302, response.content.decode()
    first = Recommendation.objects.get(reference="TAB-1")
    assert first.response_due == datetime.date(2025, 7, 10)  # 20 working days

    # The officer records the response, then publishes it.
    answering = Client()
    answering.force_login(officer)
    response = answering.post(
        reverse("boards:recommendation_respond", kwargs={"slug": slug, "pk": first.pk}),
        {
            "version": first.version,
            "response": "Accepted: the timetable is agreed with the LGA.",
            "status": "accepted",
            "responded_on": "2025-06-20",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.response_published is False
    response = answering.post(
        reverse("boards:recommendation_publish", kwargs={"slug": slug, "pk": first.pk}),
        {"version": first.version, "published_on": "2025-06-23"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.published_on == datetime.date(2025, 6, 23)

    # An anonymous visitor.
    visitor = Client()
    page = visitor.get(reverse("boards:public_meeting", kwargs={"slug": slug, "pk": meeting.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Delivery report" in html
    assert "Staffing appendix" not in html
    assert str(exempt_paper.uuid) not in html
    assert "The Board received the quarterly delivery report." in html
    assert "Accepted: the timetable is agreed with the LGA." in html
    assert "TAB-2" not in html
    download = visitor.get(
        reverse("boards:public_paper", kwargs={"slug": slug, "uuid": public_paper.uuid})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    guessed = visitor.get(
        reverse("boards:public_paper", kwargs={"slug": slug, "uuid": exempt_paper.uuid})
    )
    assert guessed.status_code == 404
    private = visitor.get(
        reverse("boards:paper_download", kwargs={"slug": slug, "uuid": exempt_paper.uuid})
    )
    assert private.status_code == 302
    assert private["Location"].startswith(reverse("login"))
    listing = visitor.get(reverse("boards:public_recommendation_list", kwargs={"slug": slug}))
    assert "Accepted: the timetable is agreed with the LGA." in listing.content.decode()
    assert "TAB-2" not in listing.content.decode()
