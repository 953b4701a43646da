"""The synthetic data builder and the benchmark command, at a tiny size (no timings checked)."""

import pytest
from django.core.management import CommandError, call_command

from interventions.access.permissions import can_update_programme
from interventions.management.benchmarking import synthetic
from interventions.models import Intervention, Milestone


@pytest.fixture
def user(db):
    return synthetic.benchmark_user("benchmark", "a-long-enough-password")


def test_it_builds_n_copies_of_tower_hamlets_marked_synthetic(user):
    built = synthetic.build(2, milestones_per_programme=5, user=user)

    assert [i.slug for i in built.interventions] == ["synthetic-1", "synthetic-2"]
    assert all("Synthetic" in i.title for i in built.interventions)
    for intervention in built.interventions:
        assert intervention.programmes.count() == 11
        for programme in intervention.programmes.all():
            assert programme.milestones.count() >= 5
    assert built.milestones == Milestone.objects.count()


def test_new_milestones_have_dates_and_history(user):
    synthetic.build(1, milestones_per_programme=6, user=user)

    grown = (
        Milestone.objects.filter(title__startswith="Synthetic milestone")
        .exclude(end_as_written="TBC")
        .first()
    )
    assert grown.planned_end is not None
    assert grown.baseline_end == grown.planned_end
    assert grown.history.filter(history_type="+").count() == 1


def test_history_rows_are_spread_over_the_milestones(user):
    built = synthetic.build(1, milestones_per_programme=4, history_rows=500, user=user)

    updates = Milestone.history.filter(history_type="~", history_change_reason="Synthetic update")
    assert built.history_rows == 500
    assert updates.count() == 500
    assert updates.values("id").distinct().count() == built.milestones
    assert updates.filter(history_user=user).count() == 500


def test_the_user_sees_each_intervention_and_updates_programme_1(user):
    built = synthetic.build(2, milestones_per_programme=4, user=user)

    assert set(Intervention.objects.visible_to(user)) == set(built.interventions)
    assert can_update_programme(user, built.interventions[1].programmes.get(number=1))


def test_building_again_adds_the_next_numbers(user):
    synthetic.build(1, milestones_per_programme=4)
    built = synthetic.build(1, milestones_per_programme=4)

    assert built.interventions[0].slug == "synthetic-2"


def test_the_build_section_refuses_a_database_with_data(user):
    synthetic.build(1, milestones_per_programme=4)

    with pytest.raises(CommandError, match="empty database"):
        call_command("benchmark", "build", "--interventions=1")


def test_the_time_pages_section_times_every_key_page(user, capsys):
    synthetic.build(1, milestones_per_programme=4, user=user)

    call_command("benchmark", "time-pages", "--repeat=1")

    out = capsys.readouterr().out
    assert "My work:" in out
    assert "What changed:" in out


def test_the_load_section_runs_against_gunicorn_at_a_tiny_size(tmp_path, capsys):
    """The whole run: a new SQLite database, migrations, data, gunicorn, sign-in, load."""
    call_command(
        "benchmark",
        "load",
        "--interventions=1",
        "--milestones-per-programme=4",
        "--history-rows=50",
        "--requests=2",
        "--concurrency=2",
        "--workers=1",
        f"--database-url=sqlite:///{tmp_path / 'benchmark.sqlite3'}",
    )

    out = capsys.readouterr().out
    assert "| programme 1 |" in out
    for line in out.splitlines():
        if line.startswith("| ") and not line.startswith(("| page", "|---")):
            assert line.endswith("| 0 |"), line  # no errors
