"""The daily email digest of deadlines: to each person with an account and an email address,
what they are responsible for that is due soon or overdue.

Each digest sent is recorded (`ReminderSent`), one per person per day, so running the job
twice on the same day sends nothing twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from interventions.deadlines.engine import Occurrence, State, deadlines_for
from interventions.models import Intervention, Person, ReminderSent

REMIND_STATES = (State.DUE_SOON, State.MISSED)


@dataclass
class Digest:
    person: Person
    items: list[Occurrence]


def digests_for(intervention: Intervention, on: datetime.date) -> list[Digest]:
    """Per person with an account and an email address, what is due soon or overdue on `on`."""
    by_person: dict[int, Digest] = {}
    for item in deadlines_for(intervention, on):
        person = item.responsible
        if person is None or item.state not in REMIND_STATES:
            continue
        by_person.setdefault(person.pk, Digest(person, [])).items.append(item)
    people = {
        person.pk: person
        for person in Person.objects.filter(pk__in=by_person, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    }
    return [
        Digest(people[pk], digest.items) for pk, digest in sorted(by_person.items()) if pk in people
    ]


@dataclass
class Outcome:
    sent: list[ReminderSent]
    failed: list[tuple[Person, Exception]]


def send_reminders(on: datetime.date, base_url: str = "") -> Outcome:
    """Email each digest not yet sent today. A digest that cannot be sent is not recorded (the
    next run tries again) and does not stop the others."""
    sent: list[ReminderSent] = []
    failed: list[tuple[Person, Exception]] = []
    for intervention in Intervention.objects.select_related("authority"):
        already = set(
            ReminderSent.objects.filter(person__intervention=intervention, sent_on=on).values_list(
                "person_id", flat=True
            )
        )
        for digest in digests_for(intervention, on):
            if digest.person.pk in already:
                continue
            try:
                record = _send(intervention, digest, on, base_url)
            except Exception as error:  # noqa: BLE001 - a mail server's refusal, of any kind
                failed.append((digest.person, error))
                continue
            if record is not None:
                sent.append(record)
    return Outcome(sent, failed)


def _send(
    intervention: Intervention, digest: Digest, on: datetime.date, base_url: str
) -> ReminderSent | None:
    user = digest.person.user
    assert user is not None  # `digests_for` keeps only people with an active account
    email = user.email
    overdue = [item for item in digest.items if item.state == State.MISSED]
    due_soon = [item for item in digest.items if item.state == State.DUE_SOON]
    context = {
        "intervention": intervention,
        "person": digest.person,
        "on": on,
        "overdue": overdue,
        "due_soon": due_soon,
        "base_url": base_url,
    }
    subject = (
        f"{intervention.title}: {len(overdue)} overdue, {len(due_soon)} due soon ({on:%-d %b %Y})"
    )
    try:
        # The record is written first and kept only if the email goes, so that a second run
        # (even at the same moment) cannot send the same digest again.
        with transaction.atomic():
            record = ReminderSent.objects.create(
                person=digest.person, sent_on=on, email=email, items=len(digest.items)
            )
            send_mail(
                subject,
                render_to_string("deadlines/reminder_email.txt", context),
                settings.DEFAULT_FROM_EMAIL,
                [email],
            )
    except IntegrityError:
        return None
    return record
