"""The attendance of a whole meeting in one form: every member of the board on the meeting's
date, with present, apologies, absent or a named substitute; others who attended added on the
same page; saved all or nothing, and refused when someone else recorded attendance meanwhile."""

import datetime

import pytest
from django.urls import reverse

from boards.models import Attendance
from boards.services import AttendanceEntry, StaleAttendance, record_attendance_of_all
from interventions.models.valid_time import records_as_of
from tests.factories import BoardFactory, BoardMembershipFactory, MeetingFactory, PersonFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def board(intervention):
    return BoardFactory(intervention=intervention, name="Transformation and Assurance Board")


@pytest.fixture
def members(board):
    """Three members on 12 June 2025; one who left before, one who joined after."""
    people = {
        name: PersonFactory(intervention=board.intervention, name=name)
        for name in ("Ann Chair", "Ben Member", "Cat Member", "Dee Former", "Eve Later")
    }
    BoardMembershipFactory(board=board, person=people["Ann Chair"], role="chair")
    BoardMembershipFactory(board=board, person=people["Ben Member"], role="councillor")
    BoardMembershipFactory(board=board, person=people["Cat Member"], title="Community Lead")
    BoardMembershipFactory(
        board=board, person=people["Dee Former"], starts_on=D(2025, 1, 1), ends_on=D(2025, 5, 1)
    )
    BoardMembershipFactory(board=board, person=people["Eve Later"], starts_on=D(2025, 7, 1))
    return people


@pytest.fixture
def meeting(board):
    return MeetingFactory(board=board, date=D(2025, 6, 12), status="held")


def _url(meeting):
    return reverse(
        "boards:attendance_record",
        kwargs={"slug": meeting.board.intervention.slug, "pk": meeting.pk},
    )


def _detail(meeting):
    return meeting.get_absolute_url()


def _versions(meeting, people):
    rows = {row.person_id: row.version for row in meeting.attendance.all()}
    return {f"p{person.pk}-version": rows.get(person.pk, 0) for person in people}


def test_the_form_lists_every_member_on_the_meetings_date(
    client, meeting, members, improvement_team
):
    client.force_login(improvement_team)

    page = client.get(_url(meeting)).content.decode()

    for name in ("Ann Chair", "Ben Member", "Cat Member"):
        assert (
            f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Attendance of {name}'
            in page
        )
    assert "Dee Former</th>" not in page and "Eve Later</th>" not in page
    assert page.index("Ann Chair") < page.index("Ben Member")  # the chair first
    assert "Community Lead" in page


def test_a_whole_board_is_recorded_in_one_go(client, meeting, members, improvement_team):
    ann, ben, cat = members["Ann Chair"], members["Ben Member"], members["Cat Member"]
    officer = PersonFactory(intervention=meeting.board.intervention, name="Fay Officer")
    client.force_login(improvement_team)

    response = client.post(
        _url(meeting),
        {
            **_versions(meeting, [ann, ben, cat]),
            f"p{ann.pk}-status": "present",
            f"p{ben.pk}-status": "substitute",
            f"p{ben.pk}-substitute_name": "Gil Deputy",
            f"p{ben.pk}-substitute_role": "Deputy group leader",
            f"p{cat.pk}-status": "apologies",
            f"p{cat.pk}-note": "On leave",
            "new1-person": officer.pk,
            "new1-status": "present",
            "new1-note": "For item 3",
        },
    )

    assert response.status_code == 302
    rows = {row.person.name: row for row in meeting.attendance.select_related("person")}
    assert rows["Ann Chair"].status == "present"
    assert rows["Ben Member"].status_text == "Sent a substitute: Gil Deputy (Deputy group leader)"
    assert rows["Cat Member"].note == "On leave"
    assert rows["Fay Officer"].note == "For item 3"
    # Recorded late, true from the meeting's date.
    assert {row.history.get().valid_from for row in rows.values()} == {D(2025, 6, 12)}


def test_the_meeting_page_shows_members_not_recorded(client, meeting, members, envoy):
    Attendance.objects.create(meeting=meeting, person=members["Ann Chair"], status="present")
    client.force_login(envoy)

    page = client.get(_detail(meeting)).content.decode()

    attendance = page[page.index('id="attendance"') : page.index('id="decisions"')]
    assert attendance.count("Not recorded") == 2
    assert "Ann Chair" in attendance and "Present" in attendance
    assert "Dee Former" not in attendance


def test_a_substitute_needs_a_name_and_nothing_is_saved(client, meeting, members, improvement_team):
    ann, ben = members["Ann Chair"], members["Ben Member"]
    client.force_login(improvement_team)

    response = client.post(
        _url(meeting),
        {
            **_versions(meeting, members.values()),
            f"p{ann.pk}-status": "present",
            f"p{ben.pk}-status": "substitute",
        },
    )

    assert response.status_code == 200
    assert "Enter the name of the substitute who attended for Ben Member" in (
        response.content.decode()
    )
    assert not Attendance.objects.exists()


def test_someone_else_needs_a_status_and_nothing_is_saved(
    client, meeting, members, improvement_team
):
    ann = members["Ann Chair"]
    officer = PersonFactory(intervention=meeting.board.intervention, name="Fay Officer")
    client.force_login(improvement_team)

    response = client.post(
        _url(meeting),
        {**_versions(meeting, [ann]), f"p{ann.pk}-status": "present", "new1-person": officer.pk},
    )

    assert "Select the attendance of Fay Officer" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_stale_form_is_refused_explained_and_saves_nothing(
    client, meeting, members, improvement_team
):
    ann, ben = members["Ann Chair"], members["Ben Member"]
    client.force_login(improvement_team)
    opened = _versions(meeting, [ann, ben])
    # Someone else records the chair's apologies after the form was opened.
    record_attendance_of_all(meeting, [AttendanceEntry(ann, "apologies", 0)])

    response = client.post(
        _url(meeting),
        {**opened, f"p{ann.pk}-status": "present", f"p{ben.pk}-status": "present"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else recorded attendance after you opened this page" in page
    assert "Ann Chair: Sent apologies" in page
    assert {row.person_id: row.status for row in meeting.attendance.all()} == {ann.pk: "apologies"}
    # Saving again, after reading it, applies the answers on top.
    assert f'name="p{ann.pk}-version" value="1"' in page
    again = client.post(
        _url(meeting),
        {
            **_versions(meeting, [ann, ben]),
            f"p{ann.pk}-status": "present",
            f"p{ben.pk}-status": "present",
        },
    )
    assert again.status_code == 302
    assert meeting.attendance.get(person=ann).status == "present"


def test_the_service_is_all_or_nothing(meeting, members):
    ann, ben = members["Ann Chair"], members["Ben Member"]
    record_attendance_of_all(meeting, [AttendanceEntry(ben, "present", 0)])

    with pytest.raises(StaleAttendance):
        record_attendance_of_all(
            meeting, [AttendanceEntry(ann, "present", 0), AttendanceEntry(ben, "absent", 0)]
        )

    assert {row.person_id: row.status for row in meeting.attendance.all()} == {ben.pk: "present"}


def test_only_rows_that_changed_get_a_history_record(client, meeting, members, improvement_team):
    ann, ben = members["Ann Chair"], members["Ben Member"]
    record_attendance_of_all(
        meeting, [AttendanceEntry(ann, "present", 0), AttendanceEntry(ben, "present", 0)]
    )
    client.force_login(improvement_team)

    client.post(
        _url(meeting),
        {
            **_versions(meeting, members.values()),
            f"p{ann.pk}-status": "present",
            f"p{ben.pk}-status": "absent",
        },
    )

    assert meeting.attendance.get(person=ann).history.count() == 1
    assert meeting.attendance.get(person=ben).history.count() == 2
    assert meeting.attendance.get(person=ben).version == 2


def test_not_recorded_takes_away_a_row_recorded_in_error(
    client, meeting, members, improvement_team
):
    ann = members["Ann Chair"]
    record_attendance_of_all(meeting, [AttendanceEntry(ann, "present", 0)])
    client.force_login(improvement_team)

    client.post(_url(meeting), {**_versions(meeting, [ann]), f"p{ann.pk}-status": ""})

    assert not meeting.attendance.exists()
    assert records_as_of(Attendance, D(2025, 6, 20), meeting_id=meeting.pk) == []


@pytest.mark.parametrize("persona", ["officer", "envoy", "board_member"])
def test_only_the_secretariat_records_attendance(client, meeting, members, persona, request):
    ann = members["Ann Chair"]
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        _url(meeting), {**_versions(meeting, [ann]), f"p{ann.pk}-status": "present"}
    )

    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_a_stranger_does_not_find_the_meeting(client, meeting, members, stranger):
    client.force_login(stranger)

    assert client.get(_url(meeting)).status_code == 404


def test_a_person_of_another_intervention_cannot_be_added(
    client, meeting, members, other_intervention, improvement_team
):
    outsider = PersonFactory(intervention=other_intervention)
    client.force_login(improvement_team)

    response = client.post(_url(meeting), {"new1-person": outsider.pk, "new1-status": "present"})

    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_the_commissioner_who_chairs_the_board_records_its_attendance(
    client, commissioners, commissioner_personas
):
    board = commissioners.boards.get(key="irb")
    meeting = board.meetings.get(date=D(2025, 5, 12))
    lines = meeting.attendance_sheet()
    client.force_login(commissioner_personas["lead_commissioner"])

    page = client.get(_url(meeting)).content.decode()
    response = client.post(
        _url(meeting),
        {
            **{f"p{line.person.pk}-version": 0 for line in lines},
            **{f"p{line.person.pk}-status": "present" for line in lines},
        },
    )

    assert [line.person.key for line in lines][0] == "ruth-akinola"
    assert "Chair (Lead Commissioner)" in page and "Envoy" not in page
    assert response.status_code == 302
    assert meeting.attendance.count() == len(lines) == 5


def test_a_commissioner_who_does_not_chair_it_is_refused(
    client, commissioners, commissioner_personas
):
    meeting = commissioners.boards.get(key="irb").meetings.get(date=D(2025, 5, 12))
    client.force_login(commissioner_personas["firm_commissioner"])

    assert client.get(_url(meeting)).status_code == 403
