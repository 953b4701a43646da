"""manage.py send_reminders: a daily digest per person of what they are responsible for that
is due soon or overdue, sent once a day however often it runs."""

import datetime
import io

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command

from interventions.models import ReminderSent
from tests.factories import (
    InterventionFactory,
    MilestoneFactory,
    PersonFactory,
    ProgrammeFactory,
    RecommendationFactory,
    StrategicAimFactory,
    UserFactory,
)

D = datetime.date


@pytest.fixture(autouse=True)
def locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def owner(db):
    """A person with an account, responsible for a response overdue on 1 June 2025, one due
    on 10 June (soon), and one due in September (not yet worth a reminder)."""
    intervention = InterventionFactory(title="Borough intervention")
    person = PersonFactory(
        intervention=intervention, name="Ada Officer", user=UserFactory(email="ada@example.org")
    )
    for reference, due in (
        ("R-1", D(2025, 5, 20)),
        ("R-2", D(2025, 6, 10)),
        ("R-3", D(2025, 9, 1)),
    ):
        RecommendationFactory(
            intervention=intervention,
            reference=reference,
            title=f"Recommendation {reference}",
            response_due=due,
            owner=person,
        )
    return person


def send(*args):
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_each_person_gets_one_digest_of_what_is_overdue_or_due_soon(owner):
    output = send("--date", "2025-06-01", "--base-url", "https://stocktake.example.org/")

    assert output.strip() == "Sent 1 reminder for 1 Jun 2025."
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "Borough intervention: 1 overdue, 1 due soon (1 Jun 2025)"
    assert "Recommendation R-1" in message.body
    assert "Recommendation R-2" in message.body
    assert "Recommendation R-3" not in message.body
    assert "https://stocktake.example.org/i/" in message.body
    record = ReminderSent.objects.get()
    assert (record.person, record.sent_on, record.items) == (owner, D(2025, 6, 1), 2)


def test_running_twice_the_same_day_sends_nothing_twice(owner):
    send("--date", "2025-06-01")
    output = send("--date", "2025-06-01")

    assert output.strip() == "Sent 0 reminders for 1 Jun 2025."
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


def test_the_next_day_sends_again(owner):
    send("--date", "2025-06-01")
    send("--date", "2025-06-02")

    assert len(mail.outbox) == 2


def test_nothing_is_sent_when_nothing_is_due_soon_or_overdue(owner):
    send("--date", "2025-04-01")

    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_people_without_an_account_or_an_email_address_get_nothing(db):
    intervention = InterventionFactory()
    no_account = PersonFactory(intervention=intervention)
    no_email = PersonFactory(intervention=intervention, user=UserFactory(email=""))
    programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))
    for person in (no_account, no_email):
        RecommendationFactory(intervention=intervention, response_due=D(2025, 5, 1), owner=person)
    MilestoneFactory(programme=programme)  # no SRO: nobody is responsible

    send("--date", "2025-06-01")

    assert mail.outbox == []


class RefusingBackend(BaseEmailBackend):
    """A mail server that is not there."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("no mail server")


def test_a_failed_email_is_not_recorded_as_sent_and_the_run_fails(owner, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"

    with pytest.raises(CommandError, match="1 reminder\\(s\\) could not be sent"):
        send("--date", "2025-06-01")

    assert not ReminderSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send("--date", "2025-06-01")
    assert len(mail.outbox) == 1


def test_a_digest_that_failed_is_in_the_next_days_digest(owner, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with pytest.raises(CommandError):
        send("--date", "2025-06-01")

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send("--date", "2025-06-02")

    (message,) = mail.outbox
    assert "Recommendation R-1" in message.body and "Recommendation R-2" in message.body
    assert list(ReminderSent.objects.values_list("sent_on", flat=True)) == [D(2025, 6, 2)]


def test_each_digest_has_a_text_and_an_html_part_and_says_it_is_automatic(owner):
    send("--date", "2025-06-01", "--base-url", "https://stocktake.example.org/")

    (message,) = mail.outbox
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert "Recommendation R-1" in html and "Recommendation R-3" not in html
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.extra_headers["List-Unsubscribe"] == "<https://stocktake.example.org/my-work/>"
    assert "List-Unsubscribe-Post" not in message.extra_headers


def test_without_the_services_address_there_is_no_list_unsubscribe_header(owner, settings):
    settings.SITE_URL = ""
    send("--date", "2025-06-01", "--base-url", "")

    (message,) = mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="--date: '1 June' is not a date"):
        send("--date", "1 June")
