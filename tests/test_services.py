"""Saving edits: a stale edit is refused and says what the other person changed."""

import pytest

from interventions.kit.changes import changes
from interventions.kit.saving import StaleEdit, save_versioned
from interventions.models import Milestone
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


def test_an_edit_of_the_version_shown_is_saved_and_raises_the_version():
    milestone = MilestoneFactory(rag="green")
    milestone.rag = "amber"

    save_versioned(milestone, 1, reason="Supplier late")

    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.rag, saved.version) == ("amber", 2)
    assert saved.history.first().history_change_reason == "Supplier late"


def test_an_edit_of_an_older_version_is_refused_and_names_their_changes():
    milestone = MilestoneFactory(rag="green", percent_complete=10)
    mine = Milestone.objects.get(pk=milestone.pk)  # I open the form at version 1
    theirs = Milestone.objects.get(pk=milestone.pk)
    theirs.rag, theirs.percent_complete = "red", 40
    save_versioned(theirs, 1)

    mine.rag = "amber"
    with pytest.raises(StaleEdit) as refused:
        save_versioned(mine, 1)

    sentences = [change.sentence() for change in refused.value.their_changes]
    assert sentences == [
        "RAG changed from Green to Red",
        "Percent complete changed from 10 to 40",
    ]
    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.rag, saved.version) == ("red", 2)


def test_a_creation_lists_the_values_given_and_a_cleared_value_says_what_it_was():
    milestone = MilestoneFactory(forecast_end=None)
    created = milestone.history.get()
    assert any(c.sentence() == "Start as written set to Apr 2025" for c in changes(created, None))

    milestone.forecast_end = milestone.baseline_end or milestone.planned_end
    milestone.save()
    milestone.forecast_end = None
    milestone.save()
    cleared, before = milestone.history.all()[:2]
    assert [c.sentence() for c in changes(cleared, before)] == [
        "Forecast end cleared (was 30 Sep 2025)"
    ]
