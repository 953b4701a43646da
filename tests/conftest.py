"""Shared fixtures: one intervention and a user for each persona."""

from pathlib import Path

import pytest

from interventions.access import roles
from interventions.interchange.importer import import_intervention, read
from interventions.kit.kept import forget_all
from tests.factories import InterventionFactory, PersonFactory, UserFactory

COMMISSIONERS_FILE = Path(__file__).resolve().parent / "data" / "commissioners.yaml"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Factories set a password for every user; full-strength hashing would take most of the
    suite's time and proves nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def nothing_kept():
    """Each test starts with no answer kept from another test's data (interventions.kit.kept):
    a test's rolled-back data can leave the version as an earlier test left it."""
    forget_all()


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


@pytest.fixture
def commissioners(db):
    """The invented Borsetshire Commissioners intervention of tests/data/commissioners.yaml:
    three sets of Directions, a firm appointed as Commissioner, an Improvement and Recovery
    Board with a Finance Recovery Board under it."""
    return import_intervention(
        read(COMMISSIONERS_FILE), reason="Imported from commissioners.yaml", name="commissioners"
    )


def _named(intervention, key: str, role: str):
    """A user in `role`, linked to the person `key` of an imported intervention."""
    user = UserFactory(role=role)
    person = intervention.people.get(key=key)
    person.user = user
    person.save()
    return user


@pytest.fixture
def commissioner_personas(commissioners):
    """A user for each role in the Commissioners intervention, each linked to a person of it:
    the Lead Commissioner (who chairs the Improvement and Recovery Board), the Managing
    Director Commissioner (who chairs the Finance Recovery Board), the firm's Commissioner
    (who chairs neither), an officer, the improvement team, a Board member, an
    administrator."""
    return {
        "lead_commissioner": _named(commissioners, "ruth-akinola", roles.OVERSIGHT),
        "md_commissioner": _named(commissioners, "gareth-morley", roles.OVERSIGHT),
        "firm_commissioner": _named(commissioners, "hartley-fenwick", roles.OVERSIGHT),
        "officer": _named(commissioners, "tom-forrest", roles.COUNCIL_OFFICER),
        "improvement_team": _named(commissioners, "priya-shah", roles.IMPROVEMENT_TEAM),
        "board_member": _named(commissioners, "lynda-snell", roles.BOARD_MEMBER),
        "administrator": UserFactory(role=roles.ADMINISTRATOR),
    }
