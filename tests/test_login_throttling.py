"""Repeated failed sign-ins lock out that user name from that address, with a clear page, until
the cool-off passes or an administrator unlocks it; sign-in otherwise works as before."""

import logging

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def user(db):
    return UserFactory(username="sam.officer")


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, username, times, address="192.0.2.10"):
    for _ in range(times):
        response = sign_in(client, username, "wrong-password", address)
    return response


def test_a_failed_sign_in_shows_the_form_again(client, user):
    response = fail(client, "sam.officer", 1)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_do_not_lock_out(client, user, settings):
    fail(client, "sam.officer", settings.AXES_FAILURE_LIMIT - 1)
    response = sign_in(client, "sam.officer", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_successful_sign_in_forgets_earlier_failures(client, user, settings):
    fail(client, "sam.officer", settings.AXES_FAILURE_LIMIT - 1)
    sign_in(client, "sam.officer", PASSWORD)
    client.logout()
    fail(client, "sam.officer", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "sam.officer", PASSWORD).status_code == 302


def test_the_limit_of_failures_locks_out_even_the_right_password(client, user, settings):
    response = fail(client, "sam.officer", settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    response = sign_in(client, "sam.officer", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sign-in locked</h1>' in page
    assert f"There were {settings.AXES_FAILURE_LIMIT} failed attempts" in page
    assert "ask your intervention's administrator to unlock your account" in page
    assert "try again in 30 minutes" in page


def test_without_a_cool_off_the_page_says_an_administrator_must_unlock(client, user, settings):
    settings.AXES_COOLOFF_TIME = None
    response = fail(client, "sam.officer", settings.AXES_FAILURE_LIMIT)
    assert "It stays locked until an administrator unlocks it." in response.content.decode()


def test_the_lockout_is_for_that_user_name_from_that_address_only(client, user, settings):
    other = UserFactory(username="kim.envoy")
    fail(client, "sam.officer", settings.AXES_FAILURE_LIMIT, address="192.0.2.10")
    assert sign_in(client, "sam.officer", PASSWORD, address="198.51.100.7").status_code == 302
    client.logout()
    assert sign_in(client, other.username, PASSWORD, address="192.0.2.10").status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, user, settings):
    fail(client, "sam.officer", settings.AXES_FAILURE_LIMIT)
    response = client.post(
        reverse("login"),
        {"username": "sam.officer", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429


def test_an_administrator_unlocks_by_deleting_the_attempt_in_the_admin(
    client, user, administrator, settings
):
    fail(client, "sam.officer", settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username="sam.officer")
    administrator.is_staff = True
    administrator.save()
    admin_client = client.__class__()
    admin_client.force_login(administrator)
    changelist = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert "sam.officer" in changelist.content.decode()
    response = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "sam.officer", PASSWORD).status_code == 302


def test_people_without_the_administrator_role_cannot_unlock(client, user, officer, settings):
    fail(client, "sam.officer", settings.AXES_FAILURE_LIMIT)
    officer.is_staff = True  # even with admin access, the role gives no axes permissions
    officer.save()
    client.force_login(officer)
    attempt = AccessAttempt.objects.get()
    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AccessAttempt.objects.exists()


def test_the_test_clients_sign_in_helpers_still_work(client, user):
    assert client.login(username="sam.officer", password=PASSWORD)
    client.logout()
    client.force_login(user)
    assert client.get(reverse("interventions:intervention_list")).status_code == 200


def test_failures_and_lockouts_are_logged_as_security_events(client, user, settings, caplog):
    caplog.set_level(logging.INFO, logger="stocktake.security")
    fail(client, "sam.officer", settings.AXES_FAILURE_LIMIT)
    events = [getattr(r, "event", None) for r in caplog.records]
    assert events.count("login_failed") == settings.AXES_FAILURE_LIMIT
    assert "locked_out" in events
    failed = next(r for r in caplog.records if getattr(r, "event", None) == "login_failed")
    assert failed.username == "sam.officer"
    assert failed.ip == "192.0.2.10"
    assert "wrong-password" not in caplog.text
