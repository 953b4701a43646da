"""The daily email digest of deadlines: to each person with an account and an email address,
what they are responsible for that is due soon or overdue, and what waits in their inbox in
the intervention (`interventions.inbox`: change requests to decide, challenges to answer or
resolve, recommendations to respond to, programmes needing their update, delegations). Its
milestone lists are left out of the email, where the deadlines already list them. A person
gets a digest when a deadline is due or something waits for them.

A run works out the digests and reads which were already sent that day in one short
read-only transaction; it then emails them outside any transaction (a mail server that stops
answering costs at most `EMAIL_TIMEOUT` for each wait, and holds no database transaction open
meanwhile), and records each digest the server accepted (`ReminderSent`, one per person per
day) in a transaction of its own, just after the send. So:

- a second run on the same day sends nothing twice;
- a digest refused or timed out leaves nothing recorded: a rerun that day sends it, and
  otherwise the next day's digest lists everything still overdue or due soon (every digest
  does: it is the whole list, not what changed);
- each failure is logged as a JSON event (`reminder_failed`) with the person's id and the
  error's class, never the address.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from interventions.deadlines.engine import Occurrence, State, deadlines_for
from interventions.inbox.items import Shelf, inbox
from interventions.models import Intervention, Person, ReminderSent

REMIND_STATES = (State.DUE_SOON, State.MISSED)
# The inbox's milestone lists: in the email, the deadlines list these.
NOT_IN_THE_EMAIL = {"overdue", "due_soon"}

log = logging.getLogger("stocktake.reminders")


@dataclass
class Digest:
    person: Person
    items: list[Occurrence]
    inbox: list[Shelf] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        """How many inbox items wait for the person (counted ones only)."""
        return sum(shelf.count for shelf in self.inbox if shelf.source.counted)

    @property
    def size(self) -> int:
        return len(self.items) + sum(shelf.count for shelf in self.inbox)


def digests_for(intervention: Intervention, on: datetime.date) -> list[Digest]:
    """Per person with an account and an email address, what is due soon or overdue on `on`,
    and what waits in their inbox in this intervention."""
    by_person: dict[int, list[Occurrence]] = {}
    for item in deadlines_for(intervention, on):
        person = item.responsible
        if person is None or item.state not in REMIND_STATES:
            continue
        by_person.setdefault(person.pk, []).append(item)
    people = (
        Person.objects.filter(intervention=intervention, user__is_active=True)
        .exclude(user__email="")
        .exclude(user__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    digests = []
    for person in people:
        assert person.user is not None  # people without an account are left out above
        shelves: list[Shelf] = []
        for group in inbox(person.user, on, intervention=intervention).interventions:
            shelves = [s for s in group.listed if s.source.key not in NOT_IN_THE_EMAIL]
        digest = Digest(person, by_person.get(person.pk, []), shelves)
        if digest.items or digest.waiting:
            digests.append(digest)
    return digests


@dataclass
class Outcome:
    sent: list[ReminderSent]
    failed: list[tuple[Person, Exception]]


@dataclass
class _Outgoing:
    """A digest ready to go: worked out, rendered and addressed while the database was read."""

    intervention: Intervention
    digest: Digest
    email: str
    message: EmailMultiAlternatives


def send_reminders(on: datetime.date, base_url: str = "") -> Outcome:
    """Email each digest not yet sent on `on`. A digest that cannot be sent is not recorded and
    does not stop the others. Call it outside any transaction (the command does): the sending
    holds none of its own, and must not be made to wait inside a caller's."""
    with transaction.atomic():
        outgoing = _outgoing(on, base_url)
    sent: list[ReminderSent] = []
    failed: list[tuple[Person, Exception]] = []
    for letter in outgoing:
        person = letter.digest.person
        # Another run (started by hand, say) may have sent it since this one read the table.
        if ReminderSent.objects.filter(person=person, sent_on=on).exists():
            continue
        try:
            letter.message.send()
        except Exception as error:  # noqa: BLE001 - a mail server's refusal, of any kind
            _log_failure(letter, on, error)
            failed.append((person, error))
            continue
        record = _record(letter, on)
        if record is not None:
            sent.append(record)
    return Outcome(sent, failed)


def _outgoing(on: datetime.date, base_url: str) -> list[_Outgoing]:
    outgoing: list[_Outgoing] = []
    for intervention in Intervention.objects.select_related("authority"):
        already = set(
            ReminderSent.objects.filter(person__intervention=intervention, sent_on=on).values_list(
                "person_id", flat=True
            )
        )
        for digest in digests_for(intervention, on):
            if digest.person.pk in already:
                continue
            user = digest.person.user
            assert user is not None  # `digests_for` keeps only people with an active account
            outgoing.append(
                _Outgoing(
                    intervention,
                    digest,
                    user.email,
                    _message(intervention, digest, user.email, on, base_url),
                )
            )
    return outgoing


def _message(
    intervention: Intervention, digest: Digest, email: str, on: datetime.date, base_url: str
) -> EmailMultiAlternatives:
    overdue = [item for item in digest.items if item.state == State.MISSED]
    due_soon = [item for item in digest.items if item.state == State.DUE_SOON]
    my_work = f"{base_url}{reverse('interventions:my_work')}"
    context = {
        "intervention": intervention,
        "person": digest.person,
        "on": on,
        "overdue": overdue,
        "due_soon": due_soon,
        "base_url": base_url,
        "my_work": my_work,
        "inbox": digest.inbox,
    }
    waiting = f", {digest.waiting} waiting for you" if digest.waiting else ""
    subject = (
        f"{intervention.title}: {len(overdue)} overdue, {len(due_soon)} due soon{waiting} "
        f"({on:%-d %b %Y})"
    )
    # Auto-Submitted: the digest is machine-made, so out-of-office replies and other automatic
    # answers should not be sent back to it (RFC 3834).
    headers = {"Auto-Submitted": "auto-generated"}
    # List-Unsubscribe: Stocktake has no page where a person chooses which emails they get, and
    # no way to stop these digests short of no longer being named as responsible. So the link
    # is to the person's My work page (what they are responsible for, where a digest's items
    # are worked on), not to an unsubscribe page. There is no one-click endpoint either, so no
    # List-Unsubscribe-Post (RFC 8058) header. The header needs an absolute address: without
    # SITE_URL (or --base-url) there is none to give, and it is left out.
    if my_work.startswith(("https://", "http://")):
        headers["List-Unsubscribe"] = f"<{my_work}>"
    message = EmailMultiAlternatives(
        subject,
        render_to_string("deadlines/reminder_email.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [email],
        headers=headers,
    )
    message.attach_alternative(
        render_to_string("deadlines/reminder_email.html", context), "text/html"
    )
    return message


def _record(letter: _Outgoing, on: datetime.date) -> ReminderSent | None:
    """Records a digest the mail server has accepted, in a transaction of its own."""
    person = letter.digest.person
    try:
        with transaction.atomic():
            record = ReminderSent.objects.create(
                person=person, sent_on=on, email=letter.email, items=letter.digest.size
            )
    except IntegrityError:
        # Another run sent this person's digest for the day while this one was sending.
        log.warning(
            "Reminder to person %s was sent by two runs at once",
            person.pk,
            extra={"event": "reminder_sent_twice", "person_id": person.pk, "on": on.isoformat()},
        )
        return None
    log.info(
        "Reminder sent to person %s: %s deadlines",
        person.pk,
        letter.digest.size,
        extra={
            "event": "reminder_sent",
            "person_id": person.pk,
            "intervention_id": letter.intervention.pk,
            "on": on.isoformat(),
            "items": letter.digest.size,
        },
    )
    return record


def describe(error: BaseException) -> str:
    """The error in words safe to log: its class and, for a network or TLS failure, what went
    wrong ("timed out", "certificate verify failed …"). A mail server's reply, and anything
    about an address, may quote the address, so of those only the SMTP code is given."""
    code = smtp_code(error)
    if code is not None:
        return f"{type(error).__name__} ({code})"
    if isinstance(error, smtplib.SMTPRecipientsRefused) or not isinstance(error, OSError):
        return type(error).__name__
    return f"{type(error).__name__}: {error}"


def smtp_code(error: BaseException) -> int | None:
    """The mail server's reply code, where it gave one."""
    if isinstance(error, smtplib.SMTPResponseException):
        return int(error.smtp_code)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        for code, _reply in error.recipients.values():
            return int(code)
    return None


def _log_failure(letter: _Outgoing, on: datetime.date, error: Exception) -> None:
    person = letter.digest.person
    fields: dict[str, object] = {
        "event": "reminder_failed",
        "person_id": person.pk,
        "intervention_id": letter.intervention.pk,
        "on": on.isoformat(),
        "error": type(error).__name__,
    }
    # smtplib reports a timeout or a reset as a lost connection; the cause says which.
    cause = error.__cause__ or error.__context__
    if cause is not None:
        fields["cause"] = type(cause).__name__
    code = smtp_code(error)
    if code is not None:
        fields["smtp_code"] = code
    log.error("Reminder to person %s not sent: %s", person.pk, describe(error), extra=fields)
