import pytest

from tests.factories import MilestoneFactory


@pytest.mark.django_db
def test_factories_build_a_milestone_with_computed_dates():
    milestone = MilestoneFactory()
    assert milestone.planned_end.isoformat() == "2025-09-30"
    assert milestone.history.count() == 1
