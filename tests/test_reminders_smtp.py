"""manage.py send_reminders against real SMTP servers on 127.0.0.1, started by each test: one
that takes mail (aiosmtpd), one that accepts the connection and never answers, and one that
requires STARTTLS with a self-signed certificate. Each server is stopped when its test ends."""

import datetime
import email
import email.policy
import io
import ipaddress
import json
import logging
import os
import select
import socket
import ssl
import threading
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.management import CommandError, call_command
from django.db import connections

from config import settings as service_settings
from config.observability import JsonFormatter
from interventions.models import ReminderSent
from tests.factories import InterventionFactory, PersonFactory, RecommendationFactory, UserFactory

D = datetime.date
LOOPBACK = "127.0.0.1"
BASE_URL = "https://stocktake.example.org"
TIMEOUT = 1  # EMAIL_TIMEOUT in these tests, in seconds
# How long the silent server keeps a connection before it hangs up, so that a run that waited
# forever still ends (and its test fails, on the time it took) rather than hanging the suite.
PATIENCE = TIMEOUT + 8


# --- The servers --------------------------------------------------------------------------


class Mailbox:
    """An aiosmtpd handler that keeps what it receives and refuses the addresses in `refuse`."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in self.envelopes
        ]


class LoopbackController(Controller):
    """aiosmtpd's controller on a free port: it binds port 0 and reads back the port it got."""

    def __init__(self, handler, **kwargs) -> None:
        super().__init__(handler, hostname=LOOPBACK, port=0, ready_timeout=10, **kwargs)

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def mailbox():
    handler = Mailbox()
    controller = LoopbackController(handler)
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


class SilentServer:
    """Accepts connections on 127.0.0.1 and never says a word: not even the greeting (it hangs
    up after PATIENCE seconds). On each connection it notes whether the run holds a database
    transaction open while it waits."""

    def __init__(self, watched_connection) -> None:
        self.watched = watched_connection
        self.listener = socket.create_server((LOOPBACK, 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.open: list[tuple[float, socket.socket]] = []
        self.in_transaction: list[bool] = []
        self.idle_in_transaction: list[int] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            for opened, client in list(self.open):
                if time.monotonic() - opened > PATIENCE:
                    client.close()
                    self.open.remove((opened, client))
            ready, _, _ = select.select([self.listener], [], [], 0.05)
            if not ready:
                continue
            client, _ = self.listener.accept()
            self.accepted.append(client)
            self.open.append((time.monotonic(), client))
            self.in_transaction.append(self.watched.in_atomic_block)
            self.idle_in_transaction.append(self._sessions_idle_in_transaction())

    def _sessions_idle_in_transaction(self) -> int:
        """On PostgreSQL, how many sessions of the test database sit idle in a transaction
        (asked on this thread's own connection, which is closed again)."""
        connection = connections["default"]
        if connection.vendor != "postgresql":
            return 0
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
                )
                return cursor.fetchone()[0]
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        for client in self.accepted:
            client.close()
        self.listener.close()


@pytest.fixture
def silent_server():
    server = SilentServer(connections["default"])
    yield server
    server.stop()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key: no system trusts it. (cryptography
    comes with mozilla-django-oidc, a dependency of the service.)"""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOOPBACK)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_mailbox(tmp_path):
    """A mail server that takes mail only after STARTTLS, with a self-signed certificate."""
    cert_path, key_path = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    handler = Mailbox()
    controller = LoopbackController(handler, tls_context=context, require_starttls=True)
    controller.start()
    handler.port = controller.port
    handler.certificate = cert_path
    yield handler
    controller.stop()


# --- The service's mail settings, pointed at a test server ----------------------------------


def use_server(settings, port: int, *, starttls: bool = False, cafile: str = "") -> None:
    # The test environment swaps the backend for the in-memory one; put back the service's.
    settings.EMAIL_BACKEND = service_settings.EMAIL_BACKEND
    settings.EMAIL_HOST = LOOPBACK
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = starttls
    settings.EMAIL_TIMEOUT = TIMEOUT
    settings.EMAIL_SSL_CAFILE = cafile
    settings.DEFAULT_FROM_EMAIL = "stocktake@example.gov.uk"


@pytest.fixture
def people(db):
    """Ada and Bob, each with an account, each responsible for a response overdue on 1 June
    2025 and one due on 10 June (soon)."""
    intervention = InterventionFactory(title="Borough intervention")
    found = {}
    for name, address in (("Ada Officer", "ada@example.org"), ("Bob Officer", "bob@example.org")):
        person = PersonFactory(
            intervention=intervention, name=name, user=UserFactory(email=address)
        )
        initial = name[0]
        for number, due in ((1, D(2025, 5, 20)), (2, D(2025, 6, 10))):
            RecommendationFactory(
                intervention=intervention,
                reference=f"{initial}-{number}",
                title=f"Recommendation {initial}-{number} <b>& co</b>",
                response_due=due,
                owner=person,
            )
        found[address] = person
    return found


def send(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("send_reminders", *args, "--base-url", BASE_URL, stdout=out, stderr=err)
    return out.getvalue()


def run_failing(*args) -> tuple[str, float]:
    """Run the command expecting it to fail; what it wrote to stderr and how long it took."""
    err = io.StringIO()
    started = time.monotonic()
    with pytest.raises(CommandError, match="could not be sent"):
        call_command(
            "send_reminders", *args, "--base-url", BASE_URL, stdout=io.StringIO(), stderr=err
        )
    return err.getvalue(), time.monotonic() - started


def service_log(caplog) -> list[str]:
    """The service's log lines, as JSON (LOG_FORMAT=json); not the test server's own."""
    formatter = JsonFormatter()
    return [formatter.format(record) for record in caplog.records if record.name != "mail.log"]


def failure_events(caplog) -> list[dict]:
    """The reminder failures, as the JSON log lines production writes."""
    lines = [json.loads(line) for line in service_log(caplog)]
    return [line for line in lines if line.get("event") == "reminder_failed"]


# --- The tests ----------------------------------------------------------------------------


def test_the_service_sends_with_a_timeout_through_its_own_backend():
    backend, timeout = service_settings.EMAIL_BACKEND, service_settings.EMAIL_TIMEOUT
    cafile = service_settings.EMAIL_SSL_CAFILE
    assert backend == "config.mail.EmailBackend"
    # 30 seconds and the system's CAs, unless this machine's environment says otherwise.
    assert timeout == int(os.environ.get("EMAIL_TIMEOUT", "30"))
    assert cafile == os.environ.get("EMAIL_SSL_CAFILE", "")


def test_each_person_gets_one_multipart_digest_with_both_parts_and_the_headers(
    settings, mailbox, people
):
    use_server(settings, mailbox.port)

    output = send("--date", "2025-06-01")

    assert output.strip() == "Sent 2 reminders for 1 Jun 2025."
    assert sorted(tuple(envelope.rcpt_tos) for envelope in mailbox.envelopes) == [
        ("ada@example.org",),
        ("bob@example.org",),
    ]
    for message in mailbox.messages():
        initial = message["To"][0].upper()
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        assert text is not None and html is not None
        text_body, html_body = text.get_content(), html.get_content()
        assert f"Recommendation {initial}-1 <b>& co</b>" in text_body
        assert f"Recommendation {initial}-2" in text_body
        # Everything in the HTML part is escaped: the titles are data, not markup.
        assert f"Recommendation {initial}-1 &lt;b&gt;&amp; co&lt;/b&gt;" in html_body
        assert "<b>" not in html_body
        assert f'href="{BASE_URL}/i/' in html_body
        assert message["Auto-Submitted"] == "auto-generated"
        # No page lets a person choose their emails: the header links their My work page.
        assert message["List-Unsubscribe"] == f"<{BASE_URL}/my-work/>"
        # No one-click endpoint exists, so the header that promises one is left out.
        assert message["List-Unsubscribe-Post"] is None
        assert message["Subject"] == "Borough intervention: 1 overdue, 1 due soon (1 Jun 2025)"
    assert ReminderSent.objects.count() == 2


def test_a_refused_address_fails_the_run_after_sending_the_others(
    settings, mailbox, people, caplog
):
    use_server(settings, mailbox.port)
    mailbox.refuse.add("bob@example.org")

    with caplog.at_level(logging.INFO, logger="stocktake.reminders"):
        stderr, _ = run_failing("--date", "2025-06-01")

    assert [envelope.rcpt_tos for envelope in mailbox.envelopes] == [["ada@example.org"]]
    assert list(ReminderSent.objects.values_list("person__name", flat=True)) == ["Ada Officer"]
    (event,) = failure_events(caplog)
    assert event["person_id"] == people["bob@example.org"].pk
    assert event["error"] == "SMTPRecipientsRefused"
    assert event["smtp_code"] == 550
    assert event["level"] == "ERROR"
    # The address is never logged, nor written for the operator.
    assert not any("bob@example.org" in line for line in service_log(caplog))
    assert "bob@example.org" not in stderr
    assert f"person {people['bob@example.org'].pk}" in stderr


@pytest.mark.django_db(transaction=True)
def test_a_server_that_never_answers_fails_the_run_in_time_holding_no_transaction(
    settings, silent_server, people, caplog
):
    use_server(settings, silent_server.port)

    with caplog.at_level(logging.INFO, logger="stocktake.reminders"):
        stderr, elapsed = run_failing("--date", "2025-06-01")

    # Both digests were tried, each given up after EMAIL_TIMEOUT.
    assert len(silent_server.accepted) == 2
    assert elapsed < 2 * TIMEOUT + 5
    assert silent_server.in_transaction == [False, False]
    assert silent_server.idle_in_transaction == [0, 0]
    assert not ReminderSent.objects.exists()
    events = failure_events(caplog)
    assert sorted(event["person_id"] for event in events) == sorted(
        person.pk for person in people.values()
    )
    for event in events:
        # smtplib reports the timeout as a lost connection, caused by the timeout.
        assert "TimeoutError" in (event["error"], event.get("cause"))
    assert "@example.org" not in stderr


@pytest.mark.django_db(transaction=True)
def test_the_next_days_run_sends_what_a_silent_server_did_not_take(
    settings, silent_server, mailbox, people
):
    use_server(settings, silent_server.port)
    run_failing("--date", "2025-06-01")
    assert not ReminderSent.objects.exists()

    use_server(settings, mailbox.port)
    output = send("--date", "2025-06-02")

    assert output.strip() == "Sent 2 reminders for 2 Jun 2025."
    by_address = {message["To"]: message for message in mailbox.messages()}
    text = by_address["ada@example.org"].get_body(preferencelist=("plain",)).get_content()
    # Everything still overdue or due soon: the digest that failed is not lost.
    assert "Recommendation A-1" in text and "Recommendation A-2" in text
    assert set(ReminderSent.objects.values_list("sent_on", flat=True)) == {D(2025, 6, 2)}


def test_starttls_with_a_self_signed_certificate_needs_the_ca_bundle(
    settings, tls_mailbox, people, caplog
):
    use_server(settings, tls_mailbox.port, starttls=True)
    with caplog.at_level(logging.INFO, logger="stocktake.reminders"):
        run_failing("--date", "2025-06-01")

    assert tls_mailbox.envelopes == []
    assert not ReminderSent.objects.exists()
    assert {event["error"] for event in failure_events(caplog)} == {"SSLCertVerificationError"}

    use_server(settings, tls_mailbox.port, starttls=True, cafile=str(tls_mailbox.certificate))
    output = send("--date", "2025-06-01")

    assert output.strip() == "Sent 2 reminders for 1 Jun 2025."
    assert len(tls_mailbox.envelopes) == 2
    assert ReminderSent.objects.count() == 2
