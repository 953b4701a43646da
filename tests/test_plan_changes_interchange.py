"""The import format carries the plan's dated states: when aims and programmes opened and
closed, why, and which programme a merged one went into; export → import round-trips them."""

import datetime
import io
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from interventions.models import Intervention, Programme, StrategicAim
from interventions.updates import plan_changes
from reports import snapshot
from tests.test_interchange import empty_the_database, the_2025_file

pytestmark = pytest.mark.django_db

D = datetime.date
SLUG = "tower-hamlets-2025"
TOWER_HAMLETS_2025 = Path(settings.BASE_DIR) / "data" / "tower-hamlets-2025.yaml"


def export_text(slug: str) -> str:
    out = io.StringIO()
    call_command("export_intervention", slug, stdout=out)
    return out.getvalue()


def import_text(tmp_path: Path, text: str, name: str = "plan.yaml") -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    call_command("import_intervention", str(path), stdout=io.StringIO())


def test_the_plan_changes_survive_export_and_import(tmp_path):
    call_command("import_intervention", str(TOWER_HAMLETS_2025), stdout=io.StringIO())
    intervention = Intervention.objects.get(slug=SLUG)
    programmes = {p.number: p for p in intervention.programmes.all()}
    aim = intervention.aims.order_by("number").last()
    plan_changes.merge_programmes(
        [programmes[2], programmes[3]],
        programmes[1],
        milestones="move",
        on=D(2025, 11, 1),
        reason="Programmes regrouped",
    )
    plan_changes.renumber(intervention, {programmes[4].pk: 2}, on=D(2025, 11, 1), reason="Tidy")
    new_aim = plan_changes.add_aim(
        intervention, number=9, title="A new aim", outcomes="", on=D(2025, 11, 1), reason="New"
    )
    plan_changes.add_programme(
        new_aim, number=40, title="Short-lived", purpose="", on=D(2025, 11, 1), reason="New"
    )
    plan_changes.close_programme(
        Programme.objects.get(intervention=intervention, number=40),
        on=D(2025, 11, 20),
        reason="Folded into business as usual",
    )
    first = export_text(SLUG)

    document = yaml.safe_load(first)
    written = {p["number"]: p for a in document["plan"]["aims"] for p in a["programmes"]}
    merged = written[3]  # merged into 1, and keeps its number: no open programme took it
    assert merged["closed_on"] == D(2025, 11, 1)
    assert merged["merged_into"] == 1
    assert merged["close_reason"] == "Programmes regrouped"
    assert written[40]["opened_on"] == D(2025, 11, 1)
    assert written[40]["close_reason"] == "Folded into business as usual"
    assert "closed_on" not in written[1]  # open ones write nothing new
    assert aim.number in {a["number"] for a in document["plan"]["aims"]}

    empty_the_database()
    import_text(tmp_path, first)

    assert export_text(SLUG) == first
    reimported = Intervention.objects.get(slug=SLUG)
    two_old = Programme.objects.get(intervention=reimported, number=3)
    assert two_old.merged_into.number == 1
    assert two_old.closed_on == D(2025, 11, 1)
    as_of_oct = {p.id for p in snapshot.take(reimported, D(2025, 10, 31)).programmes}
    as_of_nov = {p.id for p in snapshot.take(reimported, D(2025, 11, 1)).programmes}
    assert two_old.pk in as_of_oct
    assert two_old.pk not in as_of_nov
    assert StrategicAim.objects.get(intervention=reimported, number=9).opened_on == D(2025, 11, 1)
    late = Programme.objects.get(intervention=reimported, number=40)
    assert late.pk not in as_of_oct
    assert late.pk in as_of_nov
    assert late.pk not in {p.id for p in snapshot.take(reimported, D(2025, 11, 20)).programmes}


def _with_programme_fields(**fields) -> dict:
    document = the_2025_file()
    document["plan"]["aims"][0]["programmes"][1].update(fields)
    return document


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"merged_into": 77, "closed_on": "2025-11-01"},
            "merged_into: expected the number of a programme in the plan, found 77",
        ),
        ({"merged_into": 1}, "a merged programme needs `closed_on`"),
        (
            {"opened_on": "2025-11-01", "closed_on": "2025-10-01"},
            "closed_on: expected a day after `opened_on`",
        ),
    ],
)
def test_dated_states_that_disagree_are_refused(tmp_path, fields, message):
    document = _with_programme_fields(**fields)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")

    with pytest.raises(CommandError) as caught:
        call_command("import_intervention", str(path), stdout=io.StringIO())

    assert message in str(caught.value)
    assert not Intervention.objects.exists()
