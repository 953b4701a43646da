"""Shared fixtures: one intervention and a user for each persona."""

import pytest

from interventions.access import roles
from tests.factories import InterventionFactory, PersonFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Factories set a password for every user; full-strength hashing would take most of the
    suite's time and proves nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    """Uploaded evidence goes to a temporary folder in every test, never the repository's."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


@pytest.fixture
def intervention(db):
    return InterventionFactory()


@pytest.fixture
def other_intervention(db):
    return InterventionFactory()


def _member(intervention, role: str):
    """A user in `role`, named as a person in `intervention` (which lets them see it)."""
    user = UserFactory(role=role)
    PersonFactory(intervention=intervention, user=user)
    return user


@pytest.fixture
def officer(intervention):
    return _member(intervention, roles.COUNCIL_OFFICER)


@pytest.fixture
def improvement_team(intervention):
    return _member(intervention, roles.IMPROVEMENT_TEAM)


@pytest.fixture
def envoy(intervention):
    return _member(intervention, roles.ENVOY)


@pytest.fixture
def board_member(intervention):
    return _member(intervention, roles.BOARD_MEMBER)


@pytest.fixture
def administrator(db):
    return UserFactory(role=roles.ADMINISTRATOR)


@pytest.fixture
def stranger(other_intervention):
    """An officer of another intervention: signed in, but not of this one."""
    return _member(other_intervention, roles.COUNCIL_OFFICER)


PERSONAS = ["officer", "improvement_team", "envoy", "board_member", "administrator"]


@pytest.fixture(autouse=True)
def reports_root(settings, tmp_path):
    """Report PDFs go to a temporary folder in every test, never the repository's."""
    settings.REPORTS_ROOT = tmp_path / "reports"
    return settings.REPORTS_ROOT
