"""My work for someone who may update hundreds of milestones: each intervention lists the first
ten overdue and the first ten due soon, says how many there are, and links to the rest."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from interventions.inbox.items import SHOWN, inbox
from tests.factories import MilestoneFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def programme(intervention, officer):
    return ProgrammeFactory(
        aim__intervention=intervention, sro=officer.people.get(intervention=intervention)
    )


def late_and_due(programme, late: int, due: int) -> None:
    today = timezone.localdate()
    for n in range(late):
        MilestoneFactory(
            programme=programme, title=f"Late {n:02}", forecast_end=today - (n + 1) * DAY
        )
    for n in range(due):
        MilestoneFactory(programme=programme, title=f"Due {n:02}", forecast_end=today + n * DAY)


def shelves(officer):
    [group] = inbox(officer, timezone.localdate()).interventions
    return group.shelves


def test_it_lists_the_first_ten_of_each_and_counts_them_all(officer, programme):
    late_and_due(programme, late=13, due=12)

    work = shelves(officer)

    assert SHOWN == 10
    # The most overdue first, as in a list of them all.
    assert [m.title for m in work["overdue"].items] == [f"Late {n:02}" for n in range(12, 2, -1)]
    assert [m.title for m in work["due_soon"].items] == [f"Due {n:02}" for n in range(10)]
    assert (work["overdue"].count, work["due_soon"].count) == (13, 12)
    assert (work["overdue"].more, work["due_soon"].more) == (3, 2)


def test_a_short_list_is_listed_in_full(officer, programme):
    late_and_due(programme, late=2, due=1)

    work = shelves(officer)

    assert len(work["overdue"].items) == work["overdue"].count == 2
    assert len(work["due_soon"].items) == work["due_soon"].count == 1
    assert work["overdue"].more == work["due_soon"].more == 0


def test_the_page_counts_them_all_and_links_to_the_rest(client, officer, programme, intervention):
    late_and_due(programme, late=13, due=2)
    client.force_login(officer)

    page = client.get(reverse("interventions:my_work")).content.decode()

    assert "Overdue milestones (13)" in page
    assert "Milestones due in the next 14 days (2)" in page
    overdue = reverse("interventions:milestone_list", kwargs={"slug": intervention.slug})
    assert f'href="{overdue}?schedule=overdue"' in page
    assert "3 more than the first 10 listed here" in page
    assert page.count("Late ") == 10
